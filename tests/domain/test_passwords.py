"""Password policy and hashing."""

from __future__ import annotations

import pytest

from portal.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "kort",
        "elleve-tegn",
        "password1234",
        "Adgangskode123!",
        "aaaaaaaaaaaaaa",
        "123456789012",
        "qwertyuiopasdf",
        "KODEORD12345!!",
        "mette.jensen2024",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password, "mette.jensen@example.org") is not None


@pytest.mark.parametrize(
    "password",
    [
        "tre grønne cykler på torvet",
        "korrekt hest batteri hæfteklamme",
        "Ø-bro-1911-lindetræer",
    ],
)
def test_long_unusual_passwords_are_accepted_without_composition_rules(password: str) -> None:
    assert password_problem(password) is None


def test_argon2id_hash_verifies_and_rejects() -> None:
    digest = hash_password("tre grønne cykler på torvet", "fast")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "tre grønne cykler på torvet")
    assert not verify_password(digest, "tre grønne cykler på torvet!")
    assert not verify_password("not-a-hash", "x")


def test_production_hash_uses_owasp_parameters() -> None:
    digest = hash_password("tre grønne cykler på torvet")
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
