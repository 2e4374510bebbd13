"""The contact form, to the office and to a partner: stored with the consent, forwarded
through the outbox to a real SMTP server, with no address of ours on the page; the same
honeypot, time check and rate limit as the application."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from redthread.journal.models import Inquiry, InquiryKind
from redthread.registry.models import Person

from ..smtp_server import SmtpServer


@pytest.fixture
def quick(settings):
    settings.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 0
    return settings


def _form(client, url, **overrides):
    page = client.get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page)
    assert started
    data = {
        "name": "Bo Besökare",
        "email": "bo@example.se",
        "organisation_name": "Bos Verkstad",
        "message": "Hur kommer vi med i ett program?",
        "consent": "on",
        "website": "",
        "started": started.group(1),
    }
    data.update(overrides)
    return data


def _text(message) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_a_message_to_the_office_is_stored_and_forwarded(
    world, quick, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    client = world.client("anonymous")
    url = reverse("journal:contact")
    page = client.get(url).content.decode()
    assert "mailto:" not in page
    assert world.users["program_manager"].email not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(client, url))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:contact_sent")
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == InquiryKind.CONTACT
    assert inquiry.recipient is None
    assert inquiry.consented_at is not None
    assert inquiry.message == "Hur kommer vi med i ett program?"
    [received] = smtp_server.messages
    assert received["To"] == world.users["program_manager"].email
    assert "Bo Besökare" in str(received["Subject"])
    text = _text(received)
    assert "bo@example.se" in text
    assert "Hur kommer vi med i ett program?" in text


def test_a_message_to_a_partner_reaches_its_managers_and_shows_no_address(
    world, quick, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    Person.objects.create(
        organisation=world.partner,
        first_name="Lina",
        last_name="Nod",
        email="lina@iuc.example.se",
        published=True,
    )
    client = world.client("anonymous")
    url = reverse("journal:partner_contact", args=[world.partner.slug])
    partners = client.get(reverse("journal:partners")).content.decode()
    assert f'href="{url}"' in partners
    page = client.get(url).content.decode()
    for address in ("lina@iuc.example.se", world.users["partner_manager"].email):
        assert address not in page
        assert address not in partners
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(client, url))
    assert response.status_code == 302
    assert Inquiry.objects.get().recipient == world.partner
    [received] = smtp_server.messages
    assert received["To"] == world.users["partner_manager"].email
    assert world.partner.name in _text(received)


def test_a_partner_without_managers_gets_it_at_its_published_contacts(
    world, quick, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    Person.objects.create(
        organisation=world.other_partner,
        first_name="Lina",
        last_name="Nod",
        email="lina@annan.example.se",
        published=True,
    )
    world.users["other_partner_manager"].memberships.all().delete()
    client = world.client("anonymous")
    url = reverse("journal:partner_contact", args=[world.other_partner.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _form(client, url)).status_code == 302
    [received] = smtp_server.messages
    assert received["To"] == "lina@annan.example.se"


def test_only_a_partner_can_be_written_to(world):
    client = world.client("anonymous")
    for slug in (world.company.slug, world.funder.slug, "finns-inte"):
        url = reverse("journal:partner_contact", args=[slug])
        assert client.get(url).status_code == 404


def test_the_contact_form_holds_against_spam(world, quick):
    client = world.client("anonymous")
    url = reverse("journal:contact")
    honeypot = client.post(url, _form(client, url, website="http://spam"))
    assert honeypot.status_code == 400
    assert "Formuläret kunde inte skickas" in honeypot.content.decode()
    no_consent = client.post(url, _form(client, url, consent=""))
    assert "Kryssa i rutan" in no_consent.content.decode()
    quick.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 60
    fast = client.post(url, _form(client, url))
    assert "skickades för snabbt" in fast.content.decode()
    assert not Inquiry.objects.exists()

    quick.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 0
    quick.REDTHREAD_PUBLIC_FORM_LIMIT_PER_EMAIL = 2
    assert client.post(url, _form(client, url)).status_code == 302
    assert client.post(url, _form(client, url)).status_code == 302
    limited = client.post(url, _form(client, url))
    assert limited.status_code == 429
    assert "För många försök" in limited.content.decode()
    assert Inquiry.objects.count() == 2


def test_what_a_visitor_sent_is_exported_erased_and_kept_only_a_while(world, quick):
    import datetime

    from django.utils import timezone

    from redthread.core.privacy import retention_apply, subject_erase, subject_export

    client = world.client("anonymous")
    url = reverse("journal:contact")
    assert client.post(url, _form(client, url)).status_code == 302
    exported = str(subject_export(address="bo@example.se"))
    assert "Hur kommer vi med i ett program?" in exported
    assert subject_erase(address="bo@example.se")
    assert not Inquiry.objects.exists()

    assert client.post(url, _form(client, url, email="ny@example.se")).status_code == 302
    quick.REDTHREAD_INQUIRY_RETENTION_DAYS = 30
    retention_apply(today=timezone.localdate() + datetime.timedelta(days=29))
    assert Inquiry.objects.exists()
    retention_apply(today=timezone.localdate() + datetime.timedelta(days=31))
    assert not Inquiry.objects.exists()
