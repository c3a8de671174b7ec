"""Recruitment in a real browser: registration (with bad input), the live quota check, the draw."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AXE_JS, DESKTOP, GuardedContext, require_node_modules

pytestmark = pytest.mark.browser

REGISTER = "/assemblies/baeredygtigt-forbrug/register"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)


def no_axe_violations(page: Any) -> None:
    require_node_modules()
    page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
    assert violations == [], [
        (v["id"], v["help"], [n["html"][:160] for n in v["nodes"]]) for v in violations
    ]


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill("demo-adgangskode")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_registration_with_bad_input_then_receipt_and_withdrawal(page: Any) -> None:
    page.goto(REGISTER)
    page.get_by_label("Fornavn").fill("Ida")
    page.get_by_label("E-mail").fill("ikke-en-adresse")
    page.get_by_role("button", name="Meld mig til").click()
    alert = page.locator('[role="alert"]').first
    expect(alert).to_contain_text("Skriv en gyldig e-mailadresse")
    expect(page.get_by_label("Fornavn")).to_have_value("Ida")  # nothing typed is lost
    no_axe_violations(page)  # the form with its error messages
    page.get_by_label("Efternavn").fill("Browser")
    page.get_by_label("E-mail").fill("ida.browser@example.dk")
    page.get_by_label("Adresse").fill("Skolevej 7")
    page.get_by_label("Postnummer").fill("5000")
    for legend, value in [
        ("Region", "Region Syddanmark"),
        ("Køn", "Kvinde"),
        ("Alder", "30-44"),
        ("Uddannelse", "Videregående"),
        ("Boligform", "Lejebolig"),
    ]:
        page.locator("fieldset", has=page.locator("legend", has_text=legend)).get_by_label(
            value, exact=True
        ).check()
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Meld mig til").click()
    expect(page.locator("h1")).to_have_text("Kvittering for din tilmelding")
    expect(page.locator("main")).to_contain_text("Tak, Ida")
    no_axe_violations(page)
    page.get_by_role("button", name="Træk min tilmelding tilbage").click()
    expect(page.locator('[role="alert"]').first).to_contain_text("Sæt kryds")
    no_axe_violations(page)
    page.get_by_label("Ja, træk min tilmelding tilbage").check()
    page.get_by_role("button", name="Træk min tilmelding tilbage").click()
    expect(page.locator("main")).to_contain_text("Din tilmelding er trukket tilbage")


@pytest.fixture
def draw_assembly(live_app: Any) -> str:
    """A small assembly in its selection phase, so a draw runs in seconds."""
    from portal.demo import pools
    from portal.models import Assembly, AssemblyStatus, Phase, PhaseKind

    slug = f"browser-draw-{random.randrange(10**6)}"
    today = datetime.now(UTC).date()
    quotas = {
        "Køn": [("Kvinde", 0.5, 1.0), ("Mand", 0.5, 1.0)],
        "Alder": [("Ung", 0.5, 1.0), ("Ældre", 0.5, 1.0)],
    }
    with live_app.extensions["sessionmaker"]() as session:
        assembly = Assembly(
            slug=slug,
            title="Prøvesamling",
            remit="Hvad nu?",
            commissioned_by="Udvalget",
            operator="Sekretariatet",
            seats=12,
            municipality="Prøve Kommune",
            status=AssemblyStatus.ACTIVE,
        )
        assembly.phases.append(
            Phase(
                kind=PhaseKind.RECRUITMENT,
                starts_on=today - timedelta(days=30),
                ends_on=today - timedelta(days=1),
            )
        )
        assembly.phases.append(
            Phase(kind=PhaseKind.SELECTION, starts_on=today, ends_on=today + timedelta(days=5))
        )
        session.add(assembly)
        session.flush()
        pools.add_quotas(session, assembly, quotas)
        pools.add_pool(
            session,
            assembly,
            quotas,
            60,
            random.Random(slug),
            datetime.now(UTC) - timedelta(days=10),
            household_rule=False,
        )
        session.commit()
    return slug


def test_secretariat_checks_quotas_live_and_runs_the_draw(
    guarded_context: Callable[..., GuardedContext], draw_assembly: str
) -> None:
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    log_in(page, "secretariat@example.org")
    base = f"/secretariat/assemblies/{draw_assembly}"
    page.goto(base)
    expect(page.locator("h1")).to_contain_text("Rekruttering")
    no_axe_violations(page)
    page.goto(base + "/quotas")
    expect(page.locator("#feasibility")).to_contain_text("Ja. Der findes et panel")
    no_axe_violations(page)
    page.evaluate("window.__stillHere = true")
    page.get_by_label("Kvoter (CSV)").fill("Køn,Kvinde,0.5,10,12\nKøn,Mand,0.5,10,12\n")
    expect(page.locator("#feasibility")).to_contain_text("Nej. Intet panel", timeout=15_000)
    assert page.evaluate("window.__stillHere === true")  # checked without leaving the page
    page.goto(base + "/draw")
    no_axe_violations(page)
    page.get_by_role("button", name="Beregn lotteriet").click()
    # The lottery is computed by the job consumer (a process of its own); the page polls.
    expect(page.locator("#draw-status")).to_contain_text("Fingeraftryk", timeout=90_000)
    fingerprint = page.locator("#draw-status code.fingerprint").inner_text()
    no_axe_violations(page)
    page.get_by_label("Frø fra ceremonien").fill("6 5 4 3 2 1")
    page.get_by_label("Jeg har kontrolleret frøet").check()
    page.get_by_role("button", name="Træk panelet").click()
    expect(page.locator("main")).to_contain_text("Panelet er trukket")
    page.goto(f"/assemblies/{draw_assembly}/selection")
    expect(page.locator("main")).to_contain_text(fingerprint)
    expect(page.locator("main")).to_contain_text("6 5 4 3 2 1")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    no_axe_violations(page)
    page.goto(base + "/outbox")
    expect(page.locator("#outbox")).to_contain_text("Du er trukket ud til Prøvesamling")
    no_axe_violations(page)
    # Without SMTP the drawn people's e-mails are on the development outbox; a seat link works.
    page.goto("/dev/outbox")
    expect(page.locator("main")).to_contain_text("Du er trukket ud til Prøvesamling")
    no_axe_violations(page)
    page.locator("main a[href*='/seat/']").first.click()
    expect(page.locator("main")).to_contain_text("Du er trukket ud")
    guarded.context.close()
