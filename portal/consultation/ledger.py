"""The response ledger: a public disposition for every comment thread and every response.

Facilitators of the assembly and the secretariat record dispositions (one input or several at
once); active members propose them. Rows are immutable: the newest RECORDED row of an input is
its public disposition, so changing it adds a row and the history stays. Each recorded change
tells the input's author by e-mail, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Exists, Select, func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..errors import Forbidden, Invalid, NotFound
from ..mail import external_url, in_language
from ..models import (
    Assembly,
    Comment,
    CommentStatus,
    ConsultationResponse,
    Disposition,
    DispositionKind,
    DispositionState,
    Member,
    MemberStatus,
    OutboxEmail,
    Recommendation,
    RecommendationRevision,
    Role,
    User,
)
from ..people.facilitators import is_facilitator

MAX_RATIONALE = 2000

DISPOSITION_KIND = {
    DispositionKind.ADOPTED: _l("Indarbejdet"),
    DispositionKind.PARTLY_ADOPTED: _l("Delvist indarbejdet"),
    DispositionKind.NOT_ADOPTED: _l("Ikke indarbejdet"),
    DispositionKind.OUTSIDE_REMIT: _l("Uden for rammen"),
    DispositionKind.NOTED: _l("Taget til efterretning"),
}

InputKind = Literal["comment", "response"]


@dataclass(frozen=True)
class InputRef:
    """One piece of input that takes a disposition: a thread's root comment or a response."""

    kind: InputKind
    id: int

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"

    @classmethod
    def parse(cls, raw: str) -> InputRef | None:
        kind, _, number = (raw or "").partition("-")
        if kind not in ("comment", "response") or not number.isdigit() or len(number) > 12:
            return None
        return cls(kind, int(number))  # type: ignore[arg-type]


@dataclass(frozen=True)
class LedgerAccess:
    """An assembly as one person may work on its ledger: record (facilitators, secretariat) or
    only propose (active members)."""

    assembly: Assembly
    actor: User
    can_record: bool


@dataclass(frozen=True)
class Decision:
    kind: DispositionKind
    rationale: str
    revision_id: int | None


def get_access(session: Session, slug: str, actor: User) -> LedgerAccess:
    """The assembly's facilitators and the secretariat record; its active members propose."""
    assembly = session.scalar(select(Assembly).where(Assembly.slug == slug))
    if assembly is None:
        raise NotFound(slug)
    if not actor.active:
        raise Forbidden()
    if actor.has_role(Role.SECRETARIAT) or is_facilitator(session, assembly, actor):
        return LedgerAccess(assembly, actor, True)
    member = session.scalar(
        select(Member.id).where(
            Member.assembly_id == assembly.id,
            Member.user_id == actor.id,
            Member.status == MemberStatus.ACTIVE,
        )
    )
    if member is None:
        raise Forbidden()
    return LedgerAccess(assembly, actor, False)


# --- reading --------------------------------------------------------------------------------


def ref_of(row: Disposition) -> InputRef:
    if row.comment_id is not None:
        return InputRef("comment", row.comment_id)
    return InputRef("response", row.response_id or 0)


def dispositions_for(
    session: Session, refs: Iterable[InputRef], state: DispositionState = DispositionState.RECORDED
) -> dict[InputRef, list[Disposition]]:
    """Every row of the given state for the inputs, oldest first (one query)."""
    refs = list(refs)
    comments = [r.id for r in refs if r.kind == "comment"]
    responses = [r.id for r in refs if r.kind == "response"]
    result: dict[InputRef, list[Disposition]] = {r: [] for r in refs}
    if not refs:
        return result
    condition = Disposition.comment_id.in_(comments) | Disposition.response_id.in_(responses)
    rows = session.scalars(
        select(Disposition)
        .where(condition, Disposition.state == state)
        .options(selectinload(Disposition.revision))
        .order_by(Disposition.id)
    )
    for row in rows:
        result.setdefault(ref_of(row), []).append(row)
    return result


def current_of(history: list[Disposition]) -> Disposition | None:
    """The public disposition: the newest recorded row."""
    return history[-1] if history else None


def _answered_comment() -> Exists:
    return (
        select(Disposition.id)
        .where(
            Disposition.comment_id == Comment.id,
            Disposition.state == DispositionState.RECORDED,
        )
        .exists()
    )


