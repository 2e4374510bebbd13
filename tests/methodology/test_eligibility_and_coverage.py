from __future__ import annotations

import datetime

from django.urls import reverse

from redthread.core.importing import SourceRow, Table
from redthread.methodology.eligibility import initiative_eligibility
from redthread.methodology.selectors import coverage
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality
from redthread.registry.urban_rural import urban_rural_import


def _classify(**types: str) -> None:
    rows = [
        SourceRow(n, [m.code, types.get(m.code, "landsbygd_nara")])
        for n, m in enumerate(Municipality.objects.order_by("code"), start=2)
    ]
    urban_rural_import(
        Table(headers=["Kommunkod", "Kommuntyp"], rows=rows),
        version="2014",
        source="test",
        official=True,
    )


def _company(world, **facts):
    registry_services.company_update(company=world.company, **facts)
    return world.company


def test_an_eligible_company_passes_every_rule(methodology, world):
    _classify()
    company = _company(
        world,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0617"),
    )
    result = initiative_eligibility(initiative=methodology["initiative"], company=company)
    assert result.eligible
    assert len(result.passed) == 3


def test_a_large_city_company_is_refused_with_a_plain_reason(methodology, world):
    _classify(**{"0180": "storstad"})
    company = _company(
        world,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0180"),
    )
    result = initiative_eligibility(initiative=methodology["initiative"], company=company)
    assert not result.eligible
    assert result.reasons == [
        "Företaget ligger i Stockholm, som räknas till storstadskommuner, men satsningen är för "
        "landsbygdskommuner nära en större stad."
    ]


def test_size_sector_region_and_period_rules(methodology, world):
    _classify()
    initiative = methodology["initiative"]
    initiative.regions = ["SE33"]
    initiative.save()
    company = _company(
        world,
        headcount=120,
        sni_code="10110",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0617"),
    )
    result = initiative_eligibility(
        initiative=initiative, company=company, on=datetime.date(2030, 1, 1)
    )
    text = " ".join(result.reasons)
    assert "medelstort företag" in text
    assert "satsningen är för mikroföretag" in text
    assert "10110" in text
    assert "Småland med öarna" in text
    assert "Övre Norrland" in text
    assert "pågår" in text


def test_missing_facts_are_unknown_not_refused(methodology, world):
    result = initiative_eligibility(initiative=methodology["initiative"], company=world.company)
    assert not result.eligible
    assert not result.reasons
    assert any("Antal anställda saknas" in u for u in result.unknown)


def test_the_initiative_page_explains_eligibility(methodology, world):
    _classify(**{"0180": "storstad"})
    _company(
        world,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0180"),
    )
    url = reverse("methodology:initiative_detail", kwargs={"slug": "landsbygd"})
    body = world.client("program_manager").get(url, {"company": world.company.pk}).content.decode()
    assert "Nej, företaget uppfyller inte villkoren." in body
    assert "storstadskommuner" in body


def test_coverage_counts_modules_in_templates_and_initiatives(
    methodology, world, django_assert_max_num_queries
):
    result = coverage(user=world.users["program_manager"])
    cells = {m.code: [bool(cell) for cell in row] for m, row in result.initiative_cells()}
    assert cells == {"5s": [True], "smed": [False], "vardeflodesanalys": [True]}
    client = world.client("coach")
    # Two of them count the engagements per module (the engagements app's hook).
    with django_assert_max_num_queries(14):
        page = client.get(reverse("methodology:coverage"))
    assert "Landsbygdsprogrammet" in page.content.decode()


def test_module_page_shows_where_it_is_used(methodology, world):
    body = (
        world.client("coach")
        .get(reverse("methodology:module_detail", kwargs={"code": "5s"}))
        .content.decode()
    )
    assert "Startprogram" in body
    assert "Landsbygdsprogrammet" in body


def test_program_manager_creates_an_initiative_with_sector_ranges(methodology, world):
    client = world.client("program_manager")
    response = client.post(
        reverse("methodology:initiative_create"),
        {
            "slug": "ny-satsning",
            "name": "Ny satsning",
            "owner": world.office.pk,
            "start": "2026-01-01",
            "end": "2025-01-01",
            "sectors": "10-12 25",
            "target_companies": 10,
            "coach_hour_rate_sek": 1200,
            "target_rural_share_percent": 0,
            "target_hours": 100,
        },
    )
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    response = client.post(
        reverse("methodology:initiative_create"),
        {
            "slug": "ny-satsning",
            "name": "Ny satsning",
            "owner": world.office.pk,
            "start": "2026-01-01",
            "end": "2027-01-01",
            "sectors": "10-12 25",
            "target_companies": 10,
            "coach_hour_rate_sek": 1200,
            "target_rural_share_percent": 0,
            "target_hours": 100,
            "templates": [methodology["template"].pk],
            "partners": [world.partner.pk],
        },
    )
    assert response.status_code == 302
    from redthread.methodology.models import Initiative

    initiative = Initiative.objects.get(slug="ny-satsning")
    assert initiative.sectors == ["10", "11", "12", "25"]
    assert list(initiative.partners.all()) == [world.partner]
