"""The audit trail for the program office: every change with who, when and from where,
searchable, and one record's history with old and new values by name."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from redthread.core.audit import audited_models
from redthread.registry.models import Organisation, Person

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _edit_person(world: Any, who: str, **changes: Any) -> Person:
    from redthread.registry import services

    person = Person.objects.filter(organisation=world.company).first() or services.person_create(
        organisation=world.company, first_name="Erik", last_name="Berg", title="VD"
    )
    url = reverse("registry:person_edit", kwargs={"pk": world.company.pk, "person_pk": person.pk})
    client = world.client(who)
    token = client.get(url).context["form"]["edit_token"].value()
    data = {"first_name": person.first_name, "last_name": person.last_name, "title": person.title}
    response = client.post(url, {**data, **changes, "edit_token": token})
    assert response.status_code == 302
    return person


def test_every_tracked_model_is_listed_with_its_name() -> None:
    models = audited_models()
    assert {"registry.organisation", "registry.person", "engagements.session"} <= set(models)
    assert "accounts.user" in models


def test_a_change_on_a_page_says_who_and_from_which_page(world: Any) -> None:
    person = _edit_person(world, "program_manager", title="Produktionschef")
    record = person.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == world.users["program_manager"]
    assert record.history_change_reason == "POST registry:person_edit"


def test_a_change_by_a_command_says_so(world: Any) -> None:
    company = OrganisationFactory.create(name="Kommandobolaget AB")
    record = company.history.first()
    assert record.history_user is None
    assert record.history_change_reason.startswith("command")


def test_the_log_is_searchable_by_who_where_and_what(world: Any) -> None:
    _edit_person(world, "program_manager", title="Produktionschef")
    client = world.client("admin")
    url = reverse("core:audit_log")
    by_manager = client.get(
        url, {"kind": "registry.person", "user": world.users["program_manager"].email}
    )
    assert by_manager.status_code == 200
    # The page by its name, never its view's code.
    assert "Ändra en kontaktperson" in by_manager.content.decode()
    assert "registry:person_edit" not in by_manager.content.decode()
    by_page = client.get(url, {"kind": "registry.person", "origin": "kontaktperson"})
    assert "Ändra en kontaktperson" in by_page.content.decode()
    by_code = client.get(url, {"kind": "registry.person", "origin": "person_edit"})
    assert "Ändra en kontaktperson" in by_code.content.decode()
    elsewhere = client.get(url, {"kind": "registry.person", "origin": "Ny kurs"})
    assert "Ändra en kontaktperson" not in elsewhere.content.decode()
    nobody = client.get(url, {"kind": "registry.person", "user": "ingen-alls"})
    assert "Inga ändringar matchar" in nobody.content.decode()
    created_only = client.get(url, {"kind": "registry.person", "action": "+"}).content.decode()
    assert "Skapad" in created_only
    assert "Ändra en kontaktperson" not in created_only
    # Nonsense in the filters is ignored, never a server error.
    for params in ({"kind": "nope.nope"}, {"since": "9999-99-99"}, {"action": "x" * 500}):
        assert client.get(url, params).status_code == 200


def test_one_record_s_history_shows_old_and_new_values_by_name(world: Any) -> None:
    other = OrganisationFactory.create(name="Nya Partnern AB", kind="partner")
    company = world.company
    old_partner = company.responsible_partner
    company.responsible_partner = other
    company.name = "Omdöpta Verkstaden AB"
    company._history_user = world.users["admin"]
    company.save()
    page = world.client("program_manager").get(
        reverse("core:audit_object", kwargs={"kind": "registry.organisation", "pk": company.pk})
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Omdöpta Verkstaden AB" in text
    assert "Nya Partnern AB" in text  # the foreign key by its name, not its id
    if old_partner is not None:
        assert old_partner.name in text
    assert f"#{other.pk}" not in text


def test_an_unknown_kind_or_record_is_a_404(world: Any) -> None:
    client = world.client("admin")
    assert (
        client.get(reverse("core:audit_object", kwargs={"kind": "x.y", "pk": 1})).status_code == 404
    )
    missing = reverse("core:audit_object", kwargs={"kind": "registry.organisation", "pk": 10**12})
    assert client.get(missing).status_code == 404


@pytest.mark.querycount
def test_the_log_s_queries_do_not_grow_with_its_rows(world: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = world.client("admin").get(
                reverse("core:audit_log"), {"kind": "registry.organisation"}
            )
        assert response.status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        OrganisationFactory.create(name=f"Bolag {n} AB")
    assert Organisation.history.count() >= 20
    assert count() == few
