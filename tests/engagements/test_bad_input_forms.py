"""Generated input posted to the main forms never gives a server error and writes nothing
partial: every field gets the same nasty value (huge ids, exponents, NaN, far dates)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from ..test_bad_input import ALLOWED, NASTY

FORMS = [
    (
        "registry:company_create",
        {},
        [
            "name",
            "org_number",
            "municipality",
            "postal_code",
            "headcount",
            "turnover_sek",
            "responsible_partner",
            "sni_code",
            "sni_version",
            "website",
        ],
    ),
    ("outcomes:comparison_groups", {}, ["name", "description", "initiative"]),
    (
        "engagements:action_item_create",
        "engagement",
        ["title", "owner_person", "owner_coach", "due_date", "origin", "plan_step"],
    ),
    (
        "engagements:session_log",
        "engagement",
        [
            "session-date",
            "session-start_time",
            "session-duration_minutes",
            "session-mode",
            "session-coaches",
            "session-notes",
            "date",
            "start_time",
            "duration_minutes",
            "coaches",
        ],
    ),
    ("engagements:action_item_status", "item", ["status"]),
    ("engagements:status_change", "engagement", ["status", "note"]),
]


def _kwargs(spec, enrolled):
    if spec == "engagement":
        return {"pk": enrolled.pk}
    if spec == "item":
        return {"pk": enrolled.pk, "item_pk": 10**29}
    return spec


@pytest.mark.parametrize(("url_name", "spec", "fields"), FORMS, ids=[f[0] for f in FORMS])
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NASTY)
def test_forms_never_give_a_500(world, enrolled, url_name, spec, fields, value):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    url = reverse(url_name, kwargs=_kwargs(spec, enrolled))
    response = client.post(url, dict.fromkeys(fields, value))
    assert response.status_code in ALLOWED, (url_name, value, response.status_code)


@pytest.mark.parametrize("typed", ["1e309", "NaN", "123", "123456", "abcde"])
def test_postal_codes_are_five_digits(world, typed):
    from redthread.registry.forms import CompanyForm
    from redthread.registry.models import Organisation

    form = CompanyForm(
        {"name": "X AB", "org_number": "556036-0793", "postal_code": typed},
        partner_queryset=Organisation.objects.none(),
        user=world.users["program_manager"],
    )
    form.is_valid()
    assert "postal_code" in form.errors


def test_dates_are_bounded():
    from django import forms

    field = forms.DateField()
    for bad in ["9999-12-31", "1899-12-31", "2101-01-01"]:
        with pytest.raises(forms.ValidationError):
            field.clean(bad)
    assert field.clean("2026-12-02") == datetime.date(2026, 12, 2)
