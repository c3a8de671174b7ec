""" "Hvad skete der med jeres input": all input of an assembly with its public disposition.

The same rows feed the public input page (filtered, paginated), the report ("hvidbog") as
printable HTML and CSV, the charts and each person's "Mit input". Hidden input is listed with
the moderator's public reason and never its text. A page costs the same number of queries
however much input there is: light rows for filtering and counting, then the page's objects.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from .. import csvsafe
from ..assemblies import Page
from ..diffing import Segment, word_diff
from ..models import (
    Assembly,
    Comment,
    CommentStatus,
    ConsultationResponse,
    Disposition,
    DispositionKind,
    DispositionState,
    ModerationReason,
    Organisation,
    OrganisationPerson,
    Recommendation,
    RecommendationRevision,
    ResponsePosition,
    User,
)
from .ledger import DISPOSITION_KIND, InputRef, current_of, dispositions_for

RESIDENT, ORGANISATION = "resident", "organisation"
NONE = "none"  # the disposition filter's "not answered yet"

INPUT_KIND = {RESIDENT: _l("Borger"), ORGANISATION: _l("Organisation")}

MODERATION_REASON = {
    ModerationReason.PERSONAL_ATTACK: _l("personangreb"),
    ModerationReason.PERSONAL_DATA: _l("personoplysninger"),
    ModerationReason.DISCRIMINATION: _l("diskrimination"),
    ModerationReason.SPAM: _l("spam"),
    ModerationReason.OFF_TOPIC: _l("uden for emnet"),
    ModerationReason.ILLEGAL: _l("ulovligt indhold"),
}

RESPONSE_POSITION = {
    ResponsePosition.SUPPORTS: _l("Støtter"),
    ResponsePosition.SUPPORTS_WITH_CHANGES: _l("Støtter med ændringer"),
    ResponsePosition.OPPOSES: _l("Er imod"),
    ResponsePosition.OTHER: _l("Andet"),
}

# Cells a spreadsheet would run as a formula (CSV injection).


@dataclass
class InputFilter:
    recommendation: int | None = None  # the recommendation's number; 0 = the whole draft
    kind: str = ""  # RESIDENT / ORGANISATION
    disposition: str = ""  # a DispositionKind value or NONE
    district: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.recommendation is not None or self.kind or self.disposition or self.district
        )


@dataclass
class InputRow:
    """The light facts of one input used to filter, sort and count."""

    ref: InputRef
    recommendation_id: int | None
    created_at: datetime
    district: str
    disposition: DispositionKind | None
    hidden: bool = False


@dataclass
class InputItem:
    """One input as the public sees it."""

    ref: InputRef
    input: Comment | ConsultationResponse
    recommendation: Recommendation | None
    history: list[Disposition]
    replies: list[Comment] = field(default_factory=list)

    @property
    def is_response(self) -> bool:
        return self.ref.kind == "response"

    @property
    def hidden(self) -> bool:
        return self.input.status == CommentStatus.HIDDEN

    @property
    def disposition(self) -> Disposition | None:
        return current_of(self.history)

    @property
    def district(self) -> str:
        if isinstance(self.input, ConsultationResponse):
            return self.input.organisation.district
        # A resident's own choice at sign-up (not proof of residence); gone with the account.
        return self.input.author.district if self.input.author else ""


@dataclass
class RecommendationDiff:
    """What changed in a recommendation from each public version input was written on."""

    recommendation: Recommendation
    target: RecommendationRevision | None
    diffs: list[tuple[RecommendationRevision, list[Segment]]]


@dataclass
class InputOverview:
    page: Page[InputItem]
    recommendations: list[Recommendation]
    districts: list[str]
    rows: list[InputRow]  # every input that passed the filter (for the charts)
    all_rows: list[InputRow]


def _public_statuses() -> tuple[CommentStatus, ...]:
    return (CommentStatus.VISIBLE, CommentStatus.HIDDEN)


def _recommendation_ids(assembly: Assembly) -> Select[int]:
    return select(Recommendation.id).where(Recommendation.assembly_id == assembly.id)


def _thread_root() -> ColumnElement[bool]:
    """A comment that starts a thread. Written so that no index on parent_id serves it: almost
    every comment is a root, and SQLite without statistics would walk that index through every
    comment of every assembly instead of looking up the assembly's recommendations."""
    return func.coalesce(Comment.parent_id, 0) == 0


