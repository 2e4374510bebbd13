"""A partner's own people, managed in the app by the office and the partner's managers:
the "published" choice puts a person's name, title and phone on the public partner page;
a company's contacts never have that choice."""

from __future__ import annotations

import re

from django.urls import reverse

from redthread.registry.models import Person


def _person_data(**overrides):
    data = {
        "first_name": "Lina",
        "last_name": "Nordström",
        "title": "Koordinator",
        "email": "lina@example.se",
        "phone": "070-123 45 67",
        "gender": "",
        "left_on": "",
        "edit_token": "",
    }
    data.update(overrides)
    return data


def test_a_partner_manager_adds_and_publishes_its_own_contact(world):
    manager = world.client("partner_manager")
    create = reverse("registry:partner_person_create", args=[world.partner.slug])
    form = manager.get(create).content.decode()
    assert 'name="published"' in form
    assert "telefonnummer visas på den publika partnersidan" in form
    response = manager.post(create, _person_data(published="on"))
    assert response.status_code == 302
    person = Person.objects.get(organisation=world.partner)
    assert person.published

    page = world.client("anonymous").get(reverse("journal:partners")).content.decode()
    assert "Lina Nordström, Koordinator" in page
    assert "070-123 45 67" in page
    assert "lina@example.se" not in page

    # unpublished again from the edit form: gone from the public page
    edit = reverse("registry:partner_person_edit", args=[world.partner.slug, person.pk])
    token = re.search(r'name="edit_token" value="([^"]*)"', manager.get(edit).content.decode())
    assert token
    manager.post(edit, _person_data(edit_token=token.group(1)))
    person.refresh_from_db()
    assert not person.published
    assert "Lina" not in world.client("anonymous").get(reverse("journal:partners")).content.decode()


def test_the_partner_page_in_the_app_lists_its_people_for_those_who_manage_them(world):
    Person.objects.create(
        organisation=world.partner, first_name="Olle", last_name="Ohlsson", published=True
    )
    detail = reverse("registry:organisation_detail", args=[world.partner.slug])
    for who in ("program_manager", "partner_manager"):
        html = world.client(who).get(detail).content.decode()
        assert "Olle Ohlsson" in html
        assert "Visas" in html
    for who in ("coach", "other_partner_manager"):
        assert "Olle Ohlsson" not in world.client(who).get(detail).content.decode()


def test_another_partners_manager_may_not_touch_our_people(world):
    person = Person.objects.create(organisation=world.partner, first_name="Eva", last_name="Ek")
    other = world.client("other_partner_manager")
    edit = reverse("registry:partner_person_edit", args=[world.partner.slug, person.pk])
    assert other.post(edit, _person_data(published="on")).status_code == 403
    person.refresh_from_db()
    assert not person.published
    # and a company is no partner here: its people stay under the company's own pages
    create = reverse("registry:partner_person_create", args=[world.company.slug])
    assert world.client("program_manager").get(create).status_code == 404


def test_a_companys_contact_form_has_no_publish_choice(world):
    form = world.client("program_manager").get(
        reverse("registry:person_create", args=[world.company.pk])
    )
    assert form.status_code == 200
    assert 'name="published"' not in form.content.decode()
