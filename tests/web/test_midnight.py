"""One notion of today: around midnight the form and its POST agree, in winter and in summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select

from portal.models import Assembly, PhaseKind

from ..conftest import make_test_app
from .test_registration import URL, valid

SLUG = "baeredygtigt-forbrug"
CLOSED = "Tilmeldingen er lukket"


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "instant", "open_in_copenhagen"),
    [
        # Winter, last day 20 Nov: 22:30 UTC is 23:30 there (open), 23:30 UTC is 00:30 (closed).
        (date(2026, 10, 1), date(2026, 11, 20), datetime(2026, 11, 20, 22, 30, tzinfo=UTC), True),
        (date(2026, 10, 1), date(2026, 11, 20), datetime(2026, 11, 20, 23, 30, tzinfo=UTC), False),
        # Summer, last day 15 July: 21:30 UTC is 23:30 (open), 22:30 UTC is 00:30 (closed).
        (date(2026, 6, 1), date(2026, 7, 15), datetime(2026, 7, 15, 21, 30, tzinfo=UTC), True),
        (date(2026, 6, 1), date(2026, 7, 15), datetime(2026, 7, 15, 22, 30, tzinfo=UTC), False),
        # First day 2 Nov: at 23:30 UTC on 1 Nov it is already 2 Nov in Copenhagen (open).
        (date(2026, 11, 2), date(2026, 11, 30), datetime(2026, 11, 1, 23, 30, tzinfo=UTC), True),
        (date(2026, 11, 2), date(2026, 11, 30), datetime(2026, 11, 1, 22, 30, tzinfo=UTC), False),
    ],
)
def test_form_and_post_agree_around_midnight(
    engine: Engine, starts_on: date, ends_on: date, instant: datetime, open_in_copenhagen: bool
) -> None:
    app, close = make_test_app(engine, NOW=instant)
    try:
        with app.extensions["sessionmaker"]() as session:
            assembly = session.scalar(select(Assembly).where(Assembly.slug == SLUG))
            for phase in assembly.phases:
                if phase.kind == PhaseKind.RECRUITMENT:
                    phase.starts_on, phase.ends_on = starts_on, ends_on
            session.commit()
        client = app.test_client()
        page_says_open = CLOSED not in client.get(URL).get_data(as_text=True)
        post = client.post(URL, data=valid(email="midnat@example.dk"))
        assert page_says_open == open_in_copenhagen
        assert post.status_code == (302 if open_in_copenhagen else 409)
    finally:
        close()
