"""The English catalog covers every Danish source string, and the committed .mo matches the .po.

When this fails after you added or changed text, run (see "Translations" in README.md):

    pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
    pybabel update -i portal/translations/messages.pot -d portal/translations
    # translate the new or fuzzy entries in portal/translations/en/LC_MESSAGES/messages.po
    pybabel compile -d portal/translations
"""

from __future__ import annotations

from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
LC_MESSAGES = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES"
PO, MO = LC_MESSAGES / "messages.po", LC_MESSAGES / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["_l", "lazy_gettext", "lazy_ngettext:1,2"])}
HOW_TO_FIX = __doc__.split("\n\n", 1)[1]


def _extract_sources() -> Catalog:
    """What `pybabel extract -F babel.cfg -k _l` would find in the current sources."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(locale="da")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


def _read_po() -> Catalog:
    with open(PO, "rb") as f:
        return read_po(f, locale="en")


def _entries(catalog: Catalog) -> dict[object, object]:
    """Plural ids and strings come back from read_mo as lists: make them comparable."""

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, frozen(m.id)): frozen(m.string) for m in catalog if m.id}


def _where(message: object) -> str:
    locations = getattr(message, "locations", [])
    return ", ".join(f"{path}:{line}" for path, line in locations[:3])


def test_every_source_message_has_an_english_translation() -> None:
    po = _read_po()
    problems: list[str] = []
    for source in _extract_sources():
        if not source.id:
            continue
        english = po.get(source.id, context=source.context)
        shown = source.id if isinstance(source.id, str) else source.id[0]
        if english is None:
            problems.append(f"missing    {shown!r}  ({_where(source)})")
        elif english.fuzzy:
            problems.append(f"fuzzy      {shown!r}  ({_where(source)})")
        elif source.pluralizable and not english.pluralizable:
            problems.append(f"not plural {shown!r}  ({_where(source)})")
        elif not all(english.string) if english.pluralizable else not english.string:
            problems.append(f"empty      {shown!r}  ({_where(source)})")
    assert not problems, (
        f"{len(problems)} Danish message(s) have no English translation in {PO.relative_to(ROOT)}:\n"
        + "\n".join(problems)
        + "\n\nTo fix:\n"
        + HOW_TO_FIX
    )


def test_translations_keep_their_placeholders() -> None:
    """%(n)d in Danish must be %(n)d in English, or rendering the page raises."""
    errors = [
        f"{message.id!r}: {'; '.join(str(e) for e in errs)}" for message, errs in _read_po().check()
    ]
    assert not errors, "\n".join(errors)


def test_committed_mo_is_compiled_from_the_current_po() -> None:
    compiled = BytesIO()
    write_mo(compiled, _read_po())
    compiled.seek(0)
    with open(MO, "rb") as committed:
        stale = _entries(read_mo(committed)) != _entries(read_mo(compiled))
    assert not stale, (
        f"{MO.relative_to(ROOT)} is out of date with messages.po: "
        "run `pybabel compile -d portal/translations` and commit the .mo"
    )


def _english(msgid: str) -> str:
    """The English text of a message, from the compiled catalog the app uses."""
    with open(MO, "rb") as f:
        message = read_mo(f).get(msgid)
    assert message is not None and message.string, f"no English for {msgid!r}"
    return str(message.string)


def _page(client: FlaskClient, url: str) -> str:
    """The page's text with entities decoded, so "citizens&#39;" reads "citizens'"."""
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def test_danish_is_the_default(client: FlaskClient) -> None:
    html = _page(client, "/")
    assert '<html lang="da">' in html
    assert "Borgersamlinger i gang" in html
    assert _english("Borgersamlinger i gang") not in html


def test_english_after_choosing_it(client: FlaskClient) -> None:
    response = client.get("/language/en?next=/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")

    html = _page(client, "/")
    assert '<html lang="en">' in html
    assert "<h2>Citizens' assemblies in progress</h2>" in html
    for msgid in ("Borgersamlinger i gang", "Seneste aktivitet", "Hvad kan du gøre her?"):
        assert _english(msgid) in html and msgid not in html


@pytest.mark.parametrize(
    "msgid",
    [
        # section headings
        "Spørgsmålet fra politikerne",
        "Forløbet",
        "Medlemmerne",
        "Møder",
        "Materialer",
        "Anbefalinger",
        # phase names in the timeline
        "Rekruttering",
        "Lodtrækning",
        "Læring",
        "Opfølgning",
    ],
)
def test_assembly_page_in_english(client: FlaskClient, msgid: str) -> None:
    danish = _page(client, "/assemblies/middelalderbyen-2019")
    assert msgid in danish

    client.get("/language/en?next=/")
    english = _page(client, "/assemblies/middelalderbyen-2019")
    assert '<html lang="en">' in english
    assert _english(msgid) in english
    assert f">{msgid}<" not in english
