from __future__ import annotations

from django.urls import reverse

from redthread.registry.models import Organisation, OrganisationKind

from ..factories import OrganisationFactory

URL = "/organisationer/"


def _names(response) -> list[str]:
    return [org.name for org in response.context["listing"].page.object_list]


def test_search_by_name_and_by_org_number_with_or_without_hyphen(world):
    client = world.client("program_manager")
    world.partner.org_number = "5567037485"
    world.partner.save()
    assert _names(client.get(URL, {"q": "iuc te"})) == ["IUC Test"]
    assert _names(client.get(URL, {"q": "556703-7485"})) == ["IUC Test"]
    assert _names(client.get(URL, {"q": "5567037485"})) == ["IUC Test"]


def test_filter_by_kind_and_region(world):
    client = world.client("program_manager")
    funders = _names(client.get(URL, {"kind": OrganisationKind.FUNDER}))
    assert funders == ["Finansiären"]
    assert _names(client.get(URL, {"region": "SE33"})) == ["IUC Annan"]


def test_sort_by_column_both_ways_and_ignore_unknown_columns(world):
    client = world.client("program_manager")
    ascending = _names(client.get(URL, {"sort": "name"}))
    descending = _names(client.get(URL, {"sort": "-name"}))
    assert ascending == sorted(ascending)
    assert descending == list(reversed(ascending))
    # A tampered sort parameter falls back to the default instead of failing.
    assert _names(client.get(URL, {"sort": "password"})) == ascending
    body = client.get(URL, {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in body


def test_pagination_shows_every_row_once(world):
    OrganisationFactory.create_batch(60, kind=OrganisationKind.STAKEHOLDER)
    client = world.client("program_manager")
    total = Organisation.objects.exclude(kind=OrganisationKind.COMPANY).count()
    seen: list[str] = []
    page = 1
    while True:
        response = client.get(URL, {"page": page, "sort": "kind"})
        seen += _names(response)
        if not response.context["listing"].page.has_next():
            break
        page += 1
    assert len(seen) == total == len(set(seen))
    assert page == 3


def test_out_of_range_page_shows_the_last_page(world):
    response = world.client("program_manager").get(URL, {"page": "999"})
    assert response.status_code == 200
    response = world.client("program_manager").get(URL, {"page": "abc"})
    assert response.status_code == 200


def test_partner_staff_see_only_their_own_companies(world, coached):
    companies = "/foretag/"
    assert _names(world.client("partner_manager").get(companies)) == ["Testverkstaden AB"]
    assert _names(world.client("coach").get(companies)) == ["Testverkstaden AB"]
    assert _names(world.client("other_coach").get(companies)) == ["Annan Industri AB"]
    assert "Testverkstaden AB" not in _names(world.client("coach").get(URL))


def test_company_user_sees_own_company_and_public_organisations(world):
    assert _names(world.client("company_user").get("/foretag/")) == ["Testverkstaden AB"]
    assert "IUC Test" in _names(world.client("company_user").get(URL))


def test_empty_search_says_what_to_do(world):
    body = world.client("program_manager").get(URL, {"q": "finns-inte"}).content.decode()
    assert "Inga organisationer matchar sökningen" in body
    assert "Rensa filter" in body


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    OrganisationFactory.create_batch(30, host=world.office)
    client = world.client("program_manager")
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_detail_shows_org_number_with_hyphen(world):
    body = (
        world.client("program_manager")
        .get(
            reverse("registry:organisation_detail", kwargs={"slug": world.company.slug}),
            follow=True,
        )
        .content.decode()
    )
    assert "556036-0793" in body
