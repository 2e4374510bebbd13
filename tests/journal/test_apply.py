"""A company applies to an initiative from its public page: the application lands with the
office as an enrolment in status "applied" (the conditions checked, the office told by
e-mail through a real SMTP server), and the honeypot, the time check and the rate limit
hold. Bad input gets a message, never a 500."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as examples

from redthread.engagements.models import Engagement, EngagementStatus, StatusChange
from redthread.journal.models import Inquiry, InquiryKind
from redthread.methodology import services as methodology
from redthread.registry.models import ConsentPurpose, Organisation, OrganisationKind

from ..conftest import World
from ..factories import OrganisationFactory
from ..smtp_server import SmtpServer
from ..test_bad_input import NASTY

ORG_NUMBER = "556036-0793"  # a valid number (Luhn), already our world's Testverkstaden's
NEW_ORG_NUMBER = "559016-0189"


@pytest.fixture
def initiative(world: World):
    module = methodology.module_create(code="5s", category="lean", name="5S", purpose="Ordning.")
    draft = methodology.template_create(code="start", name="Startprogrammet", duration_weeks=10)
    phase = methodology.phase_add(version=draft, name="Fas")
    methodology.step_add(phase=phase, module=module.module, offset_weeks=0)
    methodology.assessment_point_add(
        version=draft, timepoint="T0", offset_weeks=0, instrument="lean"
    )
    methodology.template_publish(version=draft, actor=None)
    return methodology.initiative_save(
        slug="satsningen",
        name="Satsningen",
        owner=world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2099, 12, 31),
        size_classes=["micro", "small", "medium"],
        partners=[world.partner],
        templates=[draft.template],
    )


@pytest.fixture
def quick(settings):
    """No wait before sending (the time check has its own tests)."""
    settings.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 0
    return settings


def _url(initiative) -> str:
    return reverse("journal:initiative_apply", args=[initiative.slug])


def _form(client, initiative, **overrides):
    page = client.get(_url(initiative)).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page)
    assert started, "the form carries its signed time stamp"
    data = {
        "company_name": "Nya Verkstaden AB",
        "org_number": NEW_ORG_NUMBER,
        "template": initiative.templates.get().pk,
        "partner": initiative.partners.get().pk,
        "contact_name": "Anna Andersson",
        "email": "anna@nyaverkstaden.se",
        "message": "Vi vill korta ledtiderna.",
        "consent": "on",
        "website": "",
        "started": started.group(1),
    }
    data.update(overrides)
    return data


def test_an_application_lands_as_an_applied_enrolment_and_reaches_the_office(
    world, initiative, quick, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    client = world.client("anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(initiative), _form(client, initiative))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:initiative_applied", args=["satsningen"])
    thanks = client.get(response["Location"]).content.decode()
    assert "Så här går det till" in thanks

    company = Organisation.objects.get(org_number="5590160189")
    assert company.kind == OrganisationKind.COMPANY
    assert company.name == "Nya Verkstaden AB"
    assert company.responsible_partner == world.partner
    engagement = Engagement.objects.get(company=company)
    assert engagement.status == EngagementStatus.APPLIED
    assert engagement.initiative == initiative
    assert engagement.partner == world.partner
    assert engagement.plan_steps.count() == 1
    change = StatusChange.objects.get(engagement=engagement)
    assert "Vi vill korta ledtiderna." in change.note
    person = company.people.get()
    assert (person.first_name, person.last_name) == ("Anna", "Andersson")
    assert person.consents.get().purpose == ConsentPurpose.CONTACT
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == InquiryKind.APPLICATION
    assert inquiry.engagement == engagement
    assert inquiry.message == "Vi vill korta ledtiderna."

    [received] = smtp_server.messages
    assert received["To"] == world.users["program_manager"].email
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Nya Verkstaden AB är anmält till Startprogrammet" in text
    assert "anna@nyaverkstaden.se" in text


def test_a_known_company_is_linked_not_doubled(world, initiative, quick):
    client = world.client("anonymous")
    response = client.post(
        _url(initiative), _form(client, initiative, org_number="5560360793", company_name="X")
    )
    assert response.status_code == 302
    assert Engagement.objects.get().company == world.company
    assert Organisation.objects.filter(org_number="5560360793").count() == 1
    assert world.company.name == Organisation.objects.get(pk=world.company.pk).name


def test_a_company_that_does_not_qualify_is_told_so_without_the_registrys_facts(
    world, initiative, quick
):
    OrganisationFactory.create(
        kind=OrganisationKind.COMPANY,
        name="Storbolaget AB",
        slug="storbolaget",
        org_number="5590160189",
        headcount=900,
    )
    client = world.client("anonymous")
    response = client.post(_url(initiative), _form(client, initiative))
    html = response.content.decode()
    assert response.status_code == 400
    assert "uppfyller företaget inte villkoren" in html
    assert "stort företag" not in html.lower()
    assert "Storbolaget" not in html
    assert not Engagement.objects.exists()
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"org_number": "556036-0794"}, "Kontrollsiffran stämmer inte"),
        ({"org_number": "19121212-1212"}, "ska ha 10 siffror"),
        ({"org_number": "abc"}, "får bara innehålla siffror"),
        ({"email": "inte-en-adress"}, "giltig e-postadress"),
        ({"consent": ""}, "Kryssa i rutan"),
        ({"company_name": ""}, "Detta fält måste fyllas i"),
        ({"template": "999999"}, "Välj ett giltigt alternativ"),
        ({"partner": "x"}, "Välj ett giltigt alternativ"),
        ({"message": "x" * 2001}, "som mest 2000 tecken"),
    ],
)
def test_bad_input_gets_a_clear_message(world, initiative, quick, overrides, message):
    client = world.client("anonymous")
    response = client.post(_url(initiative), _form(client, initiative, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Engagement.objects.exists()


def test_the_honeypot_refuses_a_filled_in_form(world, initiative, quick):
    client = world.client("anonymous")
    response = client.post(_url(initiative), _form(client, initiative, website="http://spam"))
    assert response.status_code == 400
    assert "Formuläret kunde inte skickas" in response.content.decode()
    assert not Engagement.objects.exists()


def test_a_form_sent_too_fast_or_with_a_forged_stamp_is_refused(world, initiative, settings):
    settings.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 60
    client = world.client("anonymous")
    response = client.post(_url(initiative), _form(client, initiative))
    assert response.status_code == 400
    assert "skickades för snabbt" in response.content.decode()
    forged = client.post(_url(initiative), _form(client, initiative, started="form:1:abc"))
    assert "kunde inte kontrolleras" in forged.content.decode()
    missing = client.post(_url(initiative), _form(client, initiative, started=""))
    assert missing.status_code == 400
    assert not Engagement.objects.exists()


def test_the_rate_limit_holds_per_email_and_per_address(world, initiative, quick):
    quick.REDTHREAD_PUBLIC_FORM_LIMIT_PER_EMAIL = 1
    quick.REDTHREAD_PUBLIC_FORM_LIMIT_PER_IP = 3
    client = world.client("anonymous")
    first = client.post(_url(initiative), _form(client, initiative))
    assert first.status_code == 302
    # the same address again (for another company): refused by the e-mail's limit
    again = client.post(
        _url(initiative), _form(client, initiative, org_number="5560360793", company_name="Y")
    )
    assert again.status_code == 429
    assert "För många försök" in again.content.decode()
    # another e-mail from the same client address: the address's limit (3 sends) holds
    third = client.post(
        _url(initiative),
        _form(client, initiative, email="b@example.se", org_number="5560360793"),
    )
    assert third.status_code == 302
    fourth = client.post(_url(initiative), _form(client, initiative, email="c@example.se"))
    assert fourth.status_code == 429
    assert Engagement.objects.count() == 2
    # another client address is not held back by this one's
    other = world.client("anonymous")
    response = other.post(
        _url(initiative),
        _form(other, initiative, email="d@example.se", org_number="5560360793"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 400  # let through to the form: already applied
    assert "redan en ansökan" in response.content.decode()


def test_an_initiative_that_has_ended_takes_no_applications(world, initiative, quick):
    methodology.initiative_save(initiative=initiative, end=datetime.date(2025, 6, 30))
    client = world.client("anonymous")
    page = client.get(_url(initiative)).content.decode()
    assert "tar inte emot ansökningar" in page
    detail = client.get(reverse("journal:initiative_detail", args=["satsningen"])).content.decode()
    assert _url(initiative) not in detail
    response = client.post(_url(initiative), {"company_name": "X"})
    assert response.status_code == 200
    assert not Engagement.objects.exists()


FIELDS = ["company_name", "org_number", "template", "partner", "contact_name", "email"]


@examples(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NASTY)
def test_whatever_is_posted_never_gives_a_500(world, initiative, quick, value):
    client = Client(raise_request_exception=False)
    data = {**dict.fromkeys(FIELDS, value), "message": value, "consent": value, "started": value}
    response = client.post(_url(initiative), data)
    assert response.status_code in {400, 429}, (value, response.status_code)
