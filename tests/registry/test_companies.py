from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from redthread.accounts.models import Membership
from redthread.registry import services
from redthread.registry.identifiers import org_number_normalise, sni_check
from redthread.registry.models import (
    MergeRecord,
    Municipality,
    Organisation,
    Person,
    SizeClass,
    size_class_for,
)


@pytest.fixture
def reference(db):
    services.reference_data_load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("556036-0793", "5560360793"),
        ("5560360793", "5560360793"),
        ("556036 0793", "5560360793"),
        ("16556036-0793", "5560360793"),
        ("165560360793", "5560360793"),
        (" 556036-0793 ", "5560360793"),
    ],
)
def test_org_number_forms_are_normalised(text, expected):
    assert org_number_normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "saknas"),
        ("556036-0794", "Kontrollsiffran"),
        ("55603607", "10 siffror"),
        ("811228-9874", "personnummer"),
        ("55603A0793", "bara innehålla siffror"),
    ],
)
def test_bad_org_numbers_are_explained(text, message):
    with pytest.raises(ValidationError) as error:
        org_number_normalise(text)
    assert message in " ".join(error.value.messages)


def test_size_class_from_headcount():
    assert size_class_for(None) is None
    assert size_class_for(0) == SizeClass.MICRO
    assert size_class_for(9) == SizeClass.MICRO
    assert size_class_for(10) == SizeClass.SMALL
    assert size_class_for(49) == SizeClass.SMALL
    assert size_class_for(50) == SizeClass.MEDIUM
    assert size_class_for(249) == SizeClass.MEDIUM
    assert size_class_for(250) == SizeClass.LARGE


def test_sni_codes_are_checked_by_version(reference):
    assert sni_check("25620", "2025").note == ""
    with pytest.raises(ValidationError):
        sni_check("99999", "2025")
    flagged = sni_check("25620", "2007")
    assert flagged.version == "2007"
    assert "Bara huvudgruppen 25" in flagged.note
    assert "kunde inte kontrolleras" in sni_check("47110", "2007").note