def _rows(session: Session, assembly: Assembly) -> list[InputRow]:
    """Every public input of the assembly (visible or hidden; never pending), light."""
    comments = session.execute(
        select(
            Comment.id, Comment.recommendation_id, Comment.created_at, User.district, Comment.status
        )
        .outerjoin(User, User.id == Comment.author_id)
        .where(
            Comment.recommendation_id.in_(_recommendation_ids(assembly)),
            _thread_root(),
            Comment.status.in_(_public_statuses()),
        )
    ).all()
    responses = session.execute(
        select(
            ConsultationResponse.id,
            ConsultationResponse.recommendation_id,
            ConsultationResponse.created_at,
            Organisation.district,
            ConsultationResponse.status,
        )
        .join(Organisation, Organisation.id == ConsultationResponse.organisation_id)
        .where(
            ConsultationResponse.assembly_id == assembly.id,
            ConsultationResponse.status.in_(_public_statuses()),
        )
    ).all()
    hidden = CommentStatus.HIDDEN
    rows = [
        InputRow(InputRef("comment", i), r, t, d or "", None, st == hidden)
        for i, r, t, d, st in comments
    ] + [
        InputRow(InputRef("response", i), r, t, d or "", None, st == hidden)
        for i, r, t, d, st in responses
    ]
    current = _current_kinds(session, assembly)
    for row in rows:
        row.disposition = current.get(row.ref)
    return rows


def _current_kinds(session: Session, assembly: Assembly) -> dict[InputRef, DispositionKind]:
    """The current recorded kind of every input of the assembly (one query)."""
    recorded = select(Disposition.id, Disposition.comment_id, Disposition.response_id).where(
        Disposition.state == DispositionState.RECORDED
    )
    on_comments = recorded.add_columns(Disposition.kind).where(
        Disposition.comment_id.in_(
            select(Comment.id).where(Comment.recommendation_id.in_(_recommendation_ids(assembly)))
        )
    )
    on_responses = recorded.add_columns(Disposition.kind).where(
        Disposition.response_id.in_(
            select(ConsultationResponse.id).where(ConsultationResponse.assembly_id == assembly.id)
        )
    )
    # Two narrow queries (an OR across both kinds of input walked every disposition).
    rows = sorted([*session.execute(on_comments), *session.execute(on_responses)])
    kinds: dict[InputRef, DispositionKind] = {}
    for _id, comment_id, response_id, kind in rows:
        ref = (
            InputRef("comment", comment_id)
            if comment_id
            else InputRef("response", response_id or 0)
        )
        kinds[ref] = DispositionKind(kind)
    return kinds


def _matches(row: InputRow, filt: InputFilter, numbers: dict[int, int]) -> bool:
    if filt.recommendation is not None:
        number = numbers.get(row.recommendation_id or 0, 0)
        if number != filt.recommendation:
            return False
    if filt.kind == RESIDENT and row.ref.kind != "comment":
        return False
    if filt.kind == ORGANISATION and row.ref.kind != "response":
        return False
    if filt.disposition == NONE and row.disposition is not None:
        return False
    if filt.disposition and filt.disposition != NONE and row.disposition != filt.disposition:
        return False
    return not filt.district or row.district == filt.district


def _load_items(
    session: Session, rows: list[InputRow], recs: dict[int, Recommendation]
) -> list[InputItem]:
    """The full objects of a page of rows (a fixed number of queries)."""
    refs = [r.ref for r in rows]
    comment_ids = [r.id for r in refs if r.kind == "comment"]
    response_ids = [r.id for r in refs if r.kind == "response"]
    found: dict[InputRef, Comment | ConsultationResponse] = {}
    if comment_ids:
        for c in session.scalars(
            select(Comment)
            .where(Comment.id.in_(comment_ids))
            .options(selectinload(Comment.author), selectinload(Comment.revision))
        ):
            found[InputRef("comment", c.id)] = c
    if response_ids:
        for r in session.scalars(
            select(ConsultationResponse)
            .where(ConsultationResponse.id.in_(response_ids))
            .options(
                selectinload(ConsultationResponse.organisation),
                selectinload(ConsultationResponse.revision),
                selectinload(ConsultationResponse.author),
            )
        ):
            found[InputRef("response", r.id)] = r
    replies: dict[int, list[Comment]] = {}
    if comment_ids:
        # Sorted here, not in SQL: an ORDER BY created_at leads SQLite to walk the index on
        # created_at through every comment instead of looking up the page's threads.
        found_replies = session.scalars(
            select(Comment)
            .where(Comment.parent_id.in_(comment_ids), Comment.status.in_(_public_statuses()))
            .options(selectinload(Comment.author))
        ).all()
        for reply in sorted(found_replies, key=lambda c: (c.created_at, c.id)):
            replies.setdefault(reply.parent_id or 0, []).append(reply)
    history = dispositions_for(session, refs)
    items = []
    for row in rows:
        obj = found[row.ref]
        items.append(
            InputItem(
                row.ref,
                obj,
                recs.get(row.recommendation_id or 0),
                history.get(row.ref, []),
                replies.get(obj.id, []) if row.ref.kind == "comment" else [],
            )
        )
    return items


