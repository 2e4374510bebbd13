"""A small coach course for tests: two course modules (one with an assignment), a cohort
taught by the program manager with two meetings, and our partner's coach taking part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from redthread.academy import services
from redthread.academy.models import Cohort, Course, CourseModule, Meeting, Participant
from redthread.methodology.models import MethodModule

START = datetime.date(2026, 3, 2)


@dataclass
class CourseSetting:
    course: Course
    kata: CourseModule
    five_s: CourseModule
    cohort: Cohort
    meetings: list[Meeting]
    participant: Participant
    teacher: Any


def course_make(world: Any, *, teacher: Any = None) -> CourseSetting:
    teacher = teacher or world.users["program_manager"]
    kata, _new = MethodModule.objects.get_or_create(code="forbattringskata", category="lean")
    five_s, _new = MethodModule.objects.get_or_create(code="5s", category="lean")
    course = services.course_create(name="Coachutbildningen", min_attendance_percent=75)
    kata_module = services.course_module_add(
        course=course,
        method_module=kata,
        name="Förbättringskata",
        position=1,
        assignment="Coacha en kata i ett verkligt fall och skriv ner vad du lärde dig.",
    )
    five_s_module = services.course_module_add(
        course=course, method_module=five_s, name="5S", position=2
    )
    cohort = services.cohort_create(
        course=course,
        name="Coachutbildningen våren 2026",
        start_date=START,
        end_date=START + datetime.timedelta(days=90),
    )
    meetings = [
        services.meeting_create(
            cohort=cohort,
            date=START + datetime.timedelta(days=14 * i),
            place="IUC Test, Jönköping" if i % 2 == 0 else "",
            remote=i % 2 == 1,
            teachers=[teacher],
            course_module=kata_module if i == 0 else five_s_module,
        )
        for i in range(2)
    ]
    participant = services.participant_add(
        cohort=cohort, user=world.users["coach"], partner=world.partner
    )
    return CourseSetting(course, kata_module, five_s_module, cohort, meetings, participant, teacher)


def course_complete(setting: CourseSetting, actor: Any) -> Participant:
    """Meets every rule for the setting's participant and marks it complete."""
    for meeting in setting.meetings:
        services.attendance_record(meeting=meeting, present={setting.participant.pk})
    assignment = services.assignment_submit(
        participant=setting.participant, course_module=setting.kata, text="Mina lärdomar."
    )
    services.assignment_review(assignment=assignment, approve=True, comment="", actor=actor)
    return services.participant_complete(participant=setting.participant)
