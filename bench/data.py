"""A deterministic data set at realistic scale, for benchmarks and query-count tests.

Full scale: 1,000 assemblies, 10 recommendations each with revisions, 100,000 comments (one
recommendation has 500 of them), 2,000 committee inputs (høringssvar), 10,000 users, council
answers. `--scale 0.01` makes a small version in a second. Danish text comes from a small word
bank and a seeded RNG: the same arguments give the same rows.

Rows are inserted in bulk (`session.execute(insert(Model), rows)`) with explicit ids, so the
full scale builds in about a minute on SQLite and on PostgreSQL.

To add a kind of row: write one `_kind(ctx)` function that returns the rows (using ids from
`ctx`), and add `(Model, _kind)` to `KINDS` after the rows it refers to.

Run: python bench/data.py --url sqlite:///instance/bench.db [--scale 0.01] [--seed 14]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/http.py would shadow the standard library's `http` if bench/ stayed on the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from portal.models import (  # noqa: E402
    UNUSABLE_PASSWORD,
    AnswerStatus,
    Assembly,
    AssemblyStatus,
    Base,
    ChosenBy,
    Comment,
    CommentStatus,
    ConsultationResponse,
    CouncilAnswer,
    DisplayConsent,
    Disposition,
    DispositionKind,
    DispositionState,
    ImplementationStatus,
    Material,
    MaterialKind,
    Meeting,
    Member,
    MemberStatus,
    Organisation,
    OrganisationKind,
    Phase,
    PhaseKind,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    ResponsePosition,
    SiteSettings,
    User,
)

ANCHOR = date(2026, 12, 1)  # "today" of the data set: dates are relative to it, never to the clock
HOT_COMMENTS = 500  # comments on the first recommendation of the first active assembly


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "borger kommune samling anbefaling forslag byrum cykelsti grønne områder trafik skole "
    "daginstitution ældrepleje klima vand energi affald bolig lokalsamfund bibliotek idræt "
    "sundhed natur træer parkering bus tog havn kyst landsby fællesskab frivillige forening "
    "budget prioritering tryghed belysning fortov legeplads ungdom kultur arbejdspladser "
    "erhverv turisme bæredygtighed genbrug regnvand oversvømmelse støj luft mad landbrug "
    "undervisning inklusion tilgængelighed handicap digitalisering borgerservice udvalg "
    "høring inddragelse demokrati beslutning evaluering økonomi investering vedligeholdelse"
)
VERBS = _words("skal bør kan vil må ønsker foreslår anbefaler prioriterer styrker")
LINKS = _words("og men fordi så derfor samtidig især også desuden")
TOPICS = _words(
    "klima trafik byliv skole sundhed natur bolig kultur affald energi vand ungdom ældre "
    "havn land erhverv tryghed idræt"
)
TOWNS = _words(
    "Aarhus Odense Aalborg Esbjerg Randers Kolding Horsens Vejle Roskilde Herning Silkeborg "
    "Næstved Fredericia Viborg Køge Holstebro Slagelse Hillerød Sønderborg Svendborg"
)
FIRST = _words(
    "Anne Mette Hanne Lene Karen Sofie Ida Emma Peter Jens Lars Henrik Søren Niels Mads Ali"
)
LAST = _words(
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Yilmaz"
)
DISTRICTS = _words("Centrum Nord Syd Øst Vest Havnen Skovbyen Engvej")
PHASES = (  # kind, days
    (PhaseKind.RECRUITMENT, 30),
    (PhaseKind.SELECTION, 14),
    (PhaseKind.LEARNING, 30),
    (PhaseKind.DELIBERATION, 30),
    (PhaseKind.DRAFTING, 20),
    (PhaseKind.PUBLIC_COMMENT, 21),
    (PhaseKind.FINAL, 14),
    (PhaseKind.COUNCIL_ANSWER, 56),
    (PhaseKind.FOLLOW_UP, 365),
)


@dataclass(frozen=True)
class Scale:
    """How much of everything; `Scale.of(0.01)` is a hundredth of the full size."""

    assemblies: int = 1000
    recommendations_per_assembly: int = 10
    comments: int = 100_000
    committee_inputs: int = 2000
    users: int = 10_000
    members_per_assembly: int = 20
    meetings_per_assembly: int = 4
    materials_per_assembly: int = 3

    @classmethod
    def of(cls, factor: float) -> Scale:
        full = cls()
        return cls(
            assemblies=max(2, round(full.assemblies * factor)),
            comments=max(10, round(full.comments * factor)),
            committee_inputs=max(2, round(full.committee_inputs * factor)),
            users=max(10, round(full.users * factor)),
        )


@dataclass
class Context:
    """What the row functions share: the scale, a seeded RNG and the ids made so far."""

    scale: Scale
    rng: random.Random
    anchor: date
    ids: dict[str, list[int]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def sentence(self, words: int = 12) -> str:
        rng = self.rng
        parts = [rng.choice(WORDS) for _ in range(words)]
        parts.insert(rng.randrange(1, words), rng.choice(VERBS))
        if words > 8:
            parts.insert(words // 2 + 1, rng.choice(LINKS))
        return " ".join(parts).capitalize() + "."

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence(self.rng.randint(8, 16)) for _ in range(sentences))

    def at(self, day: date, hour: int = 12) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- one function per kind of row -----------------------------------------------------------


def _site(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": 1,
            "municipality": "Skalerup Kommune",
            "logo_url": "",
            "contact_email": "borgersamling@skalerup.dk",
            "contact_phone": "+45 70 00 00 00",
            "contact_url": "",
            "data_controller": "Skalerup Kommune",
            "privacy_text": ctx.paragraph(2),
            "privacy_text_en": "",
            "updated_at": ctx.at(ctx.anchor),
        }
    ]


def _users(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for i in range(1, ctx.scale.users + 1):
        rows.append(
            {
                "id": i,
                "email": f"borger{i}@skalerup.example",
                "display_name": f"{ctx.rng.choice(FIRST)} {ctx.rng.choice(LAST)}",
                "password_hash": UNUSABLE_PASSWORD,
                "session_epoch": 0,
                "active": True,
                "created_at": ctx.at(ctx.anchor - timedelta(days=i % 900)),
            }
        )
    ctx.ids["user"] = [r["id"] for r in rows]
    return rows


def assembly_slug(index: int) -> str:
    """The slug of the index-th assembly (1-based): the same at every scale."""
    return f"{TOPICS[index % len(TOPICS)]}-{TOWNS[index % len(TOWNS)].lower()}-{index}"


def _assembly_start(ctx: Context, index: int) -> tuple[date, AssemblyStatus]:
    """Every tenth assembly is running now; the others concluded, spread over the years before."""
    if index % 10 == 1:
        return ctx.anchor - timedelta(days=150 + index % 60), AssemblyStatus.ACTIVE
    return ctx.anchor - timedelta(days=700 + 3 * index), AssemblyStatus.CONCLUDED


def _assemblies(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    starts: dict[int, date] = {}
    status_of: dict[int, AssemblyStatus] = {}
    for i in range(1, ctx.scale.assemblies + 1):
        start, status = _assembly_start(ctx, i)
        starts[i], status_of[i] = start, status
        topic, town = TOPICS[i % len(TOPICS)], TOWNS[i % len(TOWNS)]
        rows.append(
            {
                "id": i,
                "slug": assembly_slug(i),
                "title": f"Borgersamlingen om {topic} i {town} ({i})",
                "title_en": None,
                "summary": ctx.paragraph(2),
                "remit": f"Hvordan {ctx.rng.choice(VERBS)} {town} arbejde med {topic}? "
                + ctx.sentence(),
                "in_scope": ctx.sentence(),
                "out_of_scope": ctx.sentence(),
                "commissioned_by": f"{town} Byråd",
                "operator": "Center for Borgerinddragelse",
                "seats": ctx.scale.members_per_assembly,
                "municipality": f"{town} Kommune",
                "region": "Region Midtjylland",
                "status": status,
                "answer_promise": ctx.sentence(),
                "answer_weeks": 8,
                "answer_due": start + timedelta(days=270),
                "contact": "borgersamling@skalerup.dk",
                "meeting_schedule": ctx.sentence(),
                "time_commitment": "Fire lørdage fra 10 til 16.",
                "compensation": "1.000 kr. pr. mødedag.",
                "created_at": ctx.at(start - timedelta(days=30)),
                "updated_at": ctx.at(start),
            }
        )
    ctx.ids["assembly"] = [r["id"] for r in rows]
    ctx.facts["start"], ctx.facts["status"] = starts, status_of
    ctx.facts["active"] = [i for i, s in status_of.items() if s == AssemblyStatus.ACTIVE]
    return rows


def _phases(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for a in ctx.ids["assembly"]:
        day = ctx.facts["start"][a]
        for kind, days in PHASES:
            end = day + timedelta(days=days - 1)
            rows.append({"assembly_id": a, "kind": kind, "starts_on": day, "ends_on": end})
            day = end + timedelta(days=1)
    for n, row in enumerate(rows, 1):
        row["id"] = n
    return rows


def _meetings(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for a in ctx.ids["assembly"]:
        start = ctx.facts["start"][a] + timedelta(days=44)
        for n in range(1, ctx.scale.meetings_per_assembly + 1):
            day = start + timedelta(days=14 * n)
            rows.append(
                {
                    "id": len(rows) + 1,
                    "assembly_id": a,
                    "number": n,
                    "title": f"Møde {n}: {ctx.rng.choice(WORDS)}",
                    "starts_at": ctx.at(day, 8),
                    "ends_at": ctx.at(day, 14),
                    "place": "Rådhuset, mødesal 1",
                    "address": "Rådhuspladsen 1",
                    "accessibility": "Niveaufri adgang og teleslynge.",
                    "agenda": ctx.paragraph(1),
                    "minutes": ctx.paragraph(2) if day < ctx.anchor else None,
                    "published": True,
                }
            )
    return rows


def _materials(ctx: Context) -> list[dict[str, Any]]:
    kinds = list(MaterialKind)
    rows = []
    for a in ctx.ids["assembly"]:
        for n in range(ctx.scale.materials_per_assembly):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "assembly_id": a,
                    "title": f"Oplæg om {ctx.rng.choice(WORDS)}",
                    "kind": kinds[n % len(kinds)],
                    "chosen_by": ChosenBy.ASSEMBLY if n % 2 else ChosenBy.ORGANISERS,
                    "source": f"{ctx.rng.choice(FIRST)} {ctx.rng.choice(LAST)}",
                    "affiliation": "Aarhus Universitet",
                    "url": "https://example.org/materiale",
                    "summary": ctx.paragraph(1),
                    "captions": False,
                    "published": True,
                    "published_on": ctx.facts["start"][a] + timedelta(days=60),
                }
            )
    return rows


def _members(ctx: Context) -> list[dict[str, Any]]:
    consents = list(DisplayConsent)
    rows = []
    for a in ctx.ids["assembly"]:
        for _ in range(ctx.scale.members_per_assembly):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "assembly_id": a,
                    "first_name": ctx.rng.choice(FIRST),
                    "last_name": ctx.rng.choice(LAST),
                    "district": ctx.rng.choice(DISTRICTS),
                    "consent": ctx.rng.choice(consents),
                    "status": MemberStatus.ACTIVE,
                    "profile": {
                        "Køn": ctx.rng.choice(("Kvinde", "Mand")),
                        "Alder": ctx.rng.choice(("18-29", "30-49", "50-69", "70+")),
                    },
                }
            )
    return rows


def _recommendations(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    public: list[int] = []
    final: list[int] = []
    per = ctx.scale.recommendations_per_assembly
    for a in ctx.ids["assembly"]:
        concluded = ctx.facts["status"][a] == AssemblyStatus.CONCLUDED
        for n in range(1, per + 1):
            rid = len(rows) + 1
            members = ctx.scale.members_per_assembly
            support = ctx.rng.randint(members // 2, members) if concluded else None
            rows.append(
                {
                    "id": rid,
                    "assembly_id": a,
                    "number": n,
                    "title": f"{ctx.rng.choice(WORDS).capitalize()} og {ctx.rng.choice(WORDS)}",
                    "text": ctx.paragraph(3),
                    "rationale": ctx.paragraph(2),
                    "status": RecommendationStatus.FINAL
                    if concluded
                    else RecommendationStatus.DRAFT,
                    "support_count": support,
                    "can_live_with_count": None if support is None else 2,
                    "cannot_support_count": None if support is None else 1,
                    "created_at": ctx.at(ctx.facts["start"][a] + timedelta(days=120)),
                    "updated_at": ctx.at(ctx.facts["start"][a] + timedelta(days=140 + n)),
                }
            )
            public.append(rid)
            if concluded:
                final.append(rid)
    ctx.ids["recommendation"] = public
    ctx.facts["final"] = final
    ctx.facts["rec_row"] = {r["id"]: r for r in rows}
    return rows


def _revisions(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    finals = set(ctx.facts["final"])
    for rid in ctx.ids["recommendation"]:
        rec = ctx.facts["rec_row"][rid]
        labels = ["Udkast 1", "Endelig"] if rid in finals else ["Udkast 1", None]
        parent = None
        for k, label in enumerate(labels):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "recommendation_id": rid,
                    "parent_id": parent,
                    "author_id": None,
                    "title": rec["title"],
                    "text": rec["text"] if k else ctx.paragraph(2),
                    "rationale": rec["rationale"],
                    "message": label or "Rettelser efter høringen",
                    "public_label": label,
                    "created_at": rec["created_at"] + timedelta(days=7 * k),
                }
            )
            parent = rows[-1]["id"]
            if k == 0:
                ctx.facts.setdefault("draft_revision", {})[rid] = parent
    return rows


def hot_recommendation() -> tuple[str, int]:
    """The slug and number of the recommendation with many comments."""
    return assembly_slug(1), 1


def _comments(ctx: Context) -> list[dict[str, Any]]:
    recs = ctx.ids["recommendation"]
    users = ctx.ids["user"]
    total = ctx.scale.comments
    hot = min(HOT_COMMENTS, total // 2)
    rows = []
    for i in range(total):
        rid = recs[0] if i < hot else recs[ctx.rng.randrange(len(recs))]
        created = ctx.facts["rec_row"][rid]["created_at"] + timedelta(minutes=7 * i % 40_000)
        rows.append(
            {
                "id": i + 1,
                "recommendation_id": rid,
                "revision_id": ctx.facts["draft_revision"][rid],
                "paragraph": None if i % 3 == 0 else 1 + i % 2,
                "author_id": users[ctx.rng.randrange(len(users))],
                "text": (body := ctx.paragraph(ctx.rng.randint(1, 3))),
                "text_html": f"<p>{body}</p>",
                "status": CommentStatus.HIDDEN if i % 50 == 49 else CommentStatus.VISIBLE,
                "created_at": created,
            }
        )
    return rows


def _organisations(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": i + 1,
            "name": f"Lokaludvalget {district}",
            "kind": OrganisationKind.LOKALUDVALG,
            "district": district,
            "verified": True,
            "created_at": ctx.at(ctx.anchor - timedelta(days=900)),
        }
        for i, district in enumerate(DISTRICTS)
    ]


def _committee_inputs(ctx: Context) -> list[dict[str, Any]]:
    recs = ctx.ids["recommendation"]
    rows = []
    for i in range(ctx.scale.committee_inputs):
        rid = recs[0] if i < 5 else recs[ctx.rng.randrange(len(recs))]
        rows.append(
            {
                "id": i + 1,
                "assembly_id": ctx.facts["rec_row"][rid]["assembly_id"],
                "recommendation_id": rid,
                "revision_id": ctx.facts["draft_revision"][rid],
                "organisation_id": 1 + ctx.rng.randrange(len(DISTRICTS)),
                "author_id": None,
                "title": ctx.sentence(),
                "position": ctx.rng.choice(list(ResponsePosition)),
                "text": (body := ctx.paragraph(4)),
                "text_html": f"<p>{body}</p>",
                "created_at": ctx.facts["rec_row"][rid]["created_at"] + timedelta(days=10),
            }
        )
    return rows


def _dispositions(ctx: Context) -> list[dict[str, Any]]:
    """A recorded disposition for every third comment (the response ledger)."""
    kinds = list(DispositionKind)
    return [
        {
            "id": n + 1,
            "comment_id": cid,
            "state": DispositionState.RECORDED,
            "kind": kinds[cid % len(kinds)],
            "rationale": ctx.sentence(),
            "created_at": ctx.at(ctx.anchor - timedelta(days=30)),
        }
        for n, cid in enumerate(range(1, ctx.scale.comments + 1, 3))
    ]


def _council_answers(ctx: Context) -> list[dict[str, Any]]:
    statuses = [s for s in AnswerStatus if s != AnswerStatus.PENDING]
    progress = list(ImplementationStatus)
    rows = []
    for rid in ctx.facts["final"]:
        decided = ctx.facts["rec_row"][rid]["created_at"].date() + timedelta(days=90)
        rows.append(
            {
                "id": len(rows) + 1,
                "recommendation_id": rid,
                "status": ctx.rng.choice(statuses),
                "text": ctx.paragraph(2),
                "decided_by": "Teknik- og Miljøudvalget",
                "decided_on": decided,
                "due_on": decided,
                "implementation": ctx.rng.choice(progress),
                "implementation_note": ctx.sentence(),
                "updated_at": ctx.at(decided),
            }
        )
    return rows


Rows = Callable[[Context], list[dict[str, Any]]]
KINDS: list[tuple[type[Base], Rows]] = [
    (SiteSettings, _site),
    (User, _users),
    (Assembly, _assemblies),
    (Phase, _phases),
    (Meeting, _meetings),
    (Material, _materials),
    (Member, _members),
    (Recommendation, _recommendations),
    (RecommendationRevision, _revisions),
    (Comment, _comments),
    (Disposition, _dispositions),
    (Organisation, _organisations),
    (ConsultationResponse, _committee_inputs),
    (CouncilAnswer, _council_answers),
]
BATCH = 5000


def generate(
    session: Session, scale: Scale, seed: int = 14, anchor: date = ANCHOR, quiet: bool = True
) -> dict[str, int]:
    """Insert the data set into an empty schema; returns the number of rows per table."""
    ctx = Context(scale, random.Random(seed), anchor)
    counts: dict[str, int] = {}
    for model, make in KINDS:
        started = time.perf_counter()
        rows = make(ctx)
        for i in range(0, len(rows), BATCH):
            session.execute(insert(model), rows[i : i + BATCH])
        counts[model.__tablename__] = len(rows)
        if not quiet:
            took = time.perf_counter() - started
            print(f"  {model.__tablename__:<26}{len(rows):>9} rows {took:6.1f} s", flush=True)
    _reset_sequences(session, counts)
    return counts


def _reset_sequences(session: Session, counts: dict[str, int]) -> None:
    """Explicit ids leave PostgreSQL's sequences at 1: move them past the rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in counts:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
            )
        )


def build(engine: Engine, scale: Scale, seed: int = 14, quiet: bool = True) -> dict[str, int]:
    """Create the schema on an empty database and fill it."""
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        counts = generate(session, scale, seed, quiet=quiet)
        session.commit()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=f"sqlite:///{ROOT / 'instance' / 'bench.db'}")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = full size, 0.01 = small")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    from portal.db import make_engine

    engine = make_engine(args.url)
    started = time.perf_counter()
    print(f"building {args.url} at scale {args.scale}", flush=True)
    counts = build(engine, Scale.of(args.scale), args.seed, quiet=False)
    print(f"{sum(counts.values())} rows in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
