"""Coach suggestions at enrolment: competence, nearness and capacity."""

from __future__ import annotations

from django.urls import reverse

from redthread.engagements.models import Engagement
from redthread.methodology import services as methodology_services
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality


def test_coach_suggestions_rank_competence_nearness_and_capacity(methodology, world):
    from redthread.academy.models import CoachProfile
    from redthread.engagements.suggestions import coach_suggestions
    from redthread.registry.models import County

    registry_services.company_update(
        company=world.company, municipality=Municipality.objects.get(code="0617")
    )
    jonkoping = County.objects.get(code="06")
    skilled = CoachProfile.objects.create(
        user=world.users["coach"],
        home_partner=world.partner,
        county=jonkoping,
        capacity_hours_per_month=40,
        languages=["sv"],
    )
    skilled.modules.set([methodology["five_s"], methodology["vsm"]])
    distant = CoachProfile.objects.create(
        user=world.users["other_coach"],
        home_partner=world.other_partner,
        capacity_hours_per_month=0,
        languages=["en"],
    )
    version = methodology_services.template_current(methodology["template"])
    assert version is not None
    suggestions = coach_suggestions(company=world.company, version=version)
    assert [s.profile for s in suggestions] == [skilled, distant]
    best, worst = suggestions
    assert "Behärskar 2 av programmets 2 moduler." in best.reasons
    assert any("samma län" in r for r in best.reasons)
    assert any("Fullbokad" in r for r in worst.reasons)
    assert any("språk" in r for r in worst.reasons)


def test_the_enrolment_page_suggests_coaches_without_enrolling(methodology, world):
    client = world.client("program_manager")
    response = client.post(
        reverse("engagements:engagement_enrol"),
        {
            "suggest": "1",
            "company": world.company.pk,
            "template": methodology["template"].pk,
        },
    )
    assert response.status_code == 200
    assert "Föreslagna coacher" in response.content.decode()
    assert not Engagement.objects.exists()


def test_suggestions_put_the_certified_coach_first_and_say_why(methodology, world):
    from redthread.academy import services as academy_services
    from redthread.academy.models import CoachProfile
    from redthread.engagements.suggestions import coach_suggestions

    from ..academy.course_fixture import course_complete, course_make

    # Two coaches alike on their profiles; one completes a course teaching the program's
    # modules and holds its certificate.
    for who, partner in (("coach", world.partner), ("other_coach", world.other_partner)):
        profile = CoachProfile.objects.create(
            user=world.users[who], home_partner=partner, capacity_hours_per_month=80
        )
        profile.modules.set([methodology["five_s"]])
    setting = course_make(world)
    academy_services.course_module_add(
        course=setting.course, method_module=methodology["vsm"], name="VSM", position=3
    )
    course_complete(setting, setting.teacher)
    version = methodology_services.template_current(methodology["template"])
    assert version is not None

    trained = coach_suggestions(company=world.company, version=version)
    assert trained[0].profile.user == world.users["coach"]
    assert "Utbildad i 2 av programmets 2 moduler." in trained[0].reasons

    certificate = academy_services.certificate_issue(participant=setting.participant, actor=None)
    certified = coach_suggestions(company=world.company, version=version)
    assert certified[0].profile.user == world.users["coach"]
    assert "Certifierad i 2 av programmets 2 moduler." in certified[0].reasons
    assert certified[0].score > trained[0].score
    assert not any("Certifierad" in r for r in certified[1].reasons)

    # A revoked certificate no longer counts; the training does.
    academy_services.certificate_revoke(certificate=certificate, reason="Fel.", actor=None)
    revoked = coach_suggestions(company=world.company, version=version)
    assert not any("Certifierad" in r for r in revoked[0].reasons)
    assert "Utbildad i 2 av programmets 2 moduler." in revoked[0].reasons
