"""The members' workspace: who may enter, the forum (threads, posts) and working groups.

A user is in assembly A's workspace when they have an active Member row of A with their user
id, or when they facilitate: the secretariat and admins facilitate every assembly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .assemblies import Page
from .errors import Forbidden, Invalid, NotFound, PhaseClosed
from .models import (
    Assembly,
    GroupMembership,
    Member,
    MemberStatus,
    Post,
    Role,
    Thread,
    User,
    WorkingGroup,
)
from .phases import Feature, allows, local_date
from .sanitize import markdown_to_html

EDIT_GRACE = timedelta(minutes=15)
MAX_POST = 10_000


@dataclass(frozen=True)
class Workspace:
    """An assembly as seen by one person allowed into its workspace."""

    assembly: Assembly
    actor: User
    member: Member | None  # None for facilitators who are not members

    @property
    def is_facilitator(self) -> bool:
        return is_facilitator(self.actor)

    def allows(self, feature: Feature, now: datetime) -> bool:
        return allows(self.assembly, feature, local_date(now))


def is_facilitator(user: User) -> bool:
    return user.has_role(Role.SECRETARIAT)


def get_workspace(session: Session, slug: str, actor: User) -> Workspace:
    """Only the assembly's active members and its facilitators get in; others are refused."""
    assembly = session.scalar(
        select(Assembly).where(Assembly.slug == slug).options(selectinload(Assembly.phases))
    )
    if assembly is None:
        raise NotFound(slug)
    member = session.scalar(
        select(Member).where(
            Member.assembly_id == assembly.id,
            Member.user_id == actor.id,
            Member.status == MemberStatus.ACTIVE,
        )
    )
    if member is None and not is_facilitator(actor):
        raise Forbidden()
    return Workspace(assembly, actor, member)


def require_phase(ws: Workspace, feature: Feature, now: datetime) -> None:
    """Commands call this: the assembly's current phase must allow the feature."""
    if not ws.allows(feature, now):
        raise PhaseClosed(_l("Det er ikke muligt i borgersamlingens nuværende fase."))


def require_facilitator(ws: Workspace) -> None:
    if not ws.is_facilitator:
        raise Forbidden()


