"""Rendered public pages for anonymous visitors, kept per process and dropped when data changes.

A view opts in with `@cached_page`. A request is served from the cache only when it carries no
session or remember cookie (so never for a logged-in user), and a response is kept only when it
is a 200 HTML page that sets no cookie and did not touch the session (a page whose form created a
CSRF token writes it to the session, so pages with per-session tokens are never kept).

The key is the path with its query, the language cookie, the htmx headers and today's date.
Freshness: every commit that wrote to a table the public may see bumps a per-database content
version: a small file whose inode changes at each bump (`os.replace`). Every request compares it
(one `stat`) with the version its entry was rendered at, so all worker processes on the host see a
write at once; entries also expire after PAGE_CACHE_SECONDS (time-based content such as "held
meetings" moves on by itself). Several hosts need the file on storage they share, or no cache.

Kept pages get an ETag; a visitor's browser that sends it back gets 304 Not Modified.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from werkzeug.wrappers import Response as BaseResponse

from .i18n import COOKIE

F = TypeVar("F", bound=Callable[..., Any])
# Tables no anonymous page shows: writes to them leave the cached pages as they are.
PRIVATE_TABLES = frozenset({"login_attempt", "outbox_email", "rate_event", "audit_event"})
# A login, a failed login or "log out everywhere" changes these columns of a user: nothing public.
USER_BOOKKEEPING = frozenset({"last_login_at", "session_epoch", "password_hash", "language"})
CHANGED = "content_changed"


def cached_page(view: F) -> F:
    """Mark a public GET view whose page may be kept for anonymous visitors."""
    view.page_cache = True  # type: ignore[attr-defined]
    return view


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    mimetype: str
    vary: tuple[str, ...]
    version: tuple[int, int]
    expires: float


class PageCache:
    """An LRU of rendered pages bounded in bytes, valid for one content version."""

    def __init__(self, version_file: Path, seconds: float, max_bytes: int) -> None:
        self.version_file = version_file
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._seen: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def version(self) -> tuple[int, int]:
        """The content version: the version file's inode and modification time (one stat)."""
        try:
            stat = os.stat(self.version_file)
        except FileNotFoundError:
            return (0, 0)
        return (stat.st_ino, stat.st_mtime_ns)

    def bump(self) -> None:
        """Start a new content version for every process on this host (atomic replace)."""
        self.version_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.version_file.parent, prefix=".version-")
        with os.fdopen(fd, "w") as out:
            out.write(f"{time.time_ns()}\n")
        os.replace(tmp, self.version_file)

    def get(self, key: tuple[str, ...], version: tuple[int, int]) -> Entry | None:
        with self._lock:
            if version != self._seen:  # data changed: nothing kept is current any more
                self._entries.clear()
                self._bytes = 0
                self._seen = version
                return None
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, ...], entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 4:
            return
        with self._lock:
            if entry.version != self._seen:
                return  # rendered from data older than what this process has seen
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[str, ...]) -> None:
        self._bytes -= len(self._entries.pop(key).body)


def default_version_file(app: Flask) -> Path:
    """One version file per database (the benchmark serves two from one checkout)."""
    engine = app.extensions["engine"]
    url = engine.url.render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Path(app.instance_path) / "page-cache" / f"{digest}.version"


def get_cache(app: Flask) -> PageCache | None:
    cache: PageCache | None = app.extensions.get("page_cache")
    return cache


def init_app(app: Flask) -> None:
    """Serve kept pages before the view runs; keep new ones after; bump the version on writes."""
    if not app.config["PAGE_CACHE"]:
        return
    version_file = app.config["PAGE_CACHE_VERSION_FILE"]
    cache = PageCache(
        Path(version_file) if version_file else default_version_file(app),
        float(app.config["PAGE_CACHE_SECONDS"]),
        int(app.config["PAGE_CACHE_MAX_BYTES"]),
    )
    app.extensions["page_cache"] = cache
    for name in ("sessionmaker", "write_sessionmaker"):
        watch_writes(app.extensions[name], cache)
    app.before_request(_serve_kept)
    app.after_request(_keep)


def watch_writes(target: Any, cache: PageCache) -> None:
    """Bump the content version after each commit of `target`'s sessions that wrote public rows."""
    event.listen(target, "after_flush", _note_flush)
    event.listen(target, "do_orm_execute", _note_statement)
    event.listen(target, "after_commit", lambda s: _after_commit(s, cache))
    event.listen(target, "after_rollback", lambda s: s.info.pop(CHANGED, None))


def _is_public_change(obj: Any, deleted: bool = False) -> bool:
    table = getattr(obj, "__tablename__", "")
    if table in PRIVATE_TABLES:
        return False
    if table == "user" and not deleted:
        from sqlalchemy import inspect

        changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
        return not changed <= USER_BOOKKEEPING
    return True


def _note_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(CHANGED):
        return
    if (
        any(_is_public_change(o) for o in session.new)
        or any(_is_public_change(o, deleted=True) for o in session.deleted)
        or any(_is_public_change(o) for o in session.dirty if session.is_modified(o))
    ):
        session.info[CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table not in PRIVATE_TABLES:
        state.session.info[CHANGED] = True


def _after_commit(session: Session, cache: PageCache) -> None:
    if session.info.pop(CHANGED, None):
        cache.bump()


# --- per request ----------------------------------------------------------------------------


def _key() -> tuple[str, ...] | None:
    """The cache key of this request, or None when it must not be served from or kept in the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "page_cache", False):
        return None
    config = current_app.config
    if config["SESSION_COOKIE_NAME"] in request.cookies:
        return None
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return None
    from .views import today

    return (
        request.full_path,
        request.cookies.get(COOKIE, ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        today().isoformat(),
    )


def _public_headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"  # browsers may keep it, but ask first (ETag)
    response.vary.add("Cookie")
    return response


def _serve_kept() -> BaseResponse | None:
    cache = get_cache(current_app)
    key = _key()
    if cache is None or key is None:
        return None
    version = cache.version()
    g.page_cache = (key, version)
    entry = cache.get(key, version)
    if entry is None:
        return None
    g.page_cache_hit = True
    response = Response(entry.body, mimetype=entry.mimetype)
    for header in entry.vary:
        response.vary.add(header)
    return _public_headers(response, entry.etag).make_conditional(request)


def _keep(response: Response) -> BaseResponse:
    cache = get_cache(current_app)
    kept: tuple[tuple[str, ...], tuple[int, int]] | None = g.get("page_cache")
    if cache is None or kept is None or g.get("page_cache_hit"):
        return response
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
        or session.modified
    ):
        return response
    body = response.get_data()
    if b'name="csrf_token"' in body or b"X-CSRFToken" in body:
        return response  # a per-session token must never be handed to someone else
    key, version = kept
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    expires = time.monotonic() + cache.seconds
    cache.put(key, Entry(body, etag, response.mimetype, tuple(response.vary), version, expires))
    return _public_headers(response, etag).make_conditional(request)
