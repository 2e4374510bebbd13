"""Key figures have plausible bounds; one outside them never breaks a page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from redthread.outcomes import services
from redthread.outcomes.bounds import kpi_bounds, measurement_value_problem
from redthread.outcomes.models import KpiDefinition, Measurement


@pytest.fixture
def headcount(db):
    services.kpis_load_shipped()
    return KpiDefinition.objects.get(code="headcount")


def test_every_shipped_kpi_has_bounds_inside_the_column(headcount):
    for kpi in KpiDefinition.objects.all():
        low, high = kpi_bounds(kpi)
        assert -(Decimal(10) ** 14) < low < high < Decimal(10) ** 14, kpi.code


@pytest.mark.parametrize("value", ["1e15", "1" + "0" * 5000, "NaN", "Infinity", "-1", "2000000"])
def test_implausible_values_have_a_problem(headcount, value):
    assert measurement_value_problem(headcount, Decimal(value))


def test_the_service_refuses_a_value_out_of_bounds(world, headcount):
    with pytest.raises(ValidationError):
        services.measurement_set(
            company=world.company, kpi=headcount, year=2024, value=Decimal(10) ** 15
        )
    assert not Measurement.objects.exists()


def test_the_table_refuses_ten_to_the_fifteen_beside_the_cell(world, headcount, coached):
    client = world.client("coach")
    url = reverse("outcomes:company_kpis", kwargs={"pk": world.company.pk})
    page = client.get(url)
    fingerprint = page.context["fingerprint"]
    response = client.post(
        url, {f"v-{headcount.pk}-2025": "1000000000000000", "fingerprint": fingerprint}
    )
    assert response.status_code == 422
    assert "rimliga intervallet" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_stored_value_out_of_bounds_is_an_error_on_its_pages_not_a_500(world, headcount, coached):
    # As an earlier version let it in, written past the checks.
    Measurement.objects.bulk_create(
        [
            Measurement(company=world.company, kpi=headcount, year=2024, value=Decimal(10) ** 13),
            Measurement(company=world.company, kpi=headcount, year=2025, value=Decimal(12)),
        ]
    )
    for who in ["coach", "program_manager", "partner_manager", "company_user", "funder_viewer"]:
        client = world.client(who)
        for name, kwargs in [
            ("outcomes:company_kpis", {"pk": world.company.pk}),
            ("outcomes:dashboard", {}),
            ("outcomes:company_list", {}),
        ]:
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code in {200, 302, 403, 404}, (who, name, response.status_code)
    body = world.client("coach").get(
        reverse("outcomes:company_kpis", kwargs={"pk": world.company.pk})
    )
    assert "rimliga intervallet" in body.content.decode()


def test_the_database_refuses_a_value_beyond_the_column(world, headcount):
    from django.db import DataError, IntegrityError, transaction

    # SQLite: the check constraint; PostgreSQL: numeric(18, 4) overflows first.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Measurement.objects.bulk_create(
            [Measurement(company=world.company, kpi=headcount, year=2024, value=Decimal(10) ** 15)]
        )
    assert not Measurement.objects.exists()


def test_the_import_row_check_refuses_a_value_out_of_bounds(headcount):
    from redthread.outcomes import imports

    value, reason = imports._value("2 000 000", headcount)
    assert value is None
    assert "rimliga intervallet" in reason


def test_a_stored_value_out_of_bounds_is_left_out_of_every_mean(program, world):
    """A value stored past the checks (as an earlier version let in) counts in no mean: the
    effects (dashboard and funder report alike read them through ``impact``) equal those
    computed without that row, and the value is an error on the company's KPI page."""
    from redthread.outcomes import selectors

    kpi = program["kpi"]
    company = program["treated"][3]
    user = world.users["program_manager"]

    def effect():
        results = selectors.results_compute(
            user=user, initiative=None, breakdown="", kpi=None, suppress=False
        )
        (found,) = [e for e in results["effects"] if e.kpi.pk == kpi.pk]
        return found

    Measurement.objects.filter(company=company, kpi=kpi, year=2025).delete()
    without = effect()
    _low, high = kpi_bounds(kpi)
    Measurement.objects.bulk_create(
        [Measurement(company=company, kpi=kpi, year=2025, value=high * 1000)]
    )
    assert Measurement.objects.get(company=company, kpi=kpi, year=2025).value > high
    planted = effect()
    assert planted.change == without.change
    assert planted.did == without.did
    assert planted.change.mean_after is not None
    assert planted.change.mean_after < high
    page = world.client("program_manager").get(
        reverse("outcomes:company_kpis", kwargs={"pk": company.pk})
    )
    assert page.status_code == 200
    assert "rimliga intervallet" in page.content.decode()
