"""Every person's start page after login: their assemblies, drafts, tasks and sign-ups."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..auth import current_account
from ..db import get_session
from ..people import mypage
from ..views import today

bp = Blueprint("mypage", __name__)


@bp.get("/mine")
@login_required
def show_mypage() -> str:
    user = current_account()
    page = mypage.start_page(get_session(), user, today())
    return render_template("account/mine.html", page=page, user=user)
