from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from rules.contrib.views import permission_required

from redthread.core.exporting import (
    EXPORT_FORMAT_CHOICES,
    ExportFormat,
    export_response,
    export_table,
    is_export_format,
)
from redthread.core.forms import concurrent_edit
from redthread.core.listing import Column, Listing

from . import selectors, services
from .forms import (
    CompanyFilterForm,
    CompanyForm,
    OrganisationFilterForm,
    PersonForm,
)
from .hooks import company_actions
from .identifiers import org_number_display
from .models import Organisation, OrganisationKind, Person, UrbanRuralType


@permission_required("registry.view_organisations", raise_exception=True)
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.organisation_list(
        user=request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        region=filters.get("region", ""),
    )
    export = request.GET.get("format", "")
    if is_export_format(export):
        return export_response(
            export_table(
                headers=[
                    _("Namn"),
                    _("Kortnamn"),
                    _("Typ"),
                    _("Region"),
                    _("Organisationsnummer"),
                    _("Värdorganisation"),
                    _("Webbplats"),
                ],
                rows=(
                    [
                        o.name,
                        o.short_name,
                        str(o.get_kind_display()),
                        str(o.get_region_display()),
                        org_number_display(o.org_number),
                        o.host.name if o.host else "",
                        o.website,
                    ]
                    for o in queryset.order_by("name", "pk")
                ),
                fmt=export,
                title=_("Organisationer"),
            )
        )
    listing = Listing(
        request,
        queryset,
        columns=[
            Column("name", gettext_lazy("Namn"), "name"),
            Column("kind", gettext_lazy("Typ"), "kind"),
            Column("region", gettext_lazy("Region"), "region"),
            Column("host", gettext_lazy("Värdorganisation"), "host__name"),
        ],
        default_sort="name",
        filter_form=form,
    )
    return render(
        request,
        "registry/organisation_list.html",
        {"listing": listing, "export_formats": EXPORT_FORMAT_CHOICES},
    )


@permission_required("registry.view_organisations", raise_exception=True)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.organisation_get(user=request.user, slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if organisation.is_company:
        return redirect("registry:company_detail", pk=organisation.pk)
    can_manage_people = request.user.has_perm("registry.manage_partner_people", organisation)
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "can_manage_people": can_manage_people,
            "people": (
                selectors.person_list(user=request.user, organisation=organisation)
                if can_manage_people
                else []
            ),
        },
    )


