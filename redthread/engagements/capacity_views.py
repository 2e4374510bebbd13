"""Coaches' capacity against their current load: for the office (every coach) and a
partner manager (its own coaches), so that nobody is booked beyond what they can give."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from redthread.core.listing import Column, Listing

from . import selectors
from .forms import CoachCapacityFilterForm

CAPACITY_COLUMNS = [
    Column("name", gettext_lazy("Coach"), "user__full_name"),
    Column("partner", gettext_lazy("Hempartner"), "home_partner__name"),
    Column("region", gettext_lazy("Region"), "home_partner__region"),
    Column(
        "capacity",
        gettext_lazy("Kapacitet (timmar per månad)"),
        "capacity_hours_per_month",
        numeric=True,
    ),
    Column("engagements", gettext_lazy("Pågående uppdrag"), numeric=True),
    Column("load", gettext_lazy("Planerad beläggning (timmar per månad)"), numeric=True),
    Column("state", gettext_lazy("Läge")),
]


@permission_required("engagements.coach_capacity", raise_exception=True)
def coach_capacity(request: HttpRequest) -> HttpResponse:
    form = CoachCapacityFilterForm(
        request.GET or None, partners=selectors.coach_capacity_partners(user=request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.coach_capacity_list(
        user=request.user,
        q=filters.get("q") or "",
        partner=filters.get("partner"),
        region=filters.get("region") or "",
    )
    listing = Listing(
        request, profiles, columns=CAPACITY_COLUMNS, default_sort="name", filter_form=form
    )
    return render(
        request,
        "engagements/coach_capacity.html",
        {
            "listing": listing,
            "rows": selectors.coach_capacity_rows(profiles=list(listing.page.object_list)),
            "form_errors": form.is_bound and not form.is_valid(),
        },
    )
