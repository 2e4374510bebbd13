"""The outcomes' writes and scoped reads outside the pages: the KPI table's save, comparison
groups, the reports a user may see and the dashboard's results."""

from __future__ import annotations

import datetime
import os
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from redthread.outcomes import selectors, services
from redthread.outcomes.models import (
    ComparisonGroup,
    KpiDefinition,
    Measurement,
    MeasurementSource,
    ReportJob,
)

from ..factories import OrganisationFactory


@pytest.fixture
def kpis(db):
    services.kpis_load_shipped()
    return {k.code: k for k in KpiDefinition.objects.all()}


def _fingerprint(world, who="coach") -> str:
    stored = selectors.company_measurements(user=world.users[who], company=world.company)
    return selectors.measurements_fingerprint(stored)


def test_the_kpi_table_is_saved_as_typed(kpis, world, coached):
    oee, turnover = kpis["oee"], kpis["turnover-per-employee"]
    changed = services.measurements_set(
        company=world.company,
        values={(oee.pk, 2024): Decimal(70), (turnover.pk, 2024): None},
        fingerprint=_fingerprint(world),
        user=world.users["coach"],
    )
    assert changed == 1  # removing a figure that is not there changes nothing
    stored = Measurement.objects.get(company=world.company, kpi=oee, year=2024)
    assert (stored.value, stored.source, stored.entered_by) == (
        70,
        MeasurementSource.COACH,
        world.users["coach"],
    )
    # The same value again is not written again (no history entry); a blank removes it.
    assert (
        services.measurements_set(
            company=world.company,
            values={(oee.pk, 2024): Decimal(70)},
            fingerprint=_fingerprint(world),
            user=world.users["coach"],
        )
        == 0
    )
    assert stored.history.count() == 1
    services.measurements_set(
        company=world.company,
        values={(oee.pk, 2024): None},
        fingerprint=_fingerprint(world),
        user=world.users["coach"],
    )
    assert not Measurement.objects.filter(company=world.company).exists()


def test_the_company_enters_its_own_figures_as_the_company(kpis, world):
    services.measurements_set(
        company=world.company,
        values={(kpis["oee"].pk, 2025): Decimal("71.5")},
        fingerprint=_fingerprint(world, "company_user"),
        user=world.users["company_user"],
    )
    assert Measurement.objects.get().source == MeasurementSource.COMPANY


def test_of_two_saves_of_the_same_table_the_second_is_refused(kpis, world):
    """Two people open the table, both save: the first is kept, the second is refused and
    changes nothing (the page then keeps what its user typed)."""
    oee = kpis["oee"]
    opened = _fingerprint(world)  # both loaded the table when it was empty
    services.measurements_set(
        company=world.company,
        values={(oee.pk, 2024): Decimal(70)},
        fingerprint=opened,
        user=world.users["coach"],
    )
    with pytest.raises(services.StaleMeasurements):
        services.measurements_set(
            company=world.company,
            values={(oee.pk, 2024): Decimal(71), (oee.pk, 2025): Decimal(72)},
            fingerprint=opened,
            user=world.users["partner_manager"],
        )
    assert list(Measurement.objects.values_list("year", "value")) == [(2024, 70)]
    # With the table as it is now, the same save goes through.
    services.measurements_set(
        company=world.company,
        values={(oee.pk, 2024): Decimal(71)},
        fingerprint=_fingerprint(world, "partner_manager"),
        user=world.users["partner_manager"],
    )
    assert Measurement.objects.get().value == 71


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite has no row locks: it lets one writer in at a time anyway",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_pass_the_check(kpis, world):
    """The first save holds the company's lock while the second arrives: the second waits,
    then sees the first's figures and is refused (without the lock it would read the table
    as it was, pass the check and save)."""
    oee = kpis["oee"]
    opened = _fingerprint(world)
    first_saved, second_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                services.measurements_set(
                    company=world.company,
                    values={(oee.pk, 2024): Decimal(70)},
                    fingerprint=opened,
                    user=world.users["coach"],
                )
                first_saved.set()
                second_started.wait(5)
                time.sleep(0.5)  # the second is now waiting for the lock
        finally:
            connection.close()

    def second() -> None:
        first_saved.wait(5)
        second_started.set()
        try:
            services.measurements_set(
                company=world.company,
                values={(oee.pk, 2025): Decimal(72)},
                fingerprint=opened,
                user=world.users["partner_manager"],
            )
            outcome["second"] = "saved"
        except services.StaleMeasurements:
            outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome == {"second": "refused"}
    assert list(Measurement.objects.values_list("year", "value")) == [(2024, 70)]


def test_comparison_groups_are_made_emptied_and_removed_through_services(world):
    group = services.comparison_group_create(name="Referens", description="Utan program")
    other = OrganisationFactory.create(kind="company")
    group.companies.add(world.company, other)
    services.comparison_group_member_remove(group=group, company_id=other.pk)
    services.comparison_group_member_remove(group=group, company_id=other.pk)  # no error
    assert list(selectors.comparison_group_member_list(group=group)) == [world.company]
    services.comparison_group_delete(group=group)
    assert not ComparisonGroup.objects.exists()
    assert world.company.__class__.objects.filter(pk=other.pk).exists()


def test_a_report_is_seen_by_the_office_and_whoever_ordered_it(world, methodology):
    job = ReportJob.objects.create(
        initiative=methodology["initiative"],
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
        format="xlsx",
        created_by=world.users["funder_viewer"],
    )
    seen = {
        who: list(selectors.report_job_list(user=world.users[who]))
        for who in ("admin", "program_manager", "funder_viewer", "partner_manager")
    }
    assert seen == {
        "admin": [job],
        "program_manager": [job],
        "funder_viewer": [job],
        "partner_manager": [],
    }
    with pytest.raises(ReportJob.DoesNotExist):  # not finished yet
        selectors.report_job_file(user=world.users["funder_viewer"], pk=job.pk)


def test_the_dashboards_results_are_kept_until_the_data_changes(kpis, world):
    def results() -> tuple[dict[str, Any], int]:
        with CaptureQueriesContext(connection) as queries:
            found = selectors.dashboard_results(
                user=world.users["program_manager"],
                initiative=None,
                breakdown="",
                kpi=None,
                suppress=False,
            )
        return found, len(queries)

    first, cold = results()  # computed by the task (the immediate backend in tests)
    assert {e.kpi.code for e in first["effects"]} == set(kpis)
    again, warm = results()
    assert warm <= 3  # the data version, the stored row and its figures
    assert warm < cold
    assert again["reach"] == first["reach"]
    assert again["computed_at"] == first["computed_at"]
    assert not again["stale"]
    Measurement.objects.create(company=world.company, kpi=kpis["oee"], year=2024, value=50)
    changed, recomputed = results()
    assert recomputed > warm
    assert changed["computed_at"] > first["computed_at"]
    assert not changed["stale"]
