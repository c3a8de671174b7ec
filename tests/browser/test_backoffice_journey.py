"""The secretariat runs an assembly from the browser: create it, set its timeline, publish a
meeting with minutes and a material with a PDF; the public then sees all of it.

Every page is checked with axe at desktop and phone width, and screenshotted at 1280 and 390 px
into test-results/backoffice/ for a person to look at."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, ROOT, GuardedContext
from .test_recruitment_journeys import log_in, no_axe_violations

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-results" / "backoffice"
PHONE_390 = {"width": 390, "height": 844}


def look(page: Any, name: str) -> None:
    """axe at desktop and phone width, no sideways scrolling on the phone, and screenshots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("1280", DESKTOP), ("390", PHONE_390)):
        page.set_viewport_size(viewport)
        no_axe_violations(page)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {label}"
    page.set_viewport_size(DESKTOP)


def _pdf() -> bytes:
    from portal.demo.files import tiny_pdf

    return tiny_pdf("Trafiktal 2027", ["Biler pr. døgn på Ærøskøbing havn."])


def test_secretariat_creates_an_assembly_that_appears_in_public(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    title = f"Borgersamling om færgerne {random.randrange(10**6)}"
    staff = guarded_context(DESKTOP).context.new_page()
    log_in(staff, "secretariat@example.org")
    staff.goto("/account")
    staff.get_by_role("link", name="Borgersamlinger (sekretariatet)").click()
    look(staff, "list")
    staff.get_by_role("link", name="Ny borgersamling").click()

    staff.get_by_label("Titel", exact=True).fill(title)
    staff.get_by_label("Kort beskrivelse", exact=True).fill("Borgere giver råd om færgerne.")
    staff.get_by_role("button", name="Opret borgersamling").click()
    expect(staff.locator('[role="alert"]')).to_contain_text("Udfyld feltet på dansk.")
    expect(staff.get_by_label("Titel", exact=True)).to_have_value(title)
    look(staff, "assembly-form-errors")
    staff.get_by_label("Spørgsmålet fra politikerne (opgaven)", exact=True).fill(
        "Hvordan skal færgerne sejle i fremtiden?"
    )
    staff.get_by_label("Bestilt af", exact=True).fill("Ærø Kommune")
    staff.get_by_label("Gennemføres af (den uafhængige procesleder)", exact=True).fill(
        "Uafhængig procesleder"
    )
    staff.get_by_label("Kommune", exact=True).fill("Ærø Kommune")
    staff.get_by_label("Svarfrist i uger efter overrækkelsen (valgfrit)").fill("12")
    staff.get_by_role("button", name="Opret borgersamling").click()
    expect(staff.locator("h1")).to_contain_text("Forløb:")
    slug = re.search(r"/secretariat/assemblies/([^/]+)/timeline", staff.url).group(1)  # type: ignore[union-attr]

    # An overlap is refused by name; a gap is allowed and shown.
    rows = [
        ("recruitment", "2026-01-05", "2026-02-15"),
        ("selection", "2026-02-10", "2026-02-28"),
        ("learning", "2026-03-10", "2030-12-31"),
    ]
    for i, (kind, start, end) in enumerate(rows):
        staff.locator(f"#phases-{i}-kind").select_option(kind)
        staff.locator(f"#phases-{i}-starts_on").fill(start)
        staff.locator(f"#phases-{i}-ends_on").fill(end)
    staff.get_by_role("button", name="Gem forløbet").click()
    expect(staff.locator('[role="alert"]')).to_contain_text("overlapper Rekruttering")
    look(staff, "timeline-errors")
    staff.locator("#phases-1-starts_on").fill("2026-02-16")
    staff.get_by_role("button", name="Gem forløbet").click()
    expect(staff.locator("main")).to_contain_text("Forløbet er gemt.")
    expect(staff.locator("main")).to_contain_text("Pause: 9 dage uden fase")
    look(staff, "timeline")

    staff.get_by_role("link", name="Overblik").click()
    staff.get_by_role("link", name="Nyt møde").click()
    staff.get_by_label("Mødets titel", exact=True).fill("Første møde")
    staff.get_by_label("Dato", exact=True).fill("2026-03-14")
    staff.get_by_label("Begynder kl.", exact=True).fill("10:00")
    staff.get_by_label("Slutter kl.", exact=True).fill("16:00")
    staff.get_by_label("Sted", exact=True).fill("Ærøskøbing Rådhus")
    staff.get_by_label("Adresse (valgfrit)").fill("Statene 2, 5970 Ærøskøbing")
    staff.get_by_label("Tilgængelighed (valgfrit)", exact=True).fill("Niveaufri adgang.")
    staff.get_by_label("Dagsorden (valgfrit)", exact=True).fill("10.00 Velkomst\n11.00 Oplæg")
    staff.get_by_label("Referat (valgfrit)", exact=True).fill("Medlemmerne hørte om færgerne.")
    look(staff, "meeting-form")
    staff.get_by_role("button", name="Gem mødet").click()
    expect(staff.locator("#meetings")).to_contain_text("Møde 1: Første møde")

    staff.get_by_role("link", name="Nyt materiale").click()
    staff.get_by_label("Titel", exact=True).fill("Trafiktal for færgerne")
    staff.get_by_label("Slags materiale").select_option("report")
    staff.get_by_label("Hvem valgte materialet?").select_option("organisers")
    staff.get_by_label("Brugt på mødet").select_option(label="Møde 1: Første møde")
    staff.get_by_label("Ekspertens eller afsenderens navn (valgfrit)").fill("Jens Havn")
    staff.locator("#file").set_input_files(
        files=[{"name": "trafiktal.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    staff.get_by_label(
        "Resumé i almindeligt sprog (eller tekstudgave af en video) (valgfrit)", exact=True
    ).fill("Hvor mange der sejler, og hvornår.")
    look(staff, "material-form")
    staff.get_by_role("button", name="Gem materialet").click()
    expect(staff.locator("#materials")).to_contain_text("Trafiktal for færgerne")
    look(staff, "overview")

    # The preview before publishing; the public gets 404.
    staff.goto(f"/assemblies/{slug}")
    expect(staff.locator(".preview-banner")).to_contain_text("Forhåndsvisning — ikke offentlig")
    look(staff, "preview")
    public = guarded_context(DESKTOP).context.new_page()
    assert public.goto(f"/assemblies/{slug}").status == 404

    staff.goto(f"/secretariat/assemblies/{slug}/overview")
    staff.get_by_role("button", name="Offentliggør borgersamlingen").click()
    expect(staff.locator("main")).to_contain_text("Status er nu: I gang.")

    assert public.goto(f"/assemblies/{slug}").status == 200
    expect(public.locator("#timeline")).to_contain_text("Læring")
    expect(public.locator("main")).not_to_contain_text("Forhåndsvisning")
    look(public, "public-assembly")
    public.get_by_role("link", name="Møde 1: Første møde", exact=True).click()
    expect(public.locator("main")).to_contain_text("Statene 2, 5970 Ærøskøbing")
    expect(public.locator("main")).to_contain_text("Medlemmerne hørte om færgerne.")
    look(public, "public-meeting")
    href = public.get_by_role("link", name="Trafiktal for færgerne").first.get_attribute("href")
    served = public.request.get(href)
    assert served.ok and served.body().startswith(b"%PDF-")
    assert served.headers["content-disposition"].startswith("inline")
    assert served.headers["x-content-type-options"] == "nosniff"
    public.goto(f"/assemblies/{slug}/materials?kind=report")
    expect(public.locator("main")).to_contain_text("Jens Havn")
    look(public, "public-materials")
