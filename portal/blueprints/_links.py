"""Link settings for e-mails, from the configuration (never from the request's Host header)."""

from __future__ import annotations

from flask import current_app

from ..people.tokens import LinkSettings


def link_settings() -> LinkSettings:
    config = current_app.config
    return LinkSettings(
        secret=str(config["SECRET_KEY"]),
        base_url=str(config["BASE_URL"]),
        hours=int(config["SET_PASSWORD_HOURS"]),
    )
