import re

import pytest
from django.urls import reverse

from redthread.accounts.models import User
from redthread.outcomes import impact
from redthread.outcomes.models import KpiDefinition, Measurement
from redthread.registry.models import Person

from ..factories import OrganisationFactory
from .conftest import COMPARISON, TREATED


def test_the_planted_effect_is_recovered_with_its_interval(program):
    units = impact.units(impact.started(program["initiative"].engagements.all()))
    assert len(units) == TREATED
    (effect,) = impact.kpi_effects(units, [program["kpi"]], initiatives=[program["initiative"].pk])
    # Each company: before × 1.10 ± 2 000 → a mean change of about 10 % of ~555 000.
    change, did = effect.change, effect.did
    assert change.n == TREATED
    assert change.interval is not None
    assert change.mean_change is not None
    assert change.interval.contains(change.mean_change)
    assert 50_000 < change.mean_change < 62_000
    assert effect.change.share_improved == 1.0
    # Against the comparison group (+2 %): about 8 % of ~550 000, and 0 is outside.
    assert did is not None
    assert did.interval is not None
    assert did.effect is not None
    assert did.n_comparison == COMPARISON
    assert 38_000 < did.effect < 50_000
    assert not did.interval.contains(0)
    assert effect.comparison == "Referens"


def test_reach_counts_each_company_once(program, methodology, world):
    from redthread.engagements import services as engagement_services

    # A second engagement of the same company does not count it twice.
    engagement_services.engagement_enrol(
        company=world.company,
        initiative=program["initiative"],
        template=methodology["template"],
        partner=world.partner,
        start_date=program["initiative"].start,
        actor=world.users["program_manager"],
    )
    reach = impact.reach(program["initiative"].engagements.all())
    assert reach.companies == TREATED
    assert (reach.women, reach.men) == (2 * TREATED, 3 * TREATED)
    assert reach.coach_hours == 3 * TREATED
    assert reach.completion == 1.0


