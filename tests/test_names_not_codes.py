"""Names, never codes, on screen: timepoints, program templates, method modules, key
figures, SNI codes and the audit trail's "Varifrån" are shown by their names, in Swedish
and in English."""

from __future__ import annotations

import datetime
import html as html_lib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from redthread.assessments import services as assessment_services
from redthread.core.audit import origin_label
from redthread.methodology.models import MethodModule, ProgramTemplate

from .assessments.instrument_fixture import SMALL
from .engagements.conftest import enrol

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_engagement_page_names_its_planned_measurement(methodology, world):
    engagement = enrol(methodology, world)
    html = world.client("coach").get(engagement.get_absolute_url()).content.decode()
    assert "T0 – före" in html
    with translation.override("en"):
        assert engagement.plan_assessments.get().get_timepoint_display() == "T0 – before"


def test_an_extra_measurement_is_called_so_not_adhoc(world):
    instrument, _new = assessment_services.instrument_load(raw=SMALL)
    round_ = assessment_services.round_create(
        company=world.company,
        instrument=instrument,
        timepoint="adhoc",
        date=datetime.date(2026, 3, 1),
        partner=world.partner,
        coaches=[world.users["coach"]],
    )
    office = world.client("program_manager")
    for client, url in (
        (office, round_.get_absolute_url()),
        (office, reverse("assessments:round_list")),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert "Extra mätning" in html, url
        assert "adhoc" not in html.replace('value="adhoc"', ""), url


def test_templates_modules_and_key_figures_are_named(methodology, world):
    from redthread.outcomes import services as outcome_services

    outcome_services.kpis_load_shipped()
    version = ProgramTemplate.objects.get(code="startprogram").versions.get()
    version.kpis = ["value_added_per_employee", "headcount"]
    version.save()
    client = world.client("program_manager")
    initiative = client.get(
        reverse("methodology:initiative_detail", kwargs={"slug": "landsbygd"})
    ).content.decode()
    assert ">Startprogram</a>" in initiative
    assert ">startprogram</a>" not in initiative
    template = client.get(
        reverse("methodology:template_detail", kwargs={"code": "startprogram"})
    ).content.decode()
    assert "Förädlingsvärde per anställd, Antal anställda" in template
    assert "value_added_per_employee" not in template
    english = _english(world.client("program_manager")).get(
        reverse("methodology:template_detail", kwargs={"code": "startprogram"})
    )
    assert "Value added per employee" in english.content.decode()
    # The enrolment form's choices and a plan step's module choice show names too.
    enrol_page = world.client("partner_manager").get(reverse("engagements:engagement_enrol"))
    labels = [label for _value, label in enrol_page.context["form"].fields["template"].choices]
    assert "Startprogram" in labels
    assert "startprogram" not in labels
    assert str(MethodModule.objects.with_names().get(code="vardeflodesanalys")) == (
        "Värdeflödesanalys"
    )
    # A module without a published version is named by its newest draft.
    assert str(MethodModule.objects.with_names().get(code="smed")) == "SMED"


def test_the_company_list_names_the_industry(methodology, world):
    enrol(methodology, world)  # gives our company SNI 25620 (2025)
    client = world.client("program_manager")
    html = client.get(reverse("registry:company_list")).content.decode()
    assert "25620 Tillverkning av lås och gångjärn" in html
    assert "SNI 2025" in html
    csv = client.get(reverse("registry:company_list"), {"format": "csv"}).content.decode()
    assert "SNI-benämning" in csv
    assert "Tillverkning av lås och gångjärn" in csv


def test_the_audit_trail_names_the_page_a_change_came_from(methodology, world):
    engagement = enrol(methodology, world)
    client = world.client("partner_manager")
    url = reverse("engagements:status_change", kwargs={"pk": engagement.pk})
    assert client.post(url, {"status-to_status": "approved"}).status_code == 302
    log = world.client("admin").get(reverse("core:audit_log"), {"kind": "engagements.engagement"})
    html = log.content.decode()
    assert "Ändra uppdragets status" in html
    assert "engagements:status_change" not in html
    record = reverse(
        "core:audit_object", kwargs={"kind": "engagements.engagement", "pk": engagement.pk}
    )
    detail = world.client("admin").get(record).content.decode()
    assert "Ändra uppdragets status" in detail
    assert "engagements:status_change" not in detail
    english = _english(world.client("admin")).get(
        reverse("core:audit_log"), {"kind": "engagements.engagement"}
    )
    assert "Change the engagement's status" in html_lib.unescape(english.content.decode())


def test_every_kind_of_origin_reads_as_words():
    assert origin_label("POST engagements:session_log") == "Registrera ett tillfälle"
    assert origin_label("command demo") == "Kommandot demo"
    assert origin_label("API POST engagement_create · token Skriptet") == (
        "API: engagement_create, med nyckeln Skriptet"
    )
    assert origin_label("API PATCH engagement · session") == ("API: engagement, från webbläsaren")
    # A page without a name of its own keeps its code: nothing recorded is hidden.
    assert origin_label("POST nowhere:page") == "POST nowhere:page"
    assert origin_label("") == ""
    with translation.override("en"):
        assert origin_label("POST engagements:session_log") == "Log a session"


def test_the_coach_course_names_its_modules(world):
    from redthread.academy.models import CoachProfile
    from redthread.methodology import services as methodology_services

    methodology_services.module_create(
        code="forbattringskata", category="lean", name="Förbättringskata", purpose="Lär."
    )
    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    client = world.client("program_manager")
    form = client.get(reverse("academy:coach_edit", kwargs={"pk": profile.pk})).context["form"]
    labels = [str(label) for _value, label in form.fields["modules"].choices]
    assert "Förbättringskata" in labels
    assert "forbattringskata" not in labels


def test_the_merge_page_names_both_industries(world):
    from redthread.registry import services as registry_services

    from .factories import OrganisationFactory

    registry_services.reference_data_load()
    registry_services.company_update(company=world.company, sni_code="25620", sni_version="2025")
    twin = OrganisationFactory.create(
        kind="company", name="Testverkstaden i Ort AB", sni_code="25620", sni_version="2025"
    )
    url = reverse("registry:company_merge", kwargs={"pk": world.company.pk})
    page = world.client("program_manager").get(url, {"other": twin.pk})
    assert page.status_code == 200
    assert page.content.decode().count("25620 Tillverkning av lås och gångjärn") == 2