def _recommendations(session: Session, assembly: Assembly) -> list[Recommendation]:
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.assembly_id == assembly.id)
        .options(selectinload(Recommendation.revisions))
        .order_by(Recommendation.number)
    ).all()
    return [r for r in recs if r.is_public]


def _sort_key(row: InputRow, numbers: dict[int, int]) -> tuple[int, datetime, int, int]:
    number = numbers.get(row.recommendation_id or 0, 10**6)
    return (number, row.created_at, 0 if row.ref.kind == "response" else 1, row.ref.id)


def get_overview(
    session: Session, assembly: Assembly, filt: InputFilter, page: int = 1, size: int = 20
) -> InputOverview:
    """The assembly's public input, filtered and paginated, by recommendation then time."""
    recs = _recommendations(session, assembly)
    numbers = {r.id: r.number for r in recs}
    all_rows = _rows(session, assembly)
    rows = sorted(
        (r for r in all_rows if _matches(r, filt, numbers)), key=lambda r: _sort_key(r, numbers)
    )
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    chunk = rows[(page - 1) * size : page * size]
    items = _load_items(session, chunk, {r.id: r for r in recs})
    districts = sorted({r.district for r in all_rows if r.district})
    return InputOverview(Page(items, page, size, len(rows)), recs, districts, rows, all_rows)


def get_all_items(
    session: Session, assembly: Assembly
) -> tuple[list[Recommendation], list[InputItem]]:
    """Every public input of the assembly (the hvidbog), by recommendation then time."""
    recs = _recommendations(session, assembly)
    numbers = {r.id: r.number for r in recs}
    rows = sorted(_rows(session, assembly), key=lambda r: _sort_key(r, numbers))
    return recs, _load_items(session, rows, {r.id: r for r in recs})


def rows_of(items: list[InputItem]) -> list[InputRow]:
    """Light rows of loaded items (for the charts of the report)."""
    return [
        InputRow(
            i.ref,
            i.input.recommendation_id,
            i.input.created_at,
            i.district,
            i.disposition.kind if i.disposition else None,
            i.hidden,
        )
        for i in items
    ]


def target_revision(rec: Recommendation) -> RecommendationRevision | None:
    """The final text, or the latest published draft while there is no final."""
    published = [r for r in rec.revisions if r.public_label]
    return max(published, key=lambda r: (r.created_at, r.id)) if published else None


def recommendation_diffs(
    recs: list[Recommendation], written: list[tuple[int, int]]
) -> list[RecommendationDiff]:
    """Per recommendation: a word diff from each public version that input was written on
    ((recommendation id, revision id) pairs) to the target version (`target_revision`)."""
    written_on: dict[int, set[int]] = {}
    for rec_id, revision_id in written:
        written_on.setdefault(rec_id, set()).add(revision_id)
    result = []
    for rec in recs:
        target = target_revision(rec)
        by_id = {r.id: r for r in rec.revisions}
        diffs = []
        for revision_id in sorted(written_on.get(rec.id, set())):
            source = by_id.get(revision_id)
            if source is None or target is None or source.id == target.id:
                continue
            diffs.append((source, word_diff(source.text, target.text)))
        result.append(RecommendationDiff(rec, target, diffs))
    return result


def revisions_written_on(session: Session, assembly: Assembly) -> list[tuple[int, int]]:
    """(recommendation id, revision id) pairs that public input was written on (one query)."""
    comments = session.execute(
        select(Comment.recommendation_id, Comment.revision_id)
        .where(Comment.recommendation_id.in_(_recommendation_ids(assembly)), _thread_root())
        .where(Comment.status.in_(_public_statuses()))
        .distinct()
    ).all()
    responses = session.execute(
        select(ConsultationResponse.recommendation_id, ConsultationResponse.revision_id)
        .where(
            ConsultationResponse.assembly_id == assembly.id,
            ConsultationResponse.recommendation_id.is_not(None),
            ConsultationResponse.revision_id.is_not(None),
            ConsultationResponse.status.in_(_public_statuses()),
        )
        .distinct()
    ).all()
    return [(r, v) for r, v in [*comments, *responses] if r and v]


def diffs_for(
    session: Session, assembly: Assembly, recs: list[Recommendation]
) -> list[RecommendationDiff]:
    return recommendation_diffs(recs, revisions_written_on(session, assembly))


# --- "Mit input" ------------------------------------------------------------------------------