def _answered_response() -> Exists:
    return (
        select(Disposition.id)
        .where(
            Disposition.response_id == ConsultationResponse.id,
            Disposition.state == DispositionState.RECORDED,
        )
        .exists()
    )


def _untreated_comments(assembly_ids: list[int]) -> Select[int, Comment]:
    return (
        select(Recommendation.assembly_id, Comment)
        .join(Comment, Comment.recommendation_id == Recommendation.id)
        .where(
            Recommendation.assembly_id.in_(assembly_ids),
            Comment.parent_id.is_(None),
            Comment.status == CommentStatus.VISIBLE,
            ~_answered_comment(),
        )
    )


def _untreated_responses(assembly_ids: list[int]) -> Select[int, ConsultationResponse]:
    return select(ConsultationResponse.assembly_id, ConsultationResponse).where(
        ConsultationResponse.assembly_id.in_(assembly_ids),
        ConsultationResponse.status == CommentStatus.VISIBLE,
        ~_answered_response(),
    )


def untreated_counts(session: Session, assembly_ids: list[int]) -> dict[int, int]:
    """Visible thread roots and responses without a recorded disposition, per assembly."""
    counts: dict[int, int] = {}
    queries: list[Select[Any, Any]] = [
        _untreated_comments(assembly_ids),
        _untreated_responses(assembly_ids),
    ]
    for query in queries:
        sub = query.subquery()
        rows = session.execute(
            select(sub.c.assembly_id, func.count()).group_by(sub.c.assembly_id)
        ).all()
        for assembly_id, n in rows:
            counts[assembly_id] = counts.get(assembly_id, 0) + n
    return counts


@dataclass
class Workload:
    """What still lacks a disposition in one assembly, with members' proposals."""

    comments: list[Comment] = field(default_factory=list)
    responses: list[ConsultationResponse] = field(default_factory=list)
    proposals: dict[InputRef, list[Disposition]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.comments) + len(self.responses)


def list_untreated(session: Session, assembly: Assembly) -> Workload:
    """The untreated inputs (oldest first) and what members proposed for them."""
    comments = [
        c
        for _, c in session.execute(
            _untreated_comments([assembly.id])
            .options(
                selectinload(Comment.author),
                selectinload(Comment.recommendation),
                selectinload(Comment.revision),
            )
            .order_by(Comment.created_at, Comment.id)
        ).all()
    ]
    responses = [
        r
        for _, r in session.execute(
            _untreated_responses([assembly.id])
            .options(
                selectinload(ConsultationResponse.organisation),
                selectinload(ConsultationResponse.recommendation),
                selectinload(ConsultationResponse.revision),
            )
            .order_by(ConsultationResponse.created_at, ConsultationResponse.id)
        ).all()
    ]
    refs = [InputRef("comment", c.id) for c in comments] + [
        InputRef("response", r.id) for r in responses
    ]
    proposals = dispositions_for(session, refs, DispositionState.PROPOSED)
    return Workload(comments, responses, {k: v for k, v in proposals.items() if v})


def list_treated(
    session: Session, assembly: Assembly, limit: int = 200
) -> list[tuple[InputRef, object, list[Disposition]]]:
    """Inputs that have a recorded disposition, newest decision first, with their history."""
    rows = session.scalars(
        select(Disposition)
        .outerjoin(Comment, Comment.id == Disposition.comment_id)
        .outerjoin(Recommendation, Recommendation.id == Comment.recommendation_id)
        .outerjoin(ConsultationResponse, ConsultationResponse.id == Disposition.response_id)
        .where(
            Disposition.state == DispositionState.RECORDED,
            (Recommendation.assembly_id == assembly.id)
            | (ConsultationResponse.assembly_id == assembly.id),
        )
        .order_by(Disposition.id.desc())
    ).all()
    order: list[InputRef] = []
    for row in rows:
        ref = ref_of(row)
        if ref not in order:
            order.append(ref)
    order = order[:limit]
    inputs = _inputs_by_ref(session, order)
    history = dispositions_for(session, order)
    return [(ref, inputs[ref], history[ref]) for ref in order if ref in inputs]


