from __future__ import annotations

from collections.abc import Callable

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser

from .models import (
    SIZE_CLASS_BOUNDS,
    MunicipalityType,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    Person,
    SniCode,
    UrbanRuralClassification,
)


def organisation_list(
    *, user: RequestUser, q: str = "", kind: str = "", region: str = ""
) -> OrganisationQuerySet:
    """The organisations ``user`` may see other than companies (those have their own list),
    narrowed by a search text and filters."""
    queryset = (
        Organisation.objects.visible_to(user)
        .exclude(kind=OrganisationKind.COMPANY)
        .select_related("host")
    )
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        condition = Q(name__icontains=q) | Q(short_name__icontains=q)
        if len(digits) >= 4:
            condition |= Q(org_number__contains=digits)
        queryset = queryset.filter(condition)
    if kind:
        queryset = queryset.filter(kind=kind)
    if region:
        queryset = queryset.filter(region=region)
    return queryset


def organisation_get(*, user: RequestUser, slug: str) -> Organisation:
    """One organisation by its slug, if ``user`` may see it (else DoesNotExist)."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("host", "responsible_partner")
        .get(slug=slug)
    )


def urban_rural_classification_current() -> UrbanRuralClassification | None:
    """The classification shown and filtered on: the newest official one, else the newest
    (which pages then mark as approximate)."""
    classifications = UrbanRuralClassification.objects.all()
    return (
        classifications.filter(is_official=True).order_by("-version").first()
        or classifications.order_by("-version").first()
    )


def company_list(
    *,
    user: RequestUser,
    q: str = "",
    region: str = "",
    county: str = "",
    urban_rural: str = "",
    sni_division: str = "",
    size_class: str = "",
    partner: Organisation | None = None,
    classification: UrbanRuralClassification | None = None,
) -> OrganisationQuerySet:
    """The companies ``user`` may see, narrowed by search and filters, with what the list
    shows joined in (one query for the page, whatever its length)."""
    queryset = (
        Organisation.objects.visible_to(user)
        .filter(kind=OrganisationKind.COMPANY)
        .select_related("municipality__county__nuts", "responsible_partner")
    )
    if classification is not None:
        queryset = queryset.annotate(
            urban_rural_type=Subquery(
                MunicipalityType.objects.filter(
                    classification=classification, municipality=OuterRef("municipality")
                ).values("type")[:1]
            )
        )
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        condition = Q(name__icontains=q) | Q(short_name__icontains=q)
        if len(digits) >= 4:
            condition |= Q(org_number__contains=digits[-10:] if len(digits) == 12 else digits)
        queryset = queryset.filter(condition)
    if region:
        queryset = queryset.filter(municipality__county__nuts__code=region)
    if county:
        queryset = queryset.filter(municipality__county__code=county)
    if urban_rural and classification is not None:
        # Filters on the annotation above, which the stubs' plugin cannot see.
        queryset = queryset.filter(urban_rural_type=urban_rural)  # type: ignore[misc]
    if sni_division:
        queryset = queryset.filter(sni_code__startswith=sni_division)
    if size_class:
        low, high = SIZE_CLASS_BOUNDS[size_class]
        queryset = queryset.filter(headcount__gte=low)
        if high is not None:
            queryset = queryset.filter(headcount__lt=high)
    if partner is not None:
        queryset = queryset.filter(responsible_partner=partner)
    return queryset


def company_urban_rural_type(
    *, company: Organisation, classification: UrbanRuralClassification | None
) -> MunicipalityType | None:
    """The urban–rural type of the company's municipality in ``classification``; None
    without a classification or a municipality."""
    if classification is None or not company.municipality_id:
        return None
    return classification.municipality_types.filter(municipality_id=company.municipality_id).first()


def own_company_id(user: RequestUser) -> int | None:
    """The one company a company user belongs to, or ``None`` when it belongs to none or to
    several (then its lists are its way in)."""
    ids = predicates.organisation_ids(user, OrganisationKind.COMPANY)
    return next(iter(ids)) if len(ids) == 1 else None


def own_company_url(url_name: str) -> Callable[[RequestUser], str | None]:
    """For the menu: the address of ``url_name`` for the user's own company, if it has one."""

    def url_for(user: RequestUser) -> str | None:
        pk = own_company_id(user)
        return reverse(url_name, args=[pk]) if pk is not None else None

    return url_for


def sni_label(*, company: Organisation) -> str:
    """The name of the company's SNI code in its version ("Tillverkning av …"), or ``""``."""
    if not company.sni_code:
        return ""
    code = SniCode.objects.filter(version=company.sni_version, code=company.sni_code).first()
    return code.label if code else ""


def companies_with_sni_names(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """``queryset`` with each company's ``sni_name``: the name of its SNI code in its
    version, or None (one subquery, no query per row), so that a list shows the
    industry's name beside the code."""
    return queryset.annotate(
        sni_name=Subquery(
            SniCode.objects.filter(
                version=OuterRef("sni_version"), code=OuterRef("sni_code")
            ).values("label")[:1]
        )
    )


def company_get(*, user: RequestUser, pk: int) -> Organisation:
    """One company, if ``user`` may see it (else Organisation.DoesNotExist)."""
    return (
        Organisation.objects.visible_to(user)
        .filter(kind=OrganisationKind.COMPANY)
        .select_related("municipality__county__nuts", "responsible_partner")
        .get(pk=pk)
    )


def company_registered_reason(*, user: RequestUser, org_number: str) -> str:
    """Why a row with ``org_number`` (already in the registry) is not imported or saved.
    Names the company only when ``user`` may see it (or is None: the command line);
    otherwise says that the number is registered and nothing else, so that an import or a
    form never tells a partner the name of a company that is not its own."""
    if user is not None:
        name = (
            Organisation.objects.visible_to(user)
            .filter(org_number=org_number)
            .values_list("name", flat=True)
            .first()
        )
    else:
        name = (
            Organisation.objects.filter(org_number=org_number)
            .values_list("name", flat=True)
            .first()
        )
    if name is None:
        return _("Organisationsnumret är redan registrerat.")
    return _("Finns redan i registret: %(name)s.") % {"name": name}


def person_list(*, user: RequestUser, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.visible_to(user).filter(organisation=organisation)


def partner_list(*, user: RequestUser) -> OrganisationQuerySet:
    """The partners ``user`` may act for (make responsible for a company, deliver an
    engagement through): every partner for the office, its own partners for anyone else
    (none for a user who belongs to no partner). By name."""
    partners = (
        Organisation.objects.visible_to(user).filter(kind=OrganisationKind.PARTNER).order_by("name")
    )
    if predicates.is_program_office(user):
        return partners
    return partners.filter(pk__in=predicates.organisation_ids(user, OrganisationKind.PARTNER))


def sni_sections() -> dict[tuple[str, str], str]:
    """(SNI version, division) → section, from any level of the shipped lists (SNI 2025
    ships sections and five-digit codes, no division rows)."""
    rows = (
        SniCode.objects.exclude(division="")
        .values_list("version", "division", "section")
        .distinct()
    )
    return {(version, division): section for version, division, section in rows}