def list_my_input(session: Session, user: User) -> list[tuple[Assembly, InputItem]]:
    """Everything the user wrote (thread roots, replies, and their organisations' responses)
    with what happened to it, newest first."""
    comments = session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id)
        .options(
            selectinload(Comment.recommendation).selectinload(Recommendation.assembly),
            selectinload(Comment.revision),
        )
        .order_by(Comment.created_at.desc())
    ).all()
    org_ids = select(OrganisationPerson.organisation_id).where(
        OrganisationPerson.user_id == user.id
    )
    responses = session.scalars(
        select(ConsultationResponse)
        .where(
            (ConsultationResponse.author_id == user.id)
            | ConsultationResponse.organisation_id.in_(org_ids)
        )
        .options(
            selectinload(ConsultationResponse.organisation),
            selectinload(ConsultationResponse.recommendation),
            selectinload(ConsultationResponse.revision),
        )
        .order_by(ConsultationResponse.created_at.desc())
    ).all()
    roots = {c.parent_id for c in comments if c.parent_id}
    refs = (
        [InputRef("comment", c.id) for c in comments]
        + [InputRef("comment", i) for i in roots]
        + [InputRef("response", r.id) for r in responses]
    )
    history = dispositions_for(session, refs)
    assemblies = {
        a.id: a
        for a in session.scalars(
            select(Assembly).where(Assembly.id.in_([r.assembly_id for r in responses]))
        )
    }
    result: list[tuple[datetime, Assembly, InputItem]] = []
    for c in comments:
        # A reply shows the disposition of its thread.
        ref = InputRef("comment", c.parent_id or c.id)
        item = InputItem(InputRef("comment", c.id), c, c.recommendation, history.get(ref, []))
        result.append((c.created_at, c.recommendation.assembly, item))
    for r in responses:
        ref = InputRef("response", r.id)
        result.append(
            (
                r.created_at,
                assemblies[r.assembly_id],
                InputItem(ref, r, r.recommendation, history[ref]),
            )
        )
    result.sort(key=lambda t: t[0], reverse=True)
    return [(a, i) for _, a, i in result]


# --- CSV ------------------------------------------------------------------------------------


def hidden_text(item: InputItem) -> str:
    reason = item.input.moderation_reason
    label = str(MODERATION_REASON[reason]) if reason else ""
    note = item.input.moderation_note.strip()
    detail = ", ".join(p for p in (label, note) if p)
    return str(_l("Skjult af moderator: %(reason)s", reason=detail))


def author_name(item: InputItem) -> str:
    if isinstance(item.input, ConsultationResponse):
        return item.input.organisation.name
    if item.input.author is None:
        return str(_l("En tidligere deltager"))
    return item.input.author.display_name


def csv_report(recs: list[Recommendation], items: list[InputItem]) -> bytes:
    """The hvidbog as CSV: semicolons, UTF-8 with BOM (Excel), formula cells neutralised."""
    out = io.StringIO()
    writer = csvsafe.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            str(h)
            for h in (
                _l("Nummer"),
                _l("Anbefaling"),
                _l("Type"),
                _l("Afsender"),
                _l("Bydel"),
                _l("Skrevet på version"),
                _l("Dato"),
                _l("Input"),
                _l("Svar"),
                _l("Begrundelse"),
                _l("Påvirkede version"),
                _l("Besvaret"),
            )
        ]
    )
    for item in items:
        rec = item.recommendation
        disposition = item.disposition
        revision = item.input.revision
        text = hidden_text(item) if item.hidden else _full_text(item)
        writer.writerow(
            [
                str(v) if v is not None else ""
                for v in (
                    rec.number if rec else "",
                    rec.title if rec else _l("Hele udkastet"),
                    INPUT_KIND[ORGANISATION if item.is_response else RESIDENT],
                    "" if item.hidden else author_name(item),
                    item.district,
                    revision.public_label if revision and revision.public_label else "",
                    item.input.created_at.date().isoformat(),
                    text,
                    DISPOSITION_KIND[disposition.kind]
                    if disposition
                    else ("" if item.hidden else _l("Ikke besvaret endnu")),
                    disposition.rationale if disposition else "",
                    _revision_label(disposition.revision)
                    if disposition and disposition.revision
                    else "",
                    disposition.created_at.date().isoformat() if disposition else "",
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _full_text(item: InputItem) -> str:
    if isinstance(item.input, ConsultationResponse):
        return f"{item.input.title}: {item.input.text}"
    return item.input.text


def _revision_label(revision: RecommendationRevision) -> str:
    return revision.public_label or str(_l("Arbejdsversion %(id)d", id=revision.id))
