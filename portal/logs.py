"""Logging: every record made during a request names its route and request id; no personal data.

Records carry the route's pattern (`/seat/<token>`), never the path itself (which may hold a
personal link), and never form values. Engines hide SQL parameters (portal/db.py). Each module
logs through `logging.getLogger(__name__)`; the "portal" logger gets one handler unless the host
application configured logging itself.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from types import TracebackType
from typing import Any

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(method)s %(route)s] %(message)s"
log = logging.getLogger("portal")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


class RequestContext(logging.Filter):
    """Adds request_id, method and route (the pattern, not the path) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            record.method = request.method
            record.route = request.url_rule.rule if request.url_rule else "-"
        else:
            record.request_id = record.method = record.route = "-"
        return True


CONTEXT = RequestContext()


def init_app(app: Flask) -> None:
    """One handler on the "portal" logger (unless configured elsewhere), request ids, route context."""
    context = CONTEXT
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(context)
        log.addHandler(handler)
        log.setLevel(str(app.config["LOG_LEVEL"]).upper())
    for name in ("portal", app.logger.name):  # addFilter adds one filter once, however many apps
        logging.getLogger(name).addFilter(context)

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        return response

    def log_exception(exc_info: ExcInfo | tuple[Any, Any, Any]) -> None:
        """Flask's unhandled-exception log, with the route instead of the path."""
        log.error(
            "unhandled %s", exc_info[0].__name__ if exc_info[0] else "error", exc_info=exc_info
        )

    app.log_exception = log_exception  # type: ignore[method-assign]
