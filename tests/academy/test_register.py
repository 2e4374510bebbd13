"""The certification register: who sees which certificates, the filters, the export and
what a page of it costs."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from redthread.academy import services
from redthread.academy.models import Certificate

from ..factories import UserFactory
from .course_fixture import course_complete, course_make

URL = reverse("academy:certificate_register")


def _certified(setting, world, *, partner, name: str) -> Certificate:
    """Another participant of the setting's cohort, of ``partner``, completed and
    certified."""
    user = UserFactory.create(role="coach", organisations=[partner], full_name=name)
    participant = services.participant_add(cohort=setting.cohort, user=user, partner=partner)
    participant.completed_on = timezone.localdate()
    participant.save()
    return services.certificate_issue(participant=participant, actor=None)


@pytest.fixture
def register(world):
    """Our coach certified (valid), an expired and a revoked certificate of our partner,
    and a valid one of the other partner."""
    setting = course_make(world)
    course_complete(setting, setting.teacher)
    ours = services.certificate_issue(participant=setting.participant, actor=None)
    expired = _certified(setting, world, partner=world.partner, name="Erik Utgången")
    expired.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    expired.save()
    revoked = _certified(setting, world, partner=world.partner, name="Rut Återkallad")
    services.certificate_revoke(certificate=revoked, reason="Felaktigt utfärdat.", actor=None)
    theirs = _certified(setting, world, partner=world.other_partner, name="Olle Annan")
    return setting, {"ours": ours, "expired": expired, "revoked": revoked, "theirs": theirs}


def _names(response) -> set[str]:
    assert response.status_code == 200
    return {str(c.participant.user) for c in response.context["listing"].page.object_list}


def test_the_office_sees_every_certificate_and_a_partner_manager_its_own(world, register):
    _setting, certs = register
    everyone = {str(c.participant.user) for c in certs.values()}
    assert _names(world.client("program_manager").get(URL)) == everyone
    ours = _names(world.client("partner_manager").get(URL))
    assert ours == everyone - {"Olle Annan"}
    assert _names(world.client("other_partner_manager").get(URL)) == {"Olle Annan"}
    page = world.client("partner_manager").get(URL).content.decode()
    assert "Olle Annan" not in page
    assert "IUC Annan" not in page


@pytest.mark.parametrize("who", ["coach", "funder_viewer", "company_user", "editor"])
def test_coaches_funders_and_others_have_no_register(world, register, who):
    assert world.client(who).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world, register):
    assert world.client("anonymous").get(URL).status_code == 302


def test_the_state_is_said_in_words(world, register):
    page = world.client("program_manager").get(URL).content.decode()
    for word in ("Giltigt", "Utgånget", "Återkallat"):
        assert word in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "valid"}, {"ours", "theirs"}),
        ({"state": "expired"}, {"expired"}),
        ({"state": "revoked"}, {"revoked"}),
        ({"region": "SE33"}, {"theirs"}),
        ({"q": "utgång"}, {"expired"}),
        ({"state": "valid", "region": "SE22"}, {"ours"}),
    ],
)
def test_the_filters(world, register, query, expected):
    _setting, certs = register
    want = {str(certs[key].participant.user) for key in expected}
    assert _names(world.client("program_manager").get(URL, query)) == want


def test_the_partner_and_competence_filters(world, register):
    setting, _certs = register
    office = world.client("program_manager")
    theirs = _names(office.get(URL, {"partner": world.other_partner.pk}))
    assert theirs == {"Olle Annan"}
    kata = setting.kata.method_module_id
    assert len(_names(office.get(URL, {"method_module": kata}))) == 4
    other_module = services.course_create(name="Annan kurs")
    from redthread.methodology.models import MethodModule

    smed, _new = MethodModule.objects.get_or_create(code="smed", category="lean")
    services.course_module_add(course=other_module, method_module=smed, name="SMED", position=1)
    assert _names(office.get(URL, {"method_module": smed.pk})) == set()
    page = office.get(URL, {"method_module": smed.pk}).content.decode()
    assert "Inga intyg matchar sökningen." in page


def test_a_partner_manager_cannot_filter_its_way_to_another_partner(world, register):
    response = world.client("partner_manager").get(URL, {"partner": world.other_partner.pk})
    # Not one of its choices: the form refuses it and says so, nothing of theirs shows.
    assert response.status_code == 200
    assert "Olle Annan" not in response.content.decode()
    assert "Ett filter har ett värde som inte finns" in response.content.decode()


@pytest.mark.parametrize("bad", [{"partner": "x"}, {"method_module": "99999"}, {"page": "zz"}])
def test_bad_filter_input_is_no_error(world, register, bad):
    assert world.client("program_manager").get(URL, bad).status_code == 200


def test_the_empty_register_says_what_fills_it(world):
    page = world.client("program_manager").get(URL).content.decode()
    assert "Inga intyg ännu." in page


def test_the_export_holds_the_rows_shown(world, register):
    response = world.client("partner_manager").get(URL, {"format": "xlsx", "state": "valid"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Coach"
    assert len(rows) == 2
    assert rows[1][1] == "IUC Test"
    assert rows[1][6] == "Giltigt"


def test_the_register_costs_the_same_queries_for_two_rows_and_for_many(world, register):
    setting, _certs = register
    client = world.client("program_manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for index in range(12):
        _certified(setting, world, partner=world.other_partner, name=f"Coach {index}")
    assert count() == few
