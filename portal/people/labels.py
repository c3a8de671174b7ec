"""Plain-language names for people's roles, organisations and sign-up states (templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import OrganisationKind, RegistrantStatus, Role

ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Sekretariat"),
    Role.COUNCIL: _l("Politiker / forvaltning"),
}

ORGANISATION_KIND = {
    OrganisationKind.LOKALUDVALG: _l("Lokaludvalg"),
    OrganisationKind.ASSOCIATION: _l("Forening"),
    OrganisationKind.OTHER: _l("Anden organisation"),
}

REGISTRANT_STATUS = {
    RegistrantStatus.REGISTERED: _l("Tilmeldt"),
    RegistrantStatus.WITHDRAWN: _l("Trukket tilbage"),
    RegistrantStatus.DRAWN: _l("Trukket ud, venter på svar"),
    RegistrantStatus.CONFIRMED: _l("Har taget pladsen"),
    RegistrantStatus.DECLINED: _l("Har takket nej"),
}
