"""Run one action from many threads at once, bounded in count and time; talk HTTP to a live server.

Connecting is retried a bounded number of times (a loaded 2-core machine may refuse or reset a
connection while its listen queue is full): nothing was sent then, so a retry cannot store twice.
A request that was sent is never retried, and a 5xx is never retried: those are what we look for.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
DEADLINE_SECONDS = 120
CONNECT_ATTEMPTS = 5


def together(count: int, action: Callable[[int], T]) -> list[T]:
    """Call action(0..count-1) from `count` threads released at the same moment; all results."""
    barrier = threading.Barrier(count, timeout=DEADLINE_SECONDS)

    def run(i: int) -> T:
        barrier.wait()
        return action(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, i) for i in range(count)]
        return [f.result(timeout=DEADLINE_SECONDS) for f in futures]


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    text: str


def connect(port: int) -> http.client.HTTPConnection:
    """A connection to the live server on loopback, connecting again (bounded) if refused."""
    for attempt in range(CONNECT_ATTEMPTS):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE_SECONDS)
        try:
            connection.connect()
            return connection
        except (ConnectionRefusedError, ConnectionResetError, TimeoutError):
            connection.close()
            if attempt == CONNECT_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * 2**attempt)
    raise AssertionError("unreachable")


def request(
    port: int,
    method: str,
    path: str,
    form: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
    cookie: str = "",
) -> Reply:
    """One request (sent once), its status, headers and text."""
    body = urlencode(form or {}, doseq=True) if form is not None else None
    sent = dict(headers or {})
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        sent["Cookie"] = cookie
    connection = connect(port)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        received: dict[str, str] = {}
        for name, value in response.getheaders():  # repeated headers (Set-Cookie) joined by \n
            key = name.lower()
            received[key] = f"{received[key]}\n{value}" if key in received else value
        return Reply(response.status, received, text)
    finally:
        connection.close()


def log_in(port: int, email: str, password: str) -> str:
    """Log in over HTTP; the session cookie ("name=value") to send with later requests."""
    reply = request(port, "POST", "/login", {"email": email, "password": password})
    assert reply.status == 302, (reply.status, reply.text[:300])
    cookies = reply.headers.get("set-cookie", "").split("\n")
    session = [c.split(";")[0] for c in cookies if re.match(r"(__Host-)?samling=", c)]
    assert session, reply.headers
    return session[0]
