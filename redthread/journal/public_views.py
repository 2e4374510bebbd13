"""The public site beside the log: the initiatives, the partners, the stakeholders and
funders, the methodology in brief, and the forms a visitor sends. Every view here is
``login_not_required`` and reads through the public selectors, which reach no company."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from redthread.methodology.models import Initiative
from redthread.registry.models import OrganisationKind

from . import selectors

PER_PAGE = 20


@login_not_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_initiative_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/public/initiative_list.html",
        {"listing": {"page": page}, "initiatives": page.object_list},
    )


@login_not_required
@require_GET
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        public = selectors.public_initiative_get(slug=slug)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "journal/public/initiative_detail.html",
        {
            "public": public,
            "initiative": public.initiative,
            "canonical": request.build_absolute_uri(request.path),
        },
    )


@login_not_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "journal/public/partners.html",
        {"regions": selectors.public_partners_by_region()},
    )


@login_not_required
@require_GET
def stakeholders(request: HttpRequest) -> HttpResponse:
    funded = selectors.public_funded_initiatives()
    return render(
        request,
        "journal/public/stakeholders.html",
        {
            "stakeholders": selectors.public_organisations(kind=OrganisationKind.STAKEHOLDER),
            "funders": [
                (funder, funded.get(funder.pk, []))
                for funder in selectors.public_organisations(kind=OrganisationKind.FUNDER)
            ],
        },
    )


@login_not_required
@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    categories, templates = selectors.public_methodology()
    return render(
        request,
        "journal/public/methodology.html",
        {"categories": categories, "templates": templates},
    )