def _inputs_by_ref(session: Session, refs: list[InputRef]) -> dict[InputRef, object]:
    found: dict[InputRef, object] = {}
    ids = [r.id for r in refs if r.kind == "comment"]
    if ids:
        for c in session.scalars(
            select(Comment)
            .where(Comment.id.in_(ids))
            .options(selectinload(Comment.author), selectinload(Comment.recommendation))
        ):
            found[InputRef("comment", c.id)] = c
    ids = [r.id for r in refs if r.kind == "response"]
    if ids:
        for r in session.scalars(
            select(ConsultationResponse)
            .where(ConsultationResponse.id.in_(ids))
            .options(
                selectinload(ConsultationResponse.organisation),
                selectinload(ConsultationResponse.recommendation),
            )
        ):
            found[InputRef("response", r.id)] = r
    return found


def revisions_for(session: Session, assembly: Assembly) -> dict[int, list[RecommendationRevision]]:
    """Each recommendation's revisions (to choose the one an input influenced), newest first."""
    rows = session.scalars(
        select(RecommendationRevision)
        .join(Recommendation, Recommendation.id == RecommendationRevision.recommendation_id)
        .where(Recommendation.assembly_id == assembly.id)
        .order_by(RecommendationRevision.id.desc())
    )
    result: dict[int, list[RecommendationRevision]] = {}
    for rev in rows:
        result.setdefault(rev.recommendation_id, []).append(rev)
    return result


# --- writing --------------------------------------------------------------------------------


def _load_inputs(
    session: Session, assembly: Assembly, refs: list[InputRef]
) -> list[Comment | ConsultationResponse]:
    """The inputs, each checked to belong to the assembly and to take a disposition."""
    if not refs:
        raise Invalid({"inputs": str(_l("Vælg mindst ét input."))})
    inputs: list[Comment | ConsultationResponse] = []
    for ref in dict.fromkeys(refs):
        if ref.kind == "comment":
            comment = session.get(Comment, ref.id)
            if comment is None or comment.recommendation.assembly_id != assembly.id:
                raise NotFound(ref.key)
            if comment.parent_id is not None:
                raise Invalid({"inputs": str(_l("Kun en tråds første kommentar får et svar."))})
            inputs.append(comment)
        else:
            response = session.get(ConsultationResponse, ref.id)
            if response is None or response.assembly_id != assembly.id:
                raise NotFound(ref.key)
            inputs.append(response)
    return inputs


def parse_decision(
    session: Session,
    inputs: list[Comment | ConsultationResponse],
    kind: str,
    rationale: str,
    revision_id: int | None,
) -> Decision:
    """A disposition needs a kind and a short rationale; the revision (optional) must be one of
    the inputs' recommendation's."""
    errors: dict[str, str] = {}
    try:
        chosen = DispositionKind(kind)
    except ValueError:
        errors["kind"] = str(_l("Vælg hvad der skete med inputtet."))
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = str(_l("Skriv en kort begrundelse."))
    elif len(rationale) > MAX_RATIONALE:
        errors["rationale"] = str(
            _l("Begrundelsen er for lang (højst %(n)d tegn).", n=MAX_RATIONALE)
        )
    if revision_id is not None:
        revision = session.get(RecommendationRevision, revision_id)
        targets = {i.recommendation_id for i in inputs}
        if revision is None or targets != {revision.recommendation_id}:
            errors["revision_id"] = str(
                _l("Vælg en version af den anbefaling, som inputtet handler om.")
            )
    if errors:
        raise Invalid(errors)
    return Decision(chosen, rationale, revision_id)


def _same(row: Disposition | None, decision: Decision) -> bool:
    return (
        row is not None
        and row.kind == decision.kind
        and row.rationale == decision.rationale
        and row.revision_id == decision.revision_id
    )


def _ref(item: Comment | ConsultationResponse) -> InputRef:
    return InputRef("comment" if isinstance(item, Comment) else "response", item.id)


def _add_row(
    session: Session,
    access: LedgerAccess,
    now: datetime,
    ref: InputRef,
    decision: Decision,
    state: DispositionState,
    action: str,
) -> Disposition:
    """One disposition row (history is never overwritten) and its audit event."""
    row = Disposition(
        state=state,
        kind=decision.kind,
        rationale=decision.rationale,
        revision_id=decision.revision_id,
        decided_by_id=access.actor.id,
        created_at=now,
        **{f"{ref.kind}_id": ref.id},
    )
    session.add(row)
    audit.record(
        session,
        action,
        f"{access.assembly.slug}/{ref.key}",
        now,
        actor=access.actor,
        detail=decision.kind.value,
    )
    return row


