"""PORTAL_TRUSTED_PROXIES: behind a reverse proxy each visitor keeps their own address."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from portal.models import RateEvent

from ..conftest import make_test_app
from .test_registration import URL, valid


def sign_ups(engine: Engine, proxies: int) -> tuple[int, list[str]]:
    app, close = make_test_app(engine, TRUSTED_PROXIES=proxies, REGISTRATION_LIMIT_PER_ADDRESS=2)
    try:
        client = app.test_client()
        statuses = []
        for i, visitor in enumerate(["203.0.113.5", "203.0.113.6", "203.0.113.7"]):
            response = client.post(
                URL,
                data=valid(email=f"proxy{i}@example.dk"),
                headers={"X-Forwarded-For": visitor},
                environ_base={"REMOTE_ADDR": "10.9.9.9"},  # the proxy
            )
            statuses.append(response.status_code)
        with app.extensions["sessionmaker"]() as session:
            addresses = session.scalars(select(RateEvent.address).order_by(RateEvent.id)).all()
        return statuses.count(302), list(addresses)
    finally:
        close()


def test_without_trusted_proxies_the_header_is_ignored(engine: Engine) -> None:
    stored, addresses = sign_ups(engine, 0)
    assert stored == 2 and addresses[-2:] == [
        "10.9.9.9",
        "10.9.9.9",
    ]  # a spoofed header gains nothing


def test_with_one_trusted_proxy_each_visitor_counts_alone(engine: Engine) -> None:
    stored, addresses = sign_ups(engine, 1)
    assert stored == 3 and addresses[-3:] == ["203.0.113.5", "203.0.113.6", "203.0.113.7"]


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from portal import config

    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "2")
    assert config.load()["TRUSTED_PROXIES"] == 2
