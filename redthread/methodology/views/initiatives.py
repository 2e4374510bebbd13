"""Initiatives: the funded efforts that offer templates, and who may join them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.core.charts import Series, bars
from redthread.registry.selectors import company_list

from .. import selectors, services
from ..eligibility import initiative_eligibility
from ..forms import (
    EligibilityForm,
    InitiativeForm,
)
from ..models import (
    Initiative,
)
from ..progress import elapsed_share, initiative_progress
from . import CHANGE, VIEW


@permission_required(VIEW, raise_exception=True)
def initiative_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "methodology/initiative_list.html",
        {
            "initiatives": selectors.initiative_list(user=request.user),
            "can_change": request.user.has_perm(CHANGE),
        },
    )


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    found: Initiative = get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)
    return found


@permission_required(VIEW, raise_exception=True)
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    companies = company_list(user=request.user).order_by("name")
    form = EligibilityForm(request.GET or None, companies=companies)
    eligibility = None
    if form.is_valid():
        eligibility = initiative_eligibility(
            initiative=initiative, company=form.cleaned_data["company"]
        )
    fundings = list(initiative.fundings.select_related("funder"))
    progress = initiative_progress(initiative, timezone.localdate())
    charted = [row for row in progress if row.target]
    chart = (
        bars(
            [row.label for row in charted],
            [
                Series(
                    _("Förväntat i dag"),
                    [100 * (row.expected_of_target or 0) for row in charted],
                ),
                Series(
                    _("Utfall"),
                    [
                        None if row.actual_of_target is None else 100 * row.actual_of_target
                        for row in charted
                    ],
                ),
            ],
            title=_("Mål och utfall, procent av målet"),
            description=_("Utfallet mot det som väntas i dag; samma siffror finns i tabellen."),
            unit="%",
        )
        if charted
        else None
    )
    return render(
        request,
        "methodology/initiative_detail.html",
        {
            "progress": progress,
            "progress_chart": chart,
            "elapsed": elapsed_share(initiative, timezone.localdate()),
            "initiative": initiative,
            "form": form,
            "eligibility": eligibility,
            "fundings": fundings,
            "total_funding": sum(f.amount_sek for f in fundings),
            "templates": initiative.templates.with_names().order_by("display_name", "pk"),
            "partners": initiative.partners.all(),
            "can_change": request.user.has_perm(CHANGE),
        },
    )


@permission_required(CHANGE, raise_exception=True)
def initiative_create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners, templates, slug = data.pop("partners"), data.pop("templates"), data.pop("slug")
        initiative = services.initiative_save(
            slug=slug, partners=partners, templates=templates, **data
        )
        messages.success(request, _("Satsningen %(name)s är skapad.") % {"name": initiative.name})
        return redirect(initiative)
    return render(request, "methodology/initiative_form.html", {"form": form, "initiative": None})


@permission_required(CHANGE, raise_exception=True)
def initiative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners, templates = data.pop("partners"), data.pop("templates")
        services.initiative_save(
            initiative=initiative, partners=partners, templates=templates, **data
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(initiative)
    return render(
        request, "methodology/initiative_form.html", {"form": form, "initiative": initiative}
    )
