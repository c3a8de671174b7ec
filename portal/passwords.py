"""Password rules (NIST 800-63B style): long enough, not common; argon2id hashing."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 1024
_COMMON_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


@cache
def _hasher(kind: str) -> PasswordHasher:
    if kind == "fast":  # tests only: still argon2id, with tiny cost parameters
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


def hash_password(password: str, kind: str = "argon2id") -> str:
    return _hasher(kind).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; any malformed hash counts as a mismatch."""
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common() -> frozenset[str]:
    words = _COMMON_FILE.read_text(encoding="utf-8").split()
    return frozenset(w.strip().lower() for w in words if w.strip())


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in _common():
        return True
    # A common word padded with digits and symbols ("Adgangskode123!") is still common.
    core = re.sub(r"[\d\W_]+", "", lowered)
    if core in _common() or core == "":
        return True
    # One character repeated, or a keyboard/number run.
    if len(set(lowered)) <= 2:
        return True
    runs = (
        "0123456789",
        "abcdefghijklmnopqrstuvwxyzæøå",
        "qwertyuiopåasdfghjklæøzxcvbnm",
        "qwertyuiopasdfghjklzxcvbnm",
    )
    return any(lowered in run * 3 for run in runs)


def password_problem(password: str, email: str = "") -> str | None:
    """Why the password is refused (in the user's language), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Adgangskoden skal være mindst %(n)d tegn.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Adgangskoden må højst være %(n)d tegn.", n=MAX_LENGTH))
    local = email.split("@")[0].lower()
    if _is_common(password) or (len(local) >= 4 and local in password.lower()):
        return str(
            _l("Adgangskoden er for almindelig eller let at gætte. Prøv en sætning af flere ord.")
        )
    return None