def _text(field: str, value: str, limit: int, label: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid({field: str(label or _l("Skriv en tekst."))})
    if len(value) > limit:
        raise Invalid({field: str(_l("Teksten er for lang (højst %(n)d tegn).", n=limit))})
    return value


# --- forum ---------------------------------------------------------------------------------


def list_threads(session: Session, ws: Workspace, page: int = 1, size: int = 20) -> Page[Thread]:
    """The workspace's threads: pinned first, then the most recently active."""
    query = select(Thread).where(Thread.assembly_id == ws.assembly.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    items = session.scalars(
        query.options(selectinload(Thread.group), selectinload(Thread.author))
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return Page(list(items), page, size, total)


def get_thread(session: Session, ws: Workspace, thread_id: int) -> Thread:
    thread = session.get(Thread, thread_id)
    if thread is None or thread.assembly_id != ws.assembly.id:
        raise NotFound(thread_id)
    return thread


def list_posts(session: Session, thread: Thread, page: int | None, size: int = 20) -> Page[Post]:
    """A page of a thread's posts, oldest first; no page number means the last page."""
    total = thread.post_count
    pages = max(1, -(-total // size))
    number = pages if page is None else min(max(1, page), pages)
    items = session.scalars(
        thread.posts.select()
        .options(selectinload(Post.author))
        .order_by(Post.id)
        .limit(size)
        .offset((number - 1) * size)
    ).all()
    return Page(list(items), number, size, total)


def create_thread(
    session: Session,
    ws: Workspace,
    title: str,
    text: str,
    group_id: int | None,
    now: datetime,
) -> Thread:
    """Start a topic with its first post; members and facilitators, while the forum is open."""
    require_phase(ws, Feature.FORUM, now)
    errors: dict[str, str] = {}
    try:
        title = _text("title", title, 200, _l("Giv tråden en overskrift."))
    except Invalid as e:
        errors.update(e.field_errors)
    try:
        text = _text("text", text, MAX_POST)
    except Invalid as e:
        errors.update(e.field_errors)
    group = session.get(WorkingGroup, group_id) if group_id else None
    if group_id and (group is None or group.assembly_id != ws.assembly.id):
        errors["group_id"] = str(_l("Vælg en gruppe fra listen."))
    if errors:
        raise Invalid(errors)
    thread = Thread(
        assembly_id=ws.assembly.id,
        group=group,
        author=ws.actor,
        title=title,
        pinned=False,
        closed=False,
        post_count=0,
        created_at=now,
        last_post_at=now,
    )
    session.add(thread)
    _add_post(thread, ws.actor, text, now)
    session.commit()
    return thread


def _add_post(thread: Thread, author: User, text: str, now: datetime) -> Post:
    post = Post(author=author, text=text, text_html=markdown_to_html(text), created_at=now)
    thread.posts.add(post)
    thread.post_count += 1
    thread.last_post_at = now
    return post


def create_post(session: Session, ws: Workspace, thread: Thread, text: str, now: datetime) -> Post:
    """Reply in an open thread while the forum is open."""
    require_phase(ws, Feature.FORUM, now)
    if thread.closed:
        raise PhaseClosed(_l("Tråden er lukket for nye indlæg."))
    post = _add_post(thread, ws.actor, _text("text", text, MAX_POST), now)
    session.commit()
    return post


def get_post(session: Session, ws: Workspace, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.thread.assembly_id != ws.assembly.id:
        raise NotFound(post_id)
    return post


def can_edit_post(ws: Workspace, post: Post, now: datetime) -> bool:
    """Authors may correct their post for a short while after writing it."""
    return (
        post.author_id == ws.actor.id
        and now - post.created_at <= EDIT_GRACE
        and not post.thread.closed
        and ws.allows(Feature.FORUM, now)
    )


def update_post(session: Session, ws: Workspace, post: Post, text: str, now: datetime) -> Post:
    """Change one's own post within the grace period; the post shows that it was edited."""
    if post.author_id != ws.actor.id:
        raise Forbidden()
    if not can_edit_post(ws, post, now):
        raise PhaseClosed(_l("Indlægget kan ikke længere rettes."))
    post.text = _text("text", text, MAX_POST)
    post.text_html = markdown_to_html(post.text)
    post.edited_at = now
    session.commit()
    return post


def set_thread_state(
    session: Session, ws: Workspace, thread: Thread, *, pinned: bool, closed: bool
) -> Thread:
    """Facilitators pin a thread to the top and close it for replies (or undo either)."""
    require_facilitator(ws)
    thread.pinned, thread.closed = pinned, closed
    session.commit()
    return thread


# --- working groups -----------------------------------------------------------------------


def list_groups(session: Session, ws: Workspace) -> list[WorkingGroup]:
    """Every working group of the assembly with its members, by meeting."""
    groups = session.scalars(
        select(WorkingGroup)
        .where(WorkingGroup.assembly_id == ws.assembly.id)
        .options(
            selectinload(WorkingGroup.meeting),
            selectinload(WorkingGroup.memberships).selectinload(GroupMembership.member),
        )
        .order_by(WorkingGroup.meeting_id.desc(), WorkingGroup.name)
    ).all()
    return list(groups)


def list_active_members(session: Session, ws: Workspace) -> list[Member]:
    return list(
        session.scalars(
            select(Member)
            .where(Member.assembly_id == ws.assembly.id, Member.status == MemberStatus.ACTIVE)
            .order_by(Member.first_name, Member.last_name, Member.id)
        ).all()
    )


def create_group(
    session: Session,
    ws: Workspace,
    name: str,
    meeting_id: int | None,
    member_ids: list[int],
    now: datetime,
) -> WorkingGroup:
    """Facilitators form a group for a meeting from the assembly's active members."""
    require_facilitator(ws)
    name = _text("name", name, 120, _l("Giv gruppen et navn."))
    meetings = {m.id for m in ws.assembly.meetings}
    if meeting_id is not None and meeting_id not in meetings:
        raise Invalid({"meeting_id": str(_l("Vælg et møde fra listen."))})
    allowed = {m.id for m in list_active_members(session, ws)}
    chosen = sorted(set(member_ids))
    if not chosen or not set(chosen) <= allowed:
        raise Invalid({"member_ids": str(_l("Vælg mindst ét medlem af borgersamlingen."))})
    group = WorkingGroup(
        assembly_id=ws.assembly.id, meeting_id=meeting_id, name=name, created_at=now
    )
    group.memberships = [GroupMembership(member_id=i) for i in chosen]
    session.add(group)
    session.commit()
    return group


def my_groups(groups: list[WorkingGroup], ws: Workspace) -> list[WorkingGroup]:
    if ws.member is None:
        return []
    return [g for g in groups if any(m.member_id == ws.member.id for m in g.memberships)]
