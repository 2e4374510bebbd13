"""Organisations and companies, and the people of an organisation (personal data: never
for funders or editors, whom the registry's ``visible_to`` gives none)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from redthread.registry import selectors, services
from redthread.registry.forms import CompanyForm
from redthread.registry.identifiers import org_number_display
from redthread.registry.models import Municipality, Organisation, Person

from .auth import caller, require_write
from .conditional import idempotent, if_match, with_etag
from .errors import ERRORS, ErrorBody, forbidden, not_found
from .forms_bridge import form_save
from .listing import Page, paginate

router = Router(tags=["registry"])

#: The fields whose stored values make a company's ETag: those the form edits.
COMPANY_VERSION_FIELDS = list(CompanyForm.Meta.fields)


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    slug: str
    org_number: str
    website: str
    region: str
    description: str


class CompanyOut(Schema):
    id: int
    name: str
    short_name: str
    org_number: str
    municipality: str | None
    street_address: str
    postal_code: str
    postal_town: str
    sni_code: str
    sni_version: str
    headcount: int | None
    turnover_sek: int | None
    website: str
    description: str
    responsible_partner: int | None
    modified: datetime.datetime


class CompanyIn(Schema):
    name: str
    org_number: str
    municipality: str | None = None
    street_address: str = ""
    postal_code: str = ""
    postal_town: str = ""
    sni_code: str = ""
    sni_version: str = ""
    headcount: int | None = None
    turnover_sek: int | None = None
    website: str = ""
    description: str = ""
    responsible_partner: int | None = None


class CompanyPatch(Schema):
    name: str | None = None
    org_number: str | None = None
    municipality: str | None = None
    street_address: str | None = None
    postal_code: str | None = None
    postal_town: str | None = None
    sni_code: str | None = None
    sni_version: str | None = None
    headcount: int | None = None
    turnover_sek: int | None = None
    website: str | None = None
    description: str | None = None
    responsible_partner: int | None = None


class PersonOut(Schema):
    id: int
    organisation: int
    first_name: str
    last_name: str
    title: str
    email: str
    phone: str


def organisation_dump(org: Organisation) -> dict[str, Any]:
    return OrganisationOut(
        id=org.pk,
        kind=org.kind,
        name=org.name,
        short_name=org.short_name,
        slug=org.slug,
        org_number=org.org_number,
        website=org.website,
        region=org.region,
        description=org.description,
    ).model_dump(mode="json")


def company_dump(company: Organisation) -> dict[str, Any]:
    return CompanyOut(
        id=company.pk,
        name=company.name,
        short_name=company.short_name,
        org_number=company.org_number,
        municipality=company.municipality.code if company.municipality is not None else None,
        street_address=company.street_address,
        postal_code=company.postal_code,
        postal_town=company.postal_town,
        sni_code=company.sni_code,
        sni_version=company.sni_version,
        headcount=company.headcount,
        turnover_sek=company.turnover_sek,
        website=company.website,
        description=company.description,
        responsible_partner=company.responsible_partner_id,
        modified=company.modified,
    ).model_dump(mode="json")


def person_dump(person: Person) -> dict[str, Any]:
    return PersonOut(
        id=person.pk,
        organisation=person.organisation_id,
        first_name=person.first_name,
        last_name=person.last_name,
        title=person.title,
        email=person.email,
        phone=person.phone,
    ).model_dump(mode="json")


class OrganisationFilter(Schema):
    q: str = ""
    kind: str = ""
    cursor: str | None = None
    limit: int = 50
    ordering: str = "name"


@router.get(
    "/organisations",
    response={200: Page[OrganisationOut], ERRORS: ErrorBody},
    url_name="organisations",
)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilter]) -> Any:
    """Partners, funders, the office and other organisations that are not companies."""
    queryset = selectors.organisation_list(user=caller(request), q=filters.q, kind=filters.kind)
    return paginate(
        queryset,
        ordering=filters.ordering,
        allowed=["name", "pk"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=organisation_dump,
    )


class CompanyFilter(Schema):
    q: str = ""
    sni_division: str = ""
    county: str = ""
    cursor: str | None = None
    limit: int = 50
    ordering: str = "name"


@router.get("/companies", response={200: Page[CompanyOut], ERRORS: ErrorBody}, url_name="companies")
def company_list(request: HttpRequest, filters: Query[CompanyFilter]) -> Any:
    """The companies the caller may see, as on the registry's company list."""
    queryset = selectors.company_list(
        user=caller(request),
        q=filters.q,
        sni_division=filters.sni_division,
        county=filters.county,
    )
    return paginate(
        queryset,
        ordering=filters.ordering,
        allowed=["name", "org_number", "modified", "pk"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=company_dump,
    )


def _company(request: HttpRequest, company_id: int) -> Organisation:
    try:
        return selectors.company_get(user=caller(request), pk=company_id)
    except Organisation.DoesNotExist as exc:
        raise not_found() from exc


@router.get(
    "/companies/{company_id}", response={200: CompanyOut, ERRORS: ErrorBody}, url_name="company"
)
def company_get(request: HttpRequest, response: HttpResponse, company_id: int) -> Any:
    company = _company(request, company_id)
    with_etag(response, company, COMPANY_VERSION_FIELDS)
    return company_dump(company)


def _municipality_pk(payload: dict[str, Any]) -> None:
    # The API names a municipality by its four-digit code; the form chooses by key.
    if payload.get("municipality"):
        found = Municipality.objects.filter(code=payload["municipality"]).first()
        payload["municipality"] = found.pk if found else "-1"


def _company_form(request: HttpRequest, instance: Organisation | None = None) -> Any:
    user = caller(request)
    partners = selectors.partner_list(user=user)

    def make(data: dict[str, Any] | None) -> CompanyForm:
        return CompanyForm(data, instance=instance, partner_queryset=partners, user=user)

    return make


@router.post(
    "/companies",
    response={201: CompanyOut, ERRORS: ErrorBody},
    url_name="company_create",
)
def company_create(request: HttpRequest, response: HttpResponse, payload: CompanyIn) -> Any:
    """Registers a company (the organisation number is normalised and must be new)."""
    user = require_write(request)
    if not user.has_perm("registry.add_company"):
        raise forbidden()
    data = payload.model_dump()

    def create() -> tuple[int, Any]:
        fields = dict(data)
        _municipality_pk(fields)
        company = form_save(
            _company_form(request), fields, lambda form: services.company_create(**form.facts)
        )
        return 201, company_dump(company)

    status, body = idempotent(request, data, create)
    response["Location"] = f"/api/v1/companies/{body['id']}"
    return status, body


@router.patch(
    "/companies/{company_id}",
    response={
        200: CompanyOut,
        403: ErrorBody,
        404: ErrorBody,
        412: ErrorBody,
        422: ErrorBody,
        428: ErrorBody,
    },
    url_name="company_update",
)
def company_update(
    request: HttpRequest, response: HttpResponse, company_id: int, payload: CompanyPatch
) -> Any:
    """Changes the given fields. Send ``If-Match`` with the ETag of your last read."""
    user = require_write(request)
    company = _company(request, company_id)
    if not user.has_perm("registry.change_company", company):
        raise forbidden()
    version = if_match(request)
    fields = payload.model_dump(exclude_unset=True)
    _municipality_pk(fields)
    if "org_number" in fields and fields["org_number"] is None:
        fields["org_number"] = org_number_display(company.org_number)
    updated = form_save(
        _company_form(request, company),
        fields,
        lambda form: services.company_update(company=company, **form.facts),
        version=version,
    )
    with_etag(response, updated, COMPANY_VERSION_FIELDS)
    return company_dump(updated)


class PeopleFilter(Schema):
    cursor: str | None = None
    limit: int = 50
    ordering: str = "last_name"


@router.get(
    "/organisations/{organisation_id}/people",
    response={200: Page[PersonOut], ERRORS: ErrorBody},
    url_name="people",
)
def people_list(request: HttpRequest, organisation_id: int, filters: Query[PeopleFilter]) -> Any:
    """The contacts of one organisation: personal data, for those who work with it (never
    funders or editors: they get an empty list)."""
    user = caller(request)
    organisation = Organisation.objects.visible_to(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise not_found()
    return paginate(
        selectors.person_list(user=user, organisation=organisation),
        ordering=filters.ordering,
        allowed=["last_name", "first_name", "pk"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=person_dump,
    )