def test_the_office_sees_effects_and_breakdowns(program, world, django_assert_max_num_queries):
    client = world.client("program_manager")
    with django_assert_max_num_queries(40):
        page = client.get(
            reverse("outcomes:dashboard"),
            {"breakdown": "coach", "kpi": program["kpi"].pk},
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text
    assert "Effekter på nyckeltalen" in text
    groups = page.context["breakdown"]["groups"]
    assert [g.effect.change.n for g in groups] == [TREATED]


def test_a_funder_sees_only_its_initiatives_and_no_small_groups(program, world):
    client = world.client("funder_viewer")
    page = client.get(
        reverse("outcomes:dashboard"), {"breakdown": "partner", "kpi": program["kpi"].pk}
    )
    assert page.status_code == 200
    assert page.context["reach"].companies == TREATED
    # Coaches are people: funders cannot break down by coach.
    assert "coach" not in dict(page.context["form"].fields["breakdown"].choices)
    # A KPI measured at fewer than 5 companies is not shown to a funder.
    oee = KpiDefinition.objects.get(code="oee")
    for company in program["treated"][:3]:
        Measurement.objects.create(company=company, kpi=oee, year=2024, value=50)
        Measurement.objects.create(company=company, kpi=oee, year=2025, value=55)
    page = client.get(reverse("outcomes:dashboard"))
    shown = {e.kpi.code: e for e in page.context["effects"]}
    assert shown["oee"].suppressed
    assert "Visas inte: färre än 5 företag." in page.content.decode()
    # The office sees it, flagged as a small group.
    office = world.client("program_manager").get(reverse("outcomes:dashboard"))
    effect = {e.kpi.code: e for e in office.context["effects"]}["oee"]
    assert not effect.suppressed
    assert effect.change.small


def test_another_funder_sees_nothing_of_this_initiative(program, world):
    from tests.factories import UserFactory

    funder = OrganisationFactory.create(kind="funder")
    other = UserFactory.create(role="funder_viewer", organisations=[funder])
    client = world.client("anonymous")
    client.force_login(other)
    page = client.get(reverse("outcomes:dashboard"))
    assert page.context["reach"].companies == 0


def _personal_data() -> list[str]:
    found = []
    for person in Person.objects.all():
        found += [
            person.first_name + " " + person.last_name,
            person.last_name,
            person.email,
            person.phone,
        ]
    for user in User.objects.all():
        found += [user.email, user.full_name]
    return [f for f in found if f]


@pytest.mark.parametrize(
    "breakdown", ["", "initiative", "template", "cohort", "partner", "urban_rural"]
)
def test_no_personal_data_on_any_funder_page(program, world, breakdown):
    client = world.client("funder_viewer")
    funder = world.users["funder_viewer"]
    pages = [
        client.get(
            reverse("outcomes:dashboard"), {"breakdown": breakdown, "kpi": program["kpi"].pk}
        ),
        client.get(reverse("outcomes:method")),
        client.get(reverse("outcomes:reports")),
    ]
    for page in pages:
        assert page.status_code == 200
        # The header names the signed-in funder itself; nobody else may appear.
        text = page.content.decode().replace(funder.full_name, "").replace(funder.email, "")
        leaks = [
            item
            for item in _personal_data()
            if item not in {funder.full_name, funder.email} and item in text
        ]
        assert not leaks, leaks
    # Funders cannot reach company figures at all.
    assert client.get(reverse("outcomes:company_kpis", args=[world.company.pk])).status_code == 403


def test_no_personal_data_in_a_funders_report_from_order_to_download(
    program, world, django_capture_on_commit_callbacks
):
    import io

    import openpyxl

    client = world.client("funder_viewer")
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client.post(
            reverse("outcomes:reports"),
            {
                "initiative": program["initiative"].pk,
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "format": "xlsx",
            },
        )
    detail = client.get(ordered["Location"])
    assert detail.context["job"].status == "done"
    download = client.get(reverse("outcomes:report_download", args=[detail.context["job"].pk]))
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    funder = world.users["funder_viewer"]
    for text in (detail.content.decode(), cells):
        leaks = [
            item
            for item in _personal_data()
            if item not in {funder.full_name, funder.email} and item in text
        ]
        assert not leaks, leaks
    # The companies, each counted once, in the summary.
    summary = {
        row[0]: row[1] for row in book["Sammanfattning"].iter_rows(values_only=True) if row[0]
    }
    assert summary["Företag (unika)"] == TREATED


def test_a_partner_manager_sees_its_own_partners_engagements(program, world):
    ours = world.client("partner_manager").get(reverse("outcomes:dashboard"))
    theirs = world.client("other_partner_manager").get(reverse("outcomes:dashboard"))
    assert ours.context["reach"].companies == TREATED
    assert theirs.context["reach"].companies == 0


def test_company_figures_are_typed_like_a_spreadsheet(program, world):
    client = world.client("coach")
    url = reverse("outcomes:company_kpis", args=[world.company.pk])
    page = client.get(url)
    fingerprint = page.context["fingerprint"]
    kpi = KpiDefinition.objects.get(code="turnover-per-employee")
    saved = client.post(url, {"fingerprint": fingerprint, f"v-{kpi.pk}-2025": "1 234 567,5"})
    assert saved.status_code == 302
    assert Measurement.objects.get(company=world.company, kpi=kpi, year=2025).value == 1234567.5
    # Cells not sent stay as they are; a blank cell removes its value.
    value_added = program["kpi"]
    assert Measurement.objects.filter(company=world.company, kpi=value_added).count() == 2
    fingerprint = client.get(url).context["fingerprint"]
    client.post(url, {"fingerprint": fingerprint, f"v-{kpi.pk}-2025": ""})
    assert not Measurement.objects.filter(company=world.company, kpi=kpi).exists()


def test_bad_figures_and_a_stale_page_lose_nothing(program, world):
    client = world.client("coach")
    url = reverse("outcomes:company_kpis", args=[world.company.pk])
    fingerprint = client.get(url).context["fingerprint"]
    kpi = KpiDefinition.objects.get(code="oee")
    bad = client.post(
        url, {"fingerprint": fingerprint, f"v-{kpi.pk}-2025": "sjuttio", f"v-{kpi.pk}-2024": "70"}
    )
    assert bad.status_code == 422
    assert 'value="sjuttio"' in bad.content.decode()
    assert not Measurement.objects.filter(kpi=kpi).exists()
    # Someone else saves meanwhile: the second save is refused and keeps its text.
    client.post(url, {"fingerprint": fingerprint, f"v-{kpi.pk}-2024": "70"})
    stale = client.post(url, {"fingerprint": fingerprint, f"v-{kpi.pk}-2024": "71"})
    assert stale.status_code == 409
    assert re.search(r'value="71"', stale.content.decode())
    assert Measurement.objects.get(kpi=kpi).value == 70


def test_a_company_user_enters_its_own_figures_only(program, world):
    client = world.client("company_user")
    start = client.get(reverse("outcomes:company_list"))
    assert start["Location"] == reverse("outcomes:company_kpis", args=[world.company.pk])
    other = program["treated"][1]
    assert client.get(reverse("outcomes:company_kpis", args=[other.pk])).status_code == 404


def test_comparison_group_members_by_organisation_number(program, world):
    group = program["group"]
    url = reverse("outcomes:comparison_group", args=[group.pk])
    page = world.client("program_manager").post(
        url,
        {
            "action": "import",
            "numbers": "5560360793\n\n123456-7890\n556036-0793\n212000-0142",
        },
    )
    result = page.context["result"]
    # Line 1 adds our company; line 4 is the same number with a hyphen.
    assert (result.added, result.already) == (1, 1)
    assert group.companies.filter(pk=world.company.pk).exists()
    rejected = {line: (raw, why) for line, raw, why in result.rejected}
    assert set(rejected) == {3, 5}
    assert "inte ett giltigt" in rejected[3][1]
    assert "finns inte i registret" in rejected[5][1]


def test_results_are_recomputed_when_the_figures_change(program, world):
    client = world.client("program_manager")
    url = reverse("outcomes:dashboard")
    first = {e.kpi.code: e for e in client.get(url).context["effects"]}
    assert first["oee"].change.n == 0
    oee = KpiDefinition.objects.get(code="oee")
    for company in program["treated"][:6]:
        Measurement.objects.create(company=company, kpi=oee, year=2024, value=50)
        Measurement.objects.create(company=company, kpi=oee, year=2025, value=56)
    again = {e.kpi.code: e for e in client.get(url).context["effects"]}
    assert again["oee"].change.n == 6
    assert again["oee"].change.mean_change == 6.0