def record_dispositions(
    session: Session,
    access: LedgerAccess,
    now: datetime,
    refs: list[InputRef],
    kind: str,
    rationale: str,
    revision_id: int | None = None,
) -> int:
    """Record one disposition for one or several inputs (bulk); only facilitators and the
    secretariat may. An input whose disposition would not change is left alone (no row, no
    e-mail); every other gets a new row, an audit event and an e-mail to its author."""
    if not access.can_record:
        raise Forbidden()
    inputs = _load_inputs(session, access.assembly, refs)
    decision = parse_decision(session, inputs, kind, rationale, revision_id)
    history = dispositions_for(session, [_ref(i) for i in inputs])
    changed = 0
    for item in inputs:
        ref = _ref(item)
        previous = current_of(history[ref])
        if _same(previous, decision):
            continue
        action = "disposition.changed" if previous else "disposition.recorded"
        _add_row(session, access, now, ref, decision, DispositionState.RECORDED, action)
        _notify(session, item, access.assembly, decision, changed=previous is not None)
        changed += 1
    session.commit()
    return changed


def propose_disposition(
    session: Session,
    access: LedgerAccess,
    now: datetime,
    refs: list[InputRef],
    kind: str,
    rationale: str,
    revision_id: int | None = None,
) -> Disposition:
    """A member (or facilitator) suggests a disposition for one input (not public); a
    facilitator decides."""
    if len(set(refs)) > 1:
        raise Invalid({"inputs": str(_l("Vælg præcis ét input at foreslå et svar til."))})
    inputs = _load_inputs(session, access.assembly, refs)
    ref = _ref(inputs[0])
    decision = parse_decision(session, inputs, kind, rationale, revision_id)
    row = _add_row(
        session, access, now, ref, decision, DispositionState.PROPOSED, "disposition.proposed"
    )
    session.commit()
    return row


def accept_proposal(session: Session, access: LedgerAccess, now: datetime, proposal_id: int) -> int:
    """A facilitator turns a member's proposal into the recorded disposition."""
    if not access.can_record:
        raise Forbidden()
    proposal = session.get(Disposition, proposal_id)
    if proposal is None or proposal.state != DispositionState.PROPOSED:
        raise NotFound(proposal_id)
    return record_dispositions(
        session,
        access,
        now,
        [ref_of(proposal)],
        proposal.kind.value,
        proposal.rationale,
        proposal.revision_id,
    )


# --- notifications --------------------------------------------------------------------------


def _notify(
    session: Session,
    item: Comment | ConsultationResponse,
    assembly: Assembly,
    decision: Decision,
    changed: bool,
) -> None:
    """An e-mail to the input's author in their language (none for a deleted account)."""
    author = item.author
    if author is None or not author.active:
        return
    language = author.language or "da"
    with in_language(language):
        subject = (
            gettext("Svaret på dit input er ændret")
            if changed
            else gettext("Dit input har fået et svar")
        )
        body = "\n\n".join(
            [
                gettext("Hej %(name)s", name=author.display_name),
                gettext(
                    'Borgersamlingen "%(title)s" har taget stilling til dit input.',
                    title=assembly.title,
                )
                if not changed
                else gettext(
                    'Borgersamlingen "%(title)s" har ændret sit svar på dit input.',
                    title=assembly.title,
                ),
                gettext("Hvad der skete: %(kind)s", kind=str(DISPOSITION_KIND[decision.kind])),
                gettext("Begrundelse: %(text)s", text=decision.rationale),
                gettext(
                    "Se alt dit input og svarene her: %(url)s", url=external_url("/mine/input")
                ),
                gettext(
                    "Se alt input til borgersamlingen: %(url)s",
                    url=external_url(f"/assemblies/{assembly.slug}/input"),
                ),
            ]
        )
    session.add(
        OutboxEmail(
            to=author.email,
            subject=subject,
            body=body,
            language=language,
            assembly_id=assembly.id,
        )
    )
