"""The public site beside the log: the initiatives, the partners, the stakeholders and
funders and the methodology, read by an anonymous visitor; none of it names a company."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from redthread.methodology import services as methodology
from redthread.registry.models import OrganisationKind, Person

from ..conftest import World
from ..factories import OrganisationFactory


def _initiative(world: World):
    module = methodology.module_create(
        code="5s", category="lean", name="5S på verkstadsgolvet", purpose="Ordning och reda."
    )
    draft = methodology.template_create(
        code="start", name="Startprogrammet", duration_weeks=10, target_group="Små verkstäder"
    )
    phase = methodology.phase_add(version=draft, name="Kom igång")
    methodology.step_add(phase=phase, module=module.module, offset_weeks=0)
    methodology.assessment_point_add(
        version=draft, timepoint="T0", offset_weeks=0, instrument="lean"
    )
    methodology.template_publish(version=draft, actor=None)
    return methodology.initiative_save(
        slug="landsbygden",
        name="Landsbygdssatsningen",
        owner=world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 31),
        size_classes=["micro", "small"],
        urban_rural_types=["landsbygd_nara"],
        sectors=[f"{n:02d}" for n in range(10, 34)],
        partners=[world.partner, world.company],
        templates=[draft.template],
        fundings=[(world.funder, 1_000_000), (world.other_company, 5)],
    )


PUBLIC_PAGES = [
    ("journal:initiative_list", {}),
    ("journal:initiative_detail", {"slug": "landsbygden"}),
    ("journal:partners", {}),
    ("journal:stakeholders", {}),
    ("journal:methodology", {}),
    ("journal:about", {}),
    ("journal:accessibility", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_the_public_pages_render_for_anyone_and_name_no_company(world, name, kwargs):
    _initiative(world)
    Person.objects.create(
        organisation=world.company, first_name="Kim", last_name="Kund", published=True
    )
    html = world.client("anonymous").get(reverse(name, kwargs=kwargs)).content.decode()
    for company in (world.company, world.other_company):
        assert company.name not in html
    assert "Kim" not in html
    # every public page links the others, from the header and the footer
    for other, _kwargs in PUBLIC_PAGES:
        if not _kwargs:
            assert f'href="{reverse(other)}"' in html


def test_an_initiative_page_says_who_may_join_and_with_which_program(world):
    _initiative(world)
    response = world.client("anonymous").get(
        reverse("journal:initiative_detail", args=["landsbygden"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Landsbygdssatsningen" in html
    assert "mikroföretag (under 10 anställda) eller litet företag (10–49 anställda)" in html
    assert "landsbygdskommuner nära en större stad" in html
    assert "tillverkande företag (SNI 10–33)" in html
    assert "Startprogrammet" in html
    assert "Kom igång: 5S på verkstadsgolvet" in html
    assert world.funder.name in html
    assert world.partner.name in html
    # the funding's amounts are the office's business: the page names the funders only
    assert "1 000 000" not in html


def test_an_unknown_initiative_is_not_found(world):
    response = world.client("anonymous").get(reverse("journal:initiative_detail", args=["nej"]))
    assert response.status_code == 404


def test_the_partner_page_shows_only_the_published_contacts_and_no_address(world):
    Person.objects.create(
        organisation=world.partner,
        first_name="Lina",
        last_name="Nordström",
        title="Koordinator",
        email="lina@example.se",
        published=True,
    )
    Person.objects.create(
        organisation=world.partner, first_name="Olle", last_name="Opublicerad", published=False
    )
    html = world.client("anonymous").get(reverse("journal:partners")).content.decode()
    assert "Sydsverige" in html  # the partner's region
    assert world.partner.name in html
    assert "Lina Nordström, Koordinator" in html
    assert "lina@example.se" not in html
    assert "Opublicerad" not in html


def test_the_stakeholders_and_funders_page(world):
    _initiative(world)
    OrganisationFactory.create(kind=OrganisationKind.STAKEHOLDER, name="IF Metall", slug="ifm")
    html = world.client("anonymous").get(reverse("journal:stakeholders")).content.decode()
    assert "IF Metall" in html
    assert world.funder.name in html
    assert 'href="/satsningar/landsbygden/"' in html  # what the funder funds


def test_the_methodology_in_brief_lists_the_published_modules_and_programs(world):
    _initiative(world)
    html = world.client("anonymous").get(reverse("journal:methodology")).content.decode()
    assert "5S på verkstadsgolvet" in html
    assert "Ordning och reda." in html
    assert "Startprogrammet" in html


def test_the_sitemap_lists_the_public_pages_and_each_initiative(world):
    _initiative(world)
    xml = world.client("anonymous").get(reverse("journal:sitemap")).content.decode()
    assert "/satsningar/landsbygden/</loc>" in xml
    assert "/partner/</loc>" in xml
