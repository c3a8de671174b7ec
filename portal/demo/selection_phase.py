"""The demo's fourth assembly: sign-up has closed and it is in its selection phase, with a pool and
quotas, so the secretariat can run the draw (a job) in the demo. Dates follow the seed's `now`."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Assembly, AssemblyStatus, Phase, PhaseKind
from . import pools

KLIMA = {
    "slug": "klimatilpasning-vejle",
    "title": "Borgersamling om klimatilpasning i Vejle",
    "title_en": "Citizens' assembly on climate adaptation in Vejle",
    "summary": (
        "24 borgere skal give råd om, hvordan Vejle beskytter byen mod oversvømmelser. "
        "Tilmeldingen er lukket; nu trækkes panelet lod."
    ),
    "summary_en": (
        "24 residents will advise on how Vejle protects the town against flooding. "
        "Sign-up has closed; the panel is being drawn now."
    ),
    "remit": "Hvordan skal Vejle prioritere sine tiltag mod stormflod og skybrud frem mod 2050?",
    "remit_en": "How should Vejle prioritise its measures against storm surges and cloudbursts up to 2050?",
    "in_scope": "Diger, grønne områder, regnvand, byudvikling ved fjorden.",
    "out_of_scope": "Statens kystbeskyttelseslov.",
    "commissioned_by": "Vejle Byråd",
    "operator": "Uafhængig procesleder",
    "seats": 24,
    "municipality": "Vejle Kommune",
    "region": "Region Syddanmark",
    "answer_promise": "Byrådet svarer på hver anbefaling inden for tre måneder.",
}

# category → [(value, population share, how much more/less often such people sign up)]
KLIMA_QUOTAS: dict[str, list[tuple[str, float, float]]] = {
    "Køn": [("Kvinde", 0.50, 1.2), ("Mand", 0.50, 0.8)],
    "Alder": [("18-34", 0.30, 0.7), ("35-59", 0.40, 1.1), ("60+", 0.30, 1.3)],
    "Område": [
        ("Vejle midtby", 0.40, 1.0),
        ("Jelling og nord", 0.30, 1.0),
        ("Børkop og øst", 0.30, 1.0),
    ],
}
ILLUSTRATIVE = "Et eksempel til demonstration: borgersamlingen findes ikke."


def add_selection_phase_assembly(
    session: Session,
    today: date,
    *,
    content: dict[str, object] | None = None,
    quotas: dict[str, list[tuple[str, float, float]]] | None = None,
    pool_size: int = 240,
    seed: int = 24,
) -> Assembly:
    """An assembly whose selection phase runs from yesterday for two weeks, with quotas and a pool."""
    content = content or KLIMA
    quotas = quotas or KLIMA_QUOTAS
    existing = session.scalar(select(Assembly).where(Assembly.slug == content["slug"]))
    if existing is not None:
        return existing
    assembly = Assembly(
        status=AssemblyStatus.ACTIVE,
        illustrative_note=ILLUSTRATIVE,
        # What the drawn people are asked to commit to (the seat offer and its e-mail show it).
        draw_on=today + timedelta(days=3),
        reply_by=today + timedelta(days=13),
        meeting_schedule="Fire lørdage kl. 10–16 på Vejle Rådhus.",
        time_commitment="Omkring 30 timer i alt over tre måneder.",
        compensation="Forplejning og 800 kr. pr. mødedag; transport og børnepasning dækkes.",
        contact="Sekretariatet: klima@example.org, tlf. 75 00 00 00 (hverdage 9–15).",
        **content,
    )
    day = today - timedelta(days=31)
    for kind, days in [
        (PhaseKind.RECRUITMENT, 30),
        (PhaseKind.SELECTION, 14),
        (PhaseKind.LEARNING, 30),
        (PhaseKind.DELIBERATION, 30),
        (PhaseKind.DRAFTING, 21),
        (PhaseKind.FINAL, 14),
        (PhaseKind.COUNCIL_ANSWER, 90),
    ]:
        assembly.phases.append(
            Phase(kind=kind, starts_on=day, ends_on=day + timedelta(days=days - 1))
        )
        day += timedelta(days=days)
    session.add(assembly)
    session.flush()
    pools.add_quotas(session, assembly, quotas)
    opened = datetime.combine(today - timedelta(days=31), time(8), UTC)
    pools.add_pool(
        session,
        assembly,
        quotas,
        pool_size,
        random.Random(seed),
        opened,
        region_key=None,
    )
    session.flush()
    return assembly
