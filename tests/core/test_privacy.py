"""People's rights under the GDPR (core/privacy.py and the apps' sources): the export
finds everything, the erasure removes it everywhere, the audit trail included, and keeps
the statistics; retention; consent records."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from redthread.accounts.models import Role, User
from redthread.core.privacy import retention_apply
from redthread.engagements.models import ActionItem, Session
from redthread.messaging.models import AddressOptOut, Message, Notice
from redthread.registry import services as registry_services
from redthread.registry.models import Consent, Person

from ..conftest import PASSWORD, coached_engagement
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Maja.Lind@Example.test"
NAME, SURNAME = "Maja", "Lindqvistsson"


@pytest.fixture
def subject(world: Any) -> dict[str, Any]:
    """One person as the platform meets her: a company user, a contact person with a
    consent and an action item, and an e-mail sent to her."""
    user = UserFactory.create(
        email=ADDRESS.lower(),
        full_name=f"{NAME} {SURNAME}",
        role=Role.COMPANY_USER,
        organisations=[world.company],
    )
    user.full_name = f"{NAME} {SURNAME}"
    user.save()  # a second history record with her name
    person = registry_services.person_create(
        organisation=world.company,
        first_name=NAME,
        last_name=SURNAME,
        email=ADDRESS,
        phone="070-123 45 67",
        title="Produktionschef",
    )
    registry_services.person_consents_set(
        person=person, purposes=["news"], actor=world.users["admin"], today=timezone.localdate()
    )
    engagement = coached_engagement(world)
    item = ActionItem.objects.create(
        engagement=engagement, title="Införa 5S i svetsen", owner_person=person
    )
    Session.objects.create(
        engagement=engagement, date=datetime.date(2026, 3, 1), duration_minutes=90
    )
    Message.objects.create(
        recipient=user,
        to_address=user.email,
        subject=f"Välkommen, {NAME} {SURNAME}",
        kind="invitation",
        language="sv",
        body_text=f"Hej {NAME} {SURNAME}!",
    )
    # A notice to her account, one to her address, and her address's unsubscription.
    for key, recipient in [(f"u{user.pk}", user), (f"a:{ADDRESS.lower()}", None)]:
        Notice.objects.create(
            kind="action_items_week",
            recipient_key=key,
            recipient=recipient,
            to_address=ADDRESS,
            period="2026-W10",
            language="sv",
            frequency="daily",
            subject=f"Åtgärder för {SURNAME}",
            body_text=f"{NAME} {SURNAME}: Införa 5S i svetsen",
        )
    AddressOptOut.objects.create(address=ADDRESS, kind="respondent_reminder")
    return {"user": user, "person": person, "item": item, "engagement": engagement}


def _tables_holding(text: str) -> list[str]:
    """Every table and text column of the database that still holds ``text``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                if not _is_text(column.type_code):
                    continue
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                value = f"LOWER(CAST({quoted_column} AS TEXT))"
                query = f"SELECT COUNT(*) FROM {quoted_table} WHERE {value} LIKE %s"  # noqa: S608 - names from the introspection
                cursor.execute(query, [f"%{text.lower()}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def _is_text(type_code: Any) -> bool:
    if connection.vendor == "postgresql":
        return type_code in {25, 1042, 1043, 114, 3802}  # text, char, varchar, json, jsonb
    return str(type_code).lower().startswith(("varchar", "text", "char", "json"))


def test_the_office_finds_everything_about_a_person(world: Any, subject: dict[str, Any]) -> None:
    client = world.client("program_manager")
    page = client.get(reverse("core:privacy"), {"address": " maja.lind@EXAMPLE.test "})
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "Konton och inloggningar",
        "Kontaktpersoner",
        "Utskickad e-post",
        "Åtgärder i uppdrag",
        "Produktionschef",
        "070-123 45 67",
        "Införa 5S i svetsen",
        "Nyhetsbrev och inbjudningar till träffar",
        f"Välkommen, {NAME} {SURNAME}",
    ):
        assert expected in text, expected


def test_the_json_export_holds_every_source(world: Any, subject: dict[str, Any]) -> None:
    response = world.client("admin").get(
        reverse("core:privacy_export", kwargs={"format": "json"}), {"address": ADDRESS}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["address"] == ADDRESS.lower()
    sources = {s["source"]: s["records"] for s in data["sources"]}
    assert set(sources) == {"accounts", "registry", "messaging", "engagements"}
    assert any(r.get("Telefon") == "070-123 45 67" for r in sources["registry"])
    assert any(r.get("Åtgärd") == "Införa 5S i svetsen" for r in sources["engagements"])


def test_the_pdf_export_reads_as_the_person_s_data(
    world: Any, subject: dict[str, Any], tmp_path: Any
) -> None:
    response = world.client("admin").get(
        reverse("core:privacy_export", kwargs={"format": "pdf"}), {"address": ADDRESS}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "utdrag.pdf"
    path.write_bytes(response.content)
    binary = shutil.which("pdftotext")
    assert binary is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    text = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [binary, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Registerutdrag" in text
    assert "Produktionschef" in text
    assert SURNAME in text


def test_an_erasure_asks_for_the_address_again_and_changes_nothing_without_it(
    world: Any, subject: dict[str, Any]
) -> None:
    url = reverse("core:privacy_erase")
    client = world.client("program_manager")
    assert "Skriv e-postadressen" in client.get(url, {"address": ADDRESS}).content.decode()
    refused = client.post(url, {"address": ADDRESS, "confirm": "fel@example.test"})
    assert refused.status_code == 400
    assert Person.objects.filter(last_name=SURNAME).exists()
    assert User.objects.filter(email=ADDRESS.lower()).exists()


def test_an_erasure_removes_the_person_everywhere_and_keeps_the_statistics(
    world: Any, subject: dict[str, Any]
) -> None:
    assert _tables_holding(SURNAME), "the fixture must have written the name somewhere"
    response = world.client("program_manager").post(
        reverse("core:privacy_erase"), {"address": ADDRESS, "confirm": ADDRESS.upper()}
    )
    assert response.status_code == 302
    # Nothing of her is left in any table, the audit trail's included.
    assert _tables_holding(SURNAME) == []
    assert _tables_holding("maja.lind") == []
    assert _tables_holding("070-123 45 67") == []
    # The records that count stay: the action item, its engagement's session, the account.
    subject["item"].refresh_from_db()
    assert subject["item"].owner_person_id == subject["person"].pk
    assert Session.objects.filter(engagement=subject["engagement"]).count() == 1
    user = User.objects.get(pk=subject["user"].pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.email.endswith("@anonym.invalid")
    assert Consent.objects.filter(person=subject["person"]).count() == 0
    message = Message.objects.get(recipient=user)
    assert message.kind == "invitation"
    assert message.body_text == ""
    assert Notice.objects.filter(kind="action_items_week", body_text="").count() == 2
    assert not AddressOptOut.objects.exists()
    # The search finds nothing any more.
    page = world.client("admin").get(reverse("core:privacy"), {"address": ADDRESS})
    assert "inga personuppgifter" in page.content.decode()


def test_an_erased_user_cannot_sign_in(world: Any, subject: dict[str, Any]) -> None:
    from django.test import Client

    subject["user"].set_password(PASSWORD)
    subject["user"].save()
    login = {"username": ADDRESS, "password": PASSWORD}
    assert Client().post(reverse("accounts:login"), login).status_code == 302
    world.client("admin").post(
        reverse("core:privacy_erase"), {"address": ADDRESS, "confirm": ADDRESS}
    )
    assert Client().post(reverse("accounts:login"), login).status_code == 200


def test_retention_anonymises_those_who_left_long_ago_and_no_one_else(world: Any) -> None:
    today = datetime.date(2026, 12, 3)
    old = registry_services.person_create(
        organisation=world.company,
        first_name="Gammal",
        last_name="Kontakt",
        email="gammal@example.test",
        left_on=today - datetime.timedelta(days=800),
    )
    recent = registry_services.person_create(
        organisation=world.company,
        first_name="Ny",
        last_name="Kontakt",
        email="ny@example.test",
        left_on=today - datetime.timedelta(days=30),
    )
    staying = registry_services.person_create(
        organisation=world.company, first_name="Kvar", last_name="Kontakt"
    )
    closed = UserFactory.create(email="stangd@example.test", is_active=False)
    User.objects.filter(pk=closed.pk).update(
        last_login=timezone.now() - datetime.timedelta(days=900)
    )
    closed_lately = UserFactory.create(email="nyss@example.test", is_active=False)
    User.objects.filter(pk=closed_lately.pk).update(last_login=timezone.now())
    done = retention_apply(today=today)
    assert done["departed_contacts"] == 1
    assert done["closed_accounts"] == 1
    for person in (old, recent, staying):
        person.refresh_from_db()
    assert (old.first_name, old.email) == ("Borttagen", "")
    assert recent.email == "ny@example.test"
    assert staying.first_name == "Kvar"
    assert User.objects.get(pk=closed.pk).email.endswith("@anonym.invalid")
    assert User.objects.get(pk=closed_lately.pk).email == "nyss@example.test"
    assert world.users["admin"].email == User.objects.get(pk=world.users["admin"].pk).email
    # A second run finds nothing more to do.
    assert retention_apply(today=today) == dict.fromkeys(done, 0)


def test_the_retention_command_reports_each_rule(world: Any, capsys: Any) -> None:
    call_command("apply_retention")
    out = capsys.readouterr().out
    assert "departed_contacts: 0 records (after 730 days)" in out
    assert "session_notes:" in out
    assert "closed_accounts:" in out


def test_consents_are_recorded_given_and_withdrawn_from_the_contact_form(
    world: Any, subject: dict[str, Any]
) -> None:
    person = subject["person"]
    url = reverse("registry:person_edit", kwargs={"pk": world.company.pk, "person_pk": person.pk})
    client = world.client("program_manager")
    form = client.get(url)
    assert form.status_code == 200
    token = form.context["form"]["edit_token"].value()
    response = client.post(
        url,
        {
            "first_name": NAME,
            "last_name": SURNAME,
            "email": ADDRESS,
            "consents": ["case_study"],
            "edit_token": token,
        },
    )
    assert response.status_code == 302
    rows = {c.purpose: c for c in Consent.objects.filter(person=person)}
    assert rows["news"].withdrawn_on == timezone.localdate()
    assert rows["case_study"].withdrawn_on is None
    assert rows["case_study"].recorded_by == world.users["program_manager"]
    page = client.get(url).content.decode()
    assert "Samtycken över tid" in page


def test_the_record_of_processing_is_public_in_both_languages(client: Any) -> None:
    swedish = client.get(reverse("core:processing_record")).content.decode()
    assert "Register över behandlingar" in swedish
    assert "efter 730 dagar" in swedish
    english = client.get(
        reverse("core:processing_record"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Record of processing" in english