def _company_or_404(request: HttpRequest, pk: int) -> Organisation:
    try:
        return selectors.company_get(user=request.user, pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def _partner_choices(request: HttpRequest) -> Any:
    return selectors.partner_list(user=request.user)


COMPANY_COLUMNS = [
    Column("name", gettext_lazy("Namn"), "name"),
    Column("org_number", gettext_lazy("Org.nr"), "org_number"),
    Column("municipality", gettext_lazy("Kommun"), "municipality__name"),
    Column("county", gettext_lazy("Län"), "municipality__county__name"),
    Column("headcount", gettext_lazy("Anställda"), "headcount", numeric=True),
    Column("sni", gettext_lazy("SNI"), "sni_code"),
    Column("partner", gettext_lazy("Ansvarig partner"), "responsible_partner__name"),
]


@permission_required("registry.view_companies", raise_exception=True)
def company_list(request: HttpRequest) -> HttpResponse:
    classification = selectors.urban_rural_classification_current()
    form = CompanyFilterForm(request.GET or None, with_urban_rural=classification is not None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.company_list(
        user=request.user,
        classification=classification,
        **{k: v for k, v in filters.items() if v},
    )
    export = request.GET.get("format", "")
    if is_export_format(export):
        return _company_export(
            selectors.companies_with_sni_names(queryset.order_by("name", "pk")),
            export,
            classification,
        )
    listing = Listing(
        request,
        queryset,
        columns=COMPANY_COLUMNS,
        default_sort="name",
        filter_form=form,
        annotate=selectors.companies_with_sni_names,
    )
    return render(
        request,
        "registry/company_list.html",
        {
            "listing": listing,
            "classification": classification,
            "can_add": request.user.has_perm("registry.add_company"),
            "can_import": request.user.has_perm("registry.import_companies"),
            "export_formats": EXPORT_FORMAT_CHOICES,
        },
    )


def _company_export(queryset: Any, fmt: ExportFormat, classification: Any) -> HttpResponse:
    types = dict(UrbanRuralType.choices)
    headers = [
        _("Organisationsnummer"),
        _("Namn"),
        _("Kommunkod"),
        _("Kommun"),
        _("Län"),
        _("Riksområde (NUTS2)"),
        _("Kommuntyp"),
        _("SNI-kod"),
        _("SNI-version"),
        _("Antal anställda"),
        _("Storleksklass"),
        _("Omsättning (kr)"),
        _("Ansvarig partner"),
        _("Gatuadress"),
        _("Postnummer"),
        _("Postort"),
        _("Webbplats"),
        # Last, so that the columns before it keep their places in existing spreadsheets.
        _("SNI-benämning"),
    ]

    def rows() -> Any:
        for company in queryset.iterator(chunk_size=500):
            municipality = company.municipality
            size = company.size_class
            urban_rural = getattr(company, "urban_rural_type", None)
            yield [
                org_number_display(company.org_number),
                company.name,
                municipality.code if municipality else "",
                municipality.name if municipality else "",
                municipality.county.name if municipality else "",
                municipality.county.nuts.code if municipality else "",
                str(types[urban_rural]) if urban_rural else "",
                company.sni_code,
                company.sni_version,
                company.headcount,
                str(size.label) if size else "",
                company.turnover_sek,
                company.responsible_partner.name if company.responsible_partner else "",
                company.street_address,
                company.postal_code,
                company.postal_town,
                company.website,
                company.sni_name or "",
            ]

    return export_response(
        export_table(
            headers=[str(h) for h in headers],
            rows=rows(),
            fmt=fmt,
            title=pgettext("plural", "Företag"),
        )
    )


@permission_required("registry.view_companies", raise_exception=True)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company_or_404(request, pk)
    classification = selectors.urban_rural_classification_current()
    urban_rural = selectors.company_urban_rural_type(company=company, classification=classification)
    return render(
        request,
        "registry/company_detail.html",
        {
            "company": company,
            "people": selectors.person_list(user=request.user, organisation=company),
            "merges": company.merges.select_related("merged_by"),
            "classification": classification,
            "urban_rural": urban_rural,
            "sni_label": selectors.sni_label(company=company),
            "actions": company_actions(user=request.user, company_pk=company.pk),
            "can_change": request.user.has_perm("registry.change_company", company),
            "can_merge": request.user.has_perm("registry.merge_companies"),
            "can_manage_people": request.user.has_perm("registry.manage_people", company),
        },
    )


@permission_required("registry.add_company", raise_exception=True)
def company_create(request: HttpRequest) -> HttpResponse:
    partners = selectors.partner_list(user=request.user)
    form = CompanyForm(
        request.POST or None,
        partner_queryset=partners,
        user=request.user,
        initial={"responsible_partner": partners.first() if partners.count() == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        company = services.company_create(**form.facts)
        messages.success(request, _("Företaget %(name)s är registrerat.") % {"name": company.name})
        return redirect("registry:company_detail", pk=company.pk)
    return render(request, "registry/company_form.html", {"form": form, "creating": True})


@permission_required("registry.view_companies", raise_exception=True)
@concurrent_edit
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company_or_404(request, pk)
    if not request.user.has_perm("registry.change_company", company):
        raise PermissionDenied
    form = CompanyForm(
        request.POST or None,
        instance=company,
        partner_queryset=selectors.partner_list(user=request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        services.company_update(company=company, **form.facts)
        messages.success(request, _("Ändringarna är sparade."))
        return redirect("registry:company_detail", pk=company.pk)
    return render(
        request, "registry/company_form.html", {"form": form, "creating": False, "company": company}
    )


@permission_required("registry.merge_companies", raise_exception=True)
def company_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: find the other record (?q=). Step 2 (?other=): both side by side and a
    confirmation. The POST merges the other record into this one."""
    company = _company_or_404(request, pk)
    other = None
    if request.GET.get("other") or request.POST.get("other"):
        try:
            other_pk = int(request.GET.get("other") or request.POST.get("other") or "")
        except ValueError as exc:
            raise Http404 from exc
        other = _company_or_404(request, other_pk)
        if other.pk == company.pk:
            messages.error(request, _("Välj en annan post än den du utgår från."))
            return redirect("registry:company_merge", pk=company.pk)
    if request.method == "POST" and other is not None:
        record = services.company_merge(keep=company, remove=other, actor=request.user)
        messages.success(
            request,
            _(
                "%(removed)s är sammanfogad med %(kept)s. Allt som hörde till den "
                "borttagna posten finns nu här."
            )
            % {"removed": record.removed_name, "kept": company.name},
        )
        return redirect("registry:company_detail", pk=company.pk)
    q = request.GET.get("q", "").strip()
    candidates = []
    if q and other is None:
        candidates = list(
            selectors.company_list(user=request.user, q=q)
            .exclude(pk=company.pk)
            .order_by("name")[:20]
        )
    return render(
        request,
        "registry/company_merge.html",
        {
            "company": company,
            "other": other,
            "q": q,
            "candidates": candidates,
            # The industries by name, so the two records are compared by what they say.
            "sni_labels": (
                selectors.sni_label(company=company),
                selectors.sni_label(company=other) if other is not None else "",
            ),
        },
    )


def _people_company(request: HttpRequest, pk: int) -> Organisation:
    company = _company_or_404(request, pk)
    if not request.user.has_perm("registry.manage_people", company):
        raise PermissionDenied
    return company


@permission_required("registry.view_companies", raise_exception=True)
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = _people_company(request, pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(organisation=company, **form.facts)
        services.person_consents_set(
            person=person,
            purposes=form.cleaned_data["consents"],
            actor=request.user,
            today=timezone.localdate(),
        )
        messages.success(request, _("%(name)s är tillagd som kontaktperson.") % {"name": person})
        return redirect("registry:company_detail", pk=company.pk)
    return render(
        request,
        "registry/person_form.html",
        {
            "form": form,
            "organisation": company,
            "back_url": reverse("registry:company_detail", kwargs={"pk": company.pk}),
            "creating": True,
        },
    )


def _person_or_404(request: HttpRequest, company: Organisation, person_pk: int) -> Person:
    return get_object_or_404(
        selectors.person_list(user=request.user, organisation=company), pk=person_pk
    )


@permission_required("registry.view_companies", raise_exception=True)
@concurrent_edit
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    company = _people_company(request, pk)
    person = _person_or_404(request, company, person_pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, **form.facts)
        services.person_consents_set(
            person=person,
            purposes=form.cleaned_data["consents"],
            actor=request.user,
            today=timezone.localdate(),
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect("registry:company_detail", pk=company.pk)
    return render(
        request,
        "registry/person_form.html",
        {
            "form": form,
            "organisation": company,
            "person": person,
            "back_url": reverse("registry:company_detail", kwargs={"pk": company.pk}),
            "delete_url": reverse(
                "registry:person_delete", kwargs={"pk": company.pk, "person_pk": person.pk}
            ),
            "creating": False,
            "consents": person.consents.select_related("recorded_by"),
        },
    )


@permission_required("registry.view_companies", raise_exception=True)
def person_delete(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    company = _people_company(request, pk)
    person = _person_or_404(request, company, person_pk)
    if request.method == "POST":
        services.person_delete(person=person)
        messages.success(request, _("%(name)s är borttagen.") % {"name": person})
        return redirect("registry:company_detail", pk=company.pk)
    return render(
        request,
        "registry/person_confirm_delete.html",
        {
            "organisation": company,
            "person": person,
            "back_url": reverse("registry:company_detail", kwargs={"pk": company.pk}),
        },
    )


# --- a partner's own people ------------------------------------------------------------


def _people_partner(request: HttpRequest, slug: str) -> Organisation:
    """The partner whose people the user manages; 404 for one it cannot see or that is no
    partner, 403 for one it sees but may not manage."""
    try:
        organisation = selectors.organisation_get(user=request.user, slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if organisation.kind != OrganisationKind.PARTNER:
        raise Http404
    if not request.user.has_perm("registry.manage_partner_people", organisation):
        raise PermissionDenied
    return organisation


@permission_required("registry.browse", raise_exception=True)
def partner_person_create(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _people_partner(request, slug)
    form = PersonForm(request.POST or None, publishable=True)
    back_url = partner.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        person = services.person_create(organisation=partner, **form.facts)
        services.person_consents_set(
            person=person,
            purposes=form.cleaned_data["consents"],
            actor=request.user,
            today=timezone.localdate(),
        )
        messages.success(request, _("%(name)s är tillagd som kontaktperson.") % {"name": person})
        return redirect(back_url)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "organisation": partner, "back_url": back_url, "creating": True},
    )


@permission_required("registry.browse", raise_exception=True)
@concurrent_edit
def partner_person_edit(request: HttpRequest, slug: str, person_pk: int) -> HttpResponse:
    partner = _people_partner(request, slug)
    person = _person_or_404(request, partner, person_pk)
    form = PersonForm(request.POST or None, instance=person, publishable=True)
    back_url = partner.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, **form.facts)
        services.person_consents_set(
            person=person,
            purposes=form.cleaned_data["consents"],
            actor=request.user,
            today=timezone.localdate(),
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(back_url)
    return render(
        request,
        "registry/person_form.html",
        {
            "form": form,
            "organisation": partner,
            "person": person,
            "back_url": back_url,
            "delete_url": reverse(
                "registry:partner_person_delete", kwargs={"slug": slug, "person_pk": person.pk}
            ),
            "creating": False,
            "consents": person.consents.select_related("recorded_by"),
        },
    )


@permission_required("registry.browse", raise_exception=True)
def partner_person_delete(request: HttpRequest, slug: str, person_pk: int) -> HttpResponse:
    partner = _people_partner(request, slug)
    person = _person_or_404(request, partner, person_pk)
    back_url = partner.get_absolute_url()
    if request.method == "POST":
        services.person_delete(person=person)
        messages.success(request, _("%(name)s är borttagen.") % {"name": person})
        return redirect(back_url)
    return render(
        request,
        "registry/person_confirm_delete.html",
        {"organisation": partner, "person": person, "back_url": back_url},
    )
