"""Development only: the e-mails the portal would have sent, so a newcomer can follow seat links.

It exists when ENV is development and no SMTP server is configured (the `make run` default);
everywhere else it answers 404. Even then only staff (secretariat, admin) see it: a server left on
the development default must not show personal links to the world.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from .. import mail
from ..auth import role_required
from ..db import get_session
from ..models import Role

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.before_request
def _only_in_development() -> None:
    if not mail.dev_outbox_enabled():
        abort(404)


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_staff() -> None:
    return None


@bp.get("/outbox")
def show_dev_outbox() -> str:
    mails = mail.list_outbox(get_session(), None, limit=100)
    return render_template("dev/outbox.html", mails=[(m, mail.links_in(m.body)) for m in mails])