def _form(company_or_none=None, **changes):
    data = {
        "name": "Nya Verkstaden AB",
        "org_number": "556036-0793",
        "municipality": "",
        "street_address": "",
        "postal_code": "",
        "postal_town": "",
        "sni_code": "25620",
        "sni_version": "2025",
        "headcount": "12 345",
        "turnover_sek": "12 500 000",
        "website": "",
        "responsible_partner": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_program_manager_registers_a_company_with_swedish_numbers(world, reference):
    client = world.client("program_manager")
    stockholm = Municipality.objects.get(code="0180")
    response = client.post(
        reverse("registry:company_create"),
        _form(
            municipality=stockholm.pk,
            responsible_partner=world.partner.pk,
            org_number="556 036-079 4",
        ),
    )
    # 5560360794 has a wrong check digit: the form says so beside the field.
    assert response.status_code == 200
    assert "Kontrollsiffran" in response.content.decode()
    response = client.post(
        reverse("registry:company_create"),
        _form(
            municipality=stockholm.pk,
            responsible_partner=world.partner.pk,
            org_number="556703-7485",
        ),
    )
    assert response.status_code == 302
    company = Organisation.objects.get(org_number="5567037485")
    assert company.headcount == 12345
    assert company.turnover_sek == 12_500_000
    assert company.municipality is not None
    assert company.municipality.county.nuts.code == "SE11"


def test_a_second_company_with_the_same_number_is_refused(world, reference):
    response = world.client("program_manager").post(
        reverse("registry:company_create"), _form(org_number="556036-0793")
    )
    assert response.status_code == 200
    assert "Det finns redan en organisation" in response.content.decode()
    assert Organisation.objects.filter(org_number="5560360793").count() == 1


def test_partner_manager_edits_own_companies_only(world, reference, coached):
    own = reverse("registry:company_edit", kwargs={"pk": world.company.pk})
    other = reverse("registry:company_edit", kwargs={"pk": world.other_company.pk})
    assert world.client("partner_manager").get(own).status_code == 200
    assert world.client("partner_manager").get(other).status_code == 404
    assert world.client("coach").get(own).status_code == 403


def test_concurrent_company_edits_do_not_overwrite(world, reference):
    url = reverse("registry:company_edit", kwargs={"pk": world.company.pk})
    first, second = world.client("program_manager"), world.client("partner_manager")
    token_a = first.get(url).context["form"].initial["edit_token"]
    token_b = second.get(url).context["form"].initial["edit_token"]
    data = _form(org_number="556036-0793", responsible_partner=world.partner.pk)
    assert first.post(url, {**data, "name": "Först AB", "edit_token": token_a}).status_code == 302
    response = second.post(url, {**data, "name": "Andra AB", "edit_token": token_b})
    assert response.status_code == 200
    assert "Någon annan har sparat" in response.content.decode()
    world.company.refresh_from_db()
    assert world.company.name == "Först AB"


def test_merge_moves_people_and_memberships_fills_gaps_and_is_logged(world, reference):
    duplicate = services.company_create(
        name="Testverkstaden i Malmö AB",
        org_number="5567037485",
        headcount=40,
        responsible_partner=world.partner,
    )
    Person.objects.create(organisation=duplicate, first_name="Eva", last_name="Ek")
    Membership.objects.create(user=world.users["coach"], organisation=duplicate)
    # The company user already belongs to the kept record: that link must not be doubled.
    Membership.objects.create(user=world.users["company_user"], organisation=duplicate)
    client = world.client("program_manager")
    url = reverse("registry:company_merge", kwargs={"pk": world.company.pk})
    page = client.get(url, {"other": duplicate.pk})
    assert "Ja, sammanfoga" in page.content.decode()
    assert client.post(url, {"other": duplicate.pk}).status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    world.company.refresh_from_db()
    assert world.company.headcount == 40  # filled from the removed record
    assert world.company.people.filter(first_name="Eva").exists()
    assert Membership.objects.filter(organisation=world.company).count() == 2
    record = MergeRecord.objects.get(kept=world.company)
    assert record.removed_org_number == "5567037485"
    assert record.merged_by == world.users["program_manager"]
    assert "headcount" in record.summary["filled"]
    # The removed record's audit history is kept.
    assert Organisation.history.filter(id=duplicate.pk, history_type="-").exists()


def test_only_the_office_merges(world):
    url = reverse("registry:company_merge", kwargs={"pk": world.company.pk})
    assert world.client("partner_manager").get(url).status_code == 403


def test_contacts_are_personal_data_hidden_from_others(world, reference, coached):
    Person.objects.create(
        organisation=world.company, first_name="Eva", last_name="Ek", email="eva@example.test"
    )
    url = reverse("registry:company_detail", kwargs={"pk": world.company.pk})
    assert "eva@example.test" in world.client("coach").get(url).content.decode()
    assert world.client("other_coach").get(url).status_code == 404
    assert world.client("funder_viewer").get(url).status_code == 403


def test_contact_is_removed_after_confirmation(world, reference):
    person = Person.objects.create(organisation=world.company, first_name="Eva", last_name="Ek")
    url = reverse("registry:person_delete", kwargs={"pk": world.company.pk, "person_pk": person.pk})
    client = world.client("company_user")
    assert "Ta bort Eva Ek?" in client.get(url).content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert client.post(url).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


def test_script_in_a_name_is_escaped(world, reference):
    world.company.name = '<script>alert("x")</script> AB'
    world.company.save()
    for url in [
        reverse("registry:company_list"),
        reverse("registry:company_detail", kwargs={"pk": world.company.pk}),
    ]:
        body = world.client("program_manager").get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert" in body


def test_company_list_filters(world, reference):
    stockholm = Municipality.objects.get(code="0180")
    kiruna = Municipality.objects.get(code="2584")
    services.company_update(
        company=world.company,
        municipality=stockholm,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
    )
    services.company_update(
        company=world.other_company,
        org_number="5567037485",
        municipality=kiruna,
        headcount=300,
        sni_code="10110",
        sni_version="2025",
    )
    client = world.client("program_manager")

    def names(**params):
        return [
            c.name
            for c in client.get(reverse("registry:company_list"), params)
            .context["listing"]
            .page.object_list
        ]

    assert names(region="SE11") == ["Testverkstaden AB"]
    assert names(county="25") == ["Annan Industri AB"]
    assert names(size_class="large") == ["Annan Industri AB"]
    assert names(size_class="small") == ["Testverkstaden AB"]
    assert names(sni_division="25") == ["Testverkstaden AB"]
    assert names(partner=world.other_partner.pk) == ["Annan Industri AB"]
    assert names(q="556036-0793") == ["Testverkstaden AB"]
    assert names(q="16556036-0793") == ["Testverkstaden AB"]


def test_company_list_query_count(world, reference, django_assert_max_num_queries):
    for n in range(30):
        services.company_create(
            name=f"Bolag {n} AB", org_number=_valid(n), responsible_partner=world.partner
        )
    client = world.client("program_manager")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("registry:company_list"))
    assert len(response.context["listing"].page.object_list) == 25


def _valid(n: int) -> str:
    from stdnum import luhn

    body = f"5566{n:05d}"
    return body + luhn.calc_check_digit(body)


def test_export_of_the_filtered_list_neutralises_formulas(world, reference):
    import io

    import openpyxl

    world.company.name = '=HYPERLINK("http://evil.example","klicka")'
    world.company.headcount = 42
    world.company.save()
    client = world.client("program_manager")
    response = client.get(reverse("registry:company_list"), {"format": "xlsx", "q": "HYPERLINK"})
    assert response["Content-Disposition"].startswith('attachment; filename="foretag-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Organisationsnummer", "Namn")
    assert len(rows) == 2  # the header and the one company the filter leaves
    assert rows[1][1] == "'" + world.company.name
    assert rows[1][9] == 42  # a number stays a number
    semicolon = client.get(reverse("registry:company_list"), {"format": "csv-semicolon"})
    text = semicolon.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Organisationsnummer;Namn;")
    assert "'=HYPERLINK" in text


def test_funders_cannot_export_companies(world):
    response = world.client("funder_viewer").get(
        reverse("registry:company_list"), {"format": "csv"}
    )
    assert response.status_code == 403


def test_organisation_list_exports_too(world):
    response = world.client("program_manager").get(
        "/organisationer/", {"format": "csv", "kind": "funder"}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Namn,")
    assert lines[1].startswith("Finansiären,")


def test_the_partners_a_user_may_act_for(world):
    from redthread.registry.selectors import partner_list

    def names(who: str) -> list[str]:
        return [p.name for p in partner_list(user=world.users[who])]

    everyone = sorted([world.partner.name, world.other_partner.name])
    assert names("program_manager") == everyone
    assert names("partner_manager") == [world.partner.name]
    assert names("other_coach") == [world.other_partner.name]
    assert names("company_user") == []
    assert names("funder_viewer") == []
