"""Plausible demo pools: registrants whose answers lean the way real sign-ups do (older, more educated)."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..models import Assembly, QuotaTarget, Recruitment, Registrant
from ..recruitment.quotas import bounds_from_share
from ..recruitment.registration import household_key
from . import content as c

# category → [(value, population share, how much more/less often such people sign up)]
BAEREDYGTIGT_QUOTAS: dict[str, list[tuple[str, float, float]]] = {
    "Region": [("Region Hovedstaden", 0.60, 1.0), ("Region Syddanmark", 0.40, 1.0)],
    "Køn": [("Kvinde", 0.50, 1.2), ("Mand", 0.50, 0.8)],
    "Alder": [
        ("18-29", 0.19, 0.6),
        ("30-44", 0.23, 0.9),
        ("45-59", 0.25, 1.1),
        ("60-74", 0.21, 1.4),
        ("75+", 0.12, 0.7),
    ],
    "Uddannelse": [
        ("Grundskole", 0.25, 0.5),
        ("Erhvervsuddannelse", 0.35, 0.9),
        ("Videregående", 0.40, 1.6),
    ],
    "Boligform": [("Ejerbolig", 0.50, 1.2), ("Lejebolig", 0.40, 0.8), ("Andelsbolig", 0.10, 1.0)],
}

STREETS = [
    "Vestergade",
    "Østergade",
    "Nørregade",
    "Søndergade",
    "Skolevej",
    "Kirkevej",
    "Stationsvej",
    "Havnegade",
    "Parkvej",
    "Engvej",
    "Birkevej",
    "Møllevej",
]
TOWNS = {
    "Region Hovedstaden": ["2100", "2200", "2300", "2400", "2500", "2600", "3000", "3400"],
    "Region Syddanmark": ["5000", "5200", "5700", "6000", "6700", "7100", "6400", "5500"],
}


def add_quotas(
    session: Session, assembly: Assembly, quotas: dict[str, list[tuple[str, float, float]]]
) -> None:
    position = 0
    for category, values in quotas.items():
        for value, share, _lean in values:
            low, high = bounds_from_share(share, assembly.seats)
            session.add(
                QuotaTarget(
                    assembly_id=assembly.id,
                    category=category,
                    value=value,
                    position=position,
                    population_share=share,
                    min_count=low,
                    max_count=high,
                )
            )
            position += 1


def _pick(rng: random.Random, values: list[tuple[str, float, float]]) -> str:
    weights = [share * lean for _value, share, lean in values]
    return rng.choices([v for v, _s, _l in values], weights=weights)[0]


def add_pool(
    session: Session,
    assembly: Assembly,
    quotas: dict[str, list[tuple[str, float, float]]],
    size: int,
    rng: random.Random,
    start: datetime,
    region_key: str | None = None,
    household_rule: bool = True,
) -> list[Registrant]:
    """`size` registrants; about one in twenty shares an address with the one before."""
    session.add(
        Recruitment(assembly_id=assembly.id, household_rule=household_rule, retention_days=90)
    )
    people = []
    address = postcode = ""
    for i in range(size):
        answers = {category: _pick(rng, values) for category, values in quotas.items()}
        if i == 0 or rng.random() > 0.05:
            towns = TOWNS.get(answers.get(region_key or "", ""), TOWNS["Region Hovedstaden"])
            address = f"{rng.choice(STREETS)} {rng.randint(1, 140)}"
            postcode = rng.choice(towns)
        person = Registrant(
            assembly_id=assembly.id,
            public_id=f"{rng.getrandbits(32):08x}",
            first_name=rng.choice(c.FIRST_NAMES),
            last_name=rng.choice(c.LAST_NAMES),
            email=f"demo-{assembly.slug}-{i}@example.org",
            address=address,
            postcode=postcode,
            household_key=household_key(address, postcode),
            answers=answers,
            availability=[1, 2, 3, 4, 5],
            consent_at=start + timedelta(minutes=7 * i),
            created_at=start + timedelta(minutes=7 * i),
            token=secrets.token_urlsafe(32),
        )
        people.append(person)
    session.add_all(people)
    return people


# Copenhagen 2019 (middelalderbyen): gender, age, district. Shares are rounded public statistics.
MIDDELALDERBYEN_QUOTAS: dict[str, list[tuple[str, float, float]]] = {
    "Køn": [("Kvinde", 0.50, 1.1), ("Mand", 0.50, 0.9)],
    "Alder": [
        ("18-29", 0.27, 0.8),
        ("30-44", 0.27, 1.0),
        ("45-59", 0.20, 1.1),
        ("60-74", 0.17, 1.3),
        ("75+", 0.09, 0.7),
    ],
    "Bydel": [(d, 0.1, 1.0) for d in c.CPH_DISTRICTS],
}

GROENT_QUOTAS: dict[str, list[tuple[str, float, float]]] = {
    "Køn": [("Kvinde", 0.52, 1.1), ("Mand", 0.48, 0.9)],
    "Alder": [("18-29", 0.30, 0.8), ("30-44", 0.30, 1.0), ("45-64", 0.25, 1.2), ("65+", 0.15, 1.0)],
    "Område": [(a, 0.25, 1.0) for a in c.OESTERBRO_AREAS],
}
