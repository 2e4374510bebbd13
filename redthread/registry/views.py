from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rules.contrib.views import permission_required

from redthread.core.listing import Column, Listing

from . import selectors
from .forms import OrganisationFilterForm
from .models import Organisation


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
    listing = Listing(
        request,
        queryset,
        columns=[
            Column("name", _("Namn"), "name"),
            Column("kind", _("Typ"), "kind"),
            Column("region", _("Region"), "region"),
            Column("host", _("Värdorganisation"), "host__name"),
        ],
        default_sort="name",
        filter_form=form,
    )
    return render(request, "registry/organisation_list.html", {"listing": listing})


@permission_required("registry.view_organisations", raise_exception=True)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.organisation_get(user=request.user, slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "registry/organisation_detail.html", {"organisation": organisation})
