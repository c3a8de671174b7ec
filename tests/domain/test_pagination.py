"""A long list links the first and last page and those near the current one, not every page."""

from __future__ import annotations

from portal.assemblies import Page


def test_a_short_list_links_every_page() -> None:
    assert Page([], 1, 10, 30).window() == [1, 2, 3]


def test_a_long_list_links_a_window_with_gaps() -> None:
    assert Page([], 50, 10, 1000).window() == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert Page([], 1, 10, 1000).window() == [1, 2, 3, None, 100]
    assert Page([], 4, 10, 1000).window() == [1, 2, 3, 4, 5, 6, None, 100]
    assert Page([], 100, 10, 1000).window() == [1, None, 98, 99, 100]
