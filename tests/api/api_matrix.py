"""The role × object matrix of the API. Every operation of the OpenAPI document has at
least one row here; ``test_every_operation_has_a_row`` fails when a new endpoint forgets
to join.

A row says who gets the answer ``ok_status`` (``ok``), who may not learn that the object
exists (``hidden``: 404), and, for lists, who gets an empty list (``empty``). Everyone
else signed in gets 403; an anonymous call is 401. Write rows send a body that the
permitted get as far as the form with (a taken organisation number: 422) or no
``If-Match`` (428), so the matrix changes nothing and still proves the permission check
comes first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redthread.accounts.models import Role

from ..access_matrix import COMPANY_SIDE, OFFICE, OTHERS, PARTNER_SIDE, SIGNED_IN, _as_str
from ..conftest import World

OUTSIDERS = _as_str(OTHERS | {Role.FUNDER_VIEWER, Role.EDITOR})
#: Who works with our company (the world's coach coaches it in the matrix's world).
OUR_COMPANY = _as_str(OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER})


@dataclass(frozen=True)
class ApiRow:
    method: str
    path: str
    ok: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    empty: frozenset[str] = frozenset()
    ok_status: int = 200
    params: Callable[[World, dict[str, Any]], dict[str, Any]] = field(
        default=lambda world, extra: {}
    )
    body: Callable[[World, dict[str, Any]], Any] = field(default=lambda world, extra: None)
    label: str = ""
    #: For a list: the id of an object in it, and who finds it there (everyone else who
    #: gets the list must not).
    listed: Callable[[World, dict[str, Any]], int] | None = None
    sees: frozenset[str] = frozenset()

    def expected(self, who: str) -> int:
        if who == "anonymous":
            return 401
        if who in self.ok or who in self.empty:
            return self.ok_status
        if who in self.hidden:
            return 404
        return 403

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}{'[' + self.label + ']' if self.label else ''}"


def row(method: str, path: str, **kwargs: Any) -> ApiRow:
    for key in ("ok", "hidden", "empty", "sees"):
        if key in kwargs:
            kwargs[key] = _as_str(frozenset(kwargs[key]))
    return ApiRow(method, path, **kwargs)


def _company(world: World, extra: dict[str, Any]) -> dict[str, Any]:
    return {"company_id": world.company.pk}


def _engagement(world: World, extra: dict[str, Any]) -> dict[str, Any]:
    return {"engagement_id": extra["engagement"].pk}


def _taken_number(world: World, extra: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Dubblett AB", "org_number": "556036-0793"}


API_ROWS = [
    row("GET", "/api/v1/organisations", ok=SIGNED_IN),
    row("GET", "/api/v1/companies", ok=SIGNED_IN),
    row(
        "POST",
        "/api/v1/companies",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"},
        ok_status=422,
        body=_taken_number,
    ),
    row("GET", "/api/v1/companies/{company_id}", ok=OUR_COMPANY, hidden=OUTSIDERS, params=_company),
    row(
        "PATCH",
        "/api/v1/companies/{company_id}",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        hidden=OUTSIDERS,
        ok_status=428,
        params=_company,
        body=lambda world, extra: {"name": "Nytt AB"},
    ),
    row(
        "GET",
        "/api/v1/organisations/{organisation_id}/people",
        ok=OUR_COMPANY,
        hidden=OUTSIDERS,
        params=lambda world, extra: {"organisation_id": world.company.pk},
        label="company",
    ),
    row(
        "GET",
        "/api/v1/organisations/{organisation_id}/people",
        ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE,
        empty={Role.FUNDER_VIEWER, Role.EDITOR},
        params=lambda world, extra: {"organisation_id": world.partner.pk},
        label="partner: no personal data for funders",
    ),
    row(
        "GET",
        "/api/v1/companies",
        ok=SIGNED_IN,
        listed=lambda world, extra: world.company.pk,
        sees=OUR_COMPANY,
        label="our company listed",
    ),
    row(
        "GET",
        "/api/v1/engagements",
        ok=SIGNED_IN,
        listed=lambda world, extra: extra["engagement"].pk,
        sees=OUR_COMPANY,
    ),
    row(
        "POST",
        "/api/v1/engagements",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"},
        ok_status=422,
        body=lambda world, extra: {
            "company": 0,
            "initiative": 0,
            "template": 0,
            "partner": 0,
            "start_date": "2026-01-01",
        },
    ),
    row(
        "GET",
        "/api/v1/engagements/{engagement_id}",
        ok=OUR_COMPANY,
        hidden=OUTSIDERS,
        params=_engagement,
    ),
    row(
        "GET",
        "/api/v1/engagements/{engagement_id}/plan",
        ok=OUR_COMPANY,
        hidden=OUTSIDERS,
        params=_engagement,
    ),
    row(
        "GET",
        "/api/v1/engagements/{engagement_id}/sessions",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden=OUTSIDERS,
        params=_engagement,
    ),
    row(
        "POST",
        "/api/v1/engagements/{engagement_id}/sessions",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden=OUTSIDERS,
        ok_status=422,
        params=_engagement,
        body=lambda world, extra: {"date": "2026-02-01", "duration_minutes": 60, "coaches": []},
    ),
    row(
        "GET",
        "/api/v1/engagements/{engagement_id}/action-items",
        ok=OUR_COMPANY,
        hidden=OUTSIDERS,
        params=_engagement,
    ),
]
