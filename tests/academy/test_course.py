"""The coach course: completion rules, attendance, assignments, and the pages teachers use."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redthread.academy import services
from redthread.academy.models import AssignmentStatus

from .course_fixture import course_complete, course_make


def test_a_participant_cannot_complete_while_the_rules_are_unmet(world):
    s = course_make(world)
    with pytest.raises(services.CompletionRulesUnmet) as unmet:
        services.participant_complete(participant=s.participant)
    assert len(unmet.value.messages) == 2  # attendance and the kata assignment
    assert "0 % av tillfällena; kravet är 75 %" in unmet.value.messages[0]
    assert "Förbättringskata" in unmet.value.messages[1]

    # One meeting of two is 50 %, under the 75 % the course asks.
    services.attendance_record(meeting=s.meetings[0], present={s.participant.pk})
    assignment = services.assignment_submit(
        participant=s.participant, course_module=s.kata, text="Första försöket."
    )
    services.assignment_review(
        assignment=assignment, approve=False, comment="Beskriv fallet.", actor=s.teacher
    )
    with pytest.raises(services.CompletionRulesUnmet) as unmet:
        services.participant_complete(participant=s.participant)
    assert len(unmet.value.messages) == 2

    services.attendance_record(meeting=s.meetings[1], present={s.participant.pk})
    with pytest.raises(services.CompletionRulesUnmet) as unmet:
        services.participant_complete(participant=s.participant)
    assert unmet.value.messages == ["Uppgiften i Förbättringskata är inte godkänd."]

    assignment = services.assignment_submit(
        participant=s.participant, course_module=s.kata, text="Fallet och lärdomarna."
    )
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert assignment.reviewed_by is None
    services.assignment_review(assignment=assignment, approve=True, comment="", actor=s.teacher)
    assert services.participant_complete(participant=s.participant).completed_on is not None


def test_a_returned_assignment_needs_a_comment_and_an_empty_one_is_refused(world):
    s = course_make(world)
    with pytest.raises(ValidationError):
        services.assignment_submit(participant=s.participant, course_module=s.kata, text=" ")
    assignment = services.assignment_submit(
        participant=s.participant,
        course_module=s.kata,
        file=SimpleUploadedFile("kata.pdf", b"%PDF-1.4"),
    )
    with pytest.raises(ValidationError):
        services.assignment_review(assignment=assignment, approve=False, comment="", actor=None)


def test_the_cohort_page_says_which_rules_are_unmet_and_refuses_completion(world):
    s = course_make(world)
    client = world.client("program_manager")
    page = client.get(reverse("academy:cohort_detail", args=[s.cohort.pk]))
    assert "Uppgiften i Förbättringskata är inte godkänd." in page.content.decode()
    response = client.post(
        reverse("academy:participant_complete", args=[s.participant.pk]), follow=True
    )
    assert "Kan inte markeras som genomförd" in response.content.decode()
    s.participant.refresh_from_db()
    assert s.participant.completed_on is None


def test_a_coach_who_teaches_records_attendance_and_reviews_but_others_may_not(world):
    s = course_make(world, teacher=world.users["other_coach"])
    url = reverse("academy:meeting_attendance", args=[s.meetings[0].pk])
    teacher = world.client("other_coach")
    assert teacher.get(url).status_code == 200
    assert teacher.post(url, {"present": [str(s.participant.pk)]}).status_code == 302
    assert s.meetings[0].attendances.get().present
    # The participant itself sees its cohort but records nobody's attendance.
    assert world.client("coach").get(url).status_code == 403
    assert world.client("other_partner_manager").get(url).status_code == 404

    assignment = services.assignment_submit(
        participant=s.participant, course_module=s.kata, text="Lärdomar."
    )
    review = reverse("academy:assignment_review", args=[assignment.pk])
    assert world.client("coach").post(review, {"decision": "approve"}).status_code == 403
    response = teacher.post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED  # no comment, not returned
    teacher.post(review, {"decision": "approve", "comment": "Bra."})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.APPROVED


def test_the_participant_submits_its_own_assignment_as_a_file(world):
    s = course_make(world)
    url = reverse("academy:participant_detail", args=[s.participant.pk])
    client = world.client("coach")
    response = client.post(
        url,
        {"module": str(s.kata.pk), "text": "", "file": SimpleUploadedFile("kata.pdf", b"%PDF")},
    )
    assert response.status_code == 302
    assignment = s.participant.assignments.get()
    assert assignment.file
    download = client.get(reverse("academy:assignment_file", args=[assignment.pk]))
    assert download.status_code == 200
    bad = client.post(url, {"module": "nonsense", "text": "x"})  # not a module: said, not a 500
    assert bad.status_code == 200


def test_completion_through_the_fixture(world):
    s = course_make(world)
    assert course_complete(s, s.teacher).completed_on is not None


def test_the_coach_profile_shows_what_the_course_attests(world):
    from redthread.academy.models import CoachProfile

    s = course_make(world)
    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    course_complete(s, s.teacher)
    services.certificate_issue(participant=s.participant, actor=None)
    page = world.client("coach").get(reverse("academy:coach_edit", args=[profile.pk]))
    assert page.context["certified"].count() == 2
    assert "forbattringskata" in page.content.decode()
