"""The demo's coach course: two cohorts of Produktionslyftet's coach course with
participants from several IUC companies and universities, one completed with
certificates, one under way. Runs after the engagements (whose coaches it trains), and
adds nothing to their random sequence."""

from __future__ import annotations

import datetime
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from redthread.accounts.models import Role, User
from redthread.core.demo import step
from redthread.methodology.models import MethodModule
from redthread.registry.models import Organisation, OrganisationKind

from . import services
from .models import Cohort, Course, CourseModule

COURSE = "Coachutbildningen"
MODULES = [
    ("coachutbildning", "Coachens roll och arbetssätt", "Beskriv hur du leder ett första möte."),
    ("nulagesanalys", "Nulägesanalys", "Gör en nulägesanalys i ditt praktikföretag."),
    ("vardeflodesanalys", "Värdeflödesanalys", "Rita praktikföretagets värdeflöde."),
    ("5s", "5S", ""),
    ("forbattringskata", "Förbättringskata", "Coacha en kata och skriv ner vad du lärde dig."),
]


@step("coach course", order=48)
@transaction.atomic
def load_coach_course(out: TextIOBase) -> None:
    if Course.objects.filter(name=COURSE).exists():
        out.write("  the coach course exists already\n")
        return
    modules = {m.code: m for m in MethodModule.objects.filter(code__in=[c for c, *_ in MODULES])}
    teacher = User.objects.filter(email="programledare@demo.test").first()
    partners = list(
        Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        .exclude(region="")
        .order_by("slug")
    )
    if teacher is None or len(modules) < len(MODULES) or not partners:
        out.write("  skipped: the methodology, the partners or the office is missing\n")
        return
    course = services.course_create(
        name=COURSE,
        description="Produktionslyftets utbildning av coacher, med deltagare från partnerna.",
        min_attendance_percent=80,
        certificate_valid_months=36,
    )
    course_modules = [
        services.course_module_add(
            course=course,
            method_module=modules[code],
            name=name,
            position=index + 1,
            assignment=assignment,
        )
        for index, (code, name, assignment) in enumerate(MODULES)
    ]
    today = timezone.localdate()
    done = _cohort(
        course_modules,
        teacher,
        partners,
        name=f"{COURSE} {today.year - 1}",
        first=0,
        start=datetime.date(today.year - 1, 2, 3),
        today=today,
    )
    for participant in done.participants.all():
        services.participant_complete(participant=participant, on=done.end_date)
        services.certificate_issue(participant=participant, actor=teacher, on=done.end_date)
    running = _cohort(
        course_modules,
        teacher,
        partners,
        name=f"{COURSE} {today.year}",
        first=1,
        start=today - datetime.timedelta(weeks=9),
        today=today,
    )
    out.write(
        f"  the coach course: {done.participants.count()} certified, "
        f"{running.participants.count()} under way\n"
    )


def _cohort(
    course_modules: list[CourseModule],
    teacher: User,
    partners: list[Organisation],
    *,
    name: str,
    first: int,
    start: datetime.date,
    today: datetime.date,
) -> Cohort:
    """A cohort of one meeting per module every four weeks, with a coach of each of six
    partners (the ``first``-th coach of each: the demo coach is IUC Syd's first); what is
    in the past is attended, and its assignments handed in and approved."""
    cohort = services.cohort_create(
        course=course_modules[0].course,
        name=name,
        start_date=start,
        end_date=start + datetime.timedelta(weeks=4 * (len(course_modules) - 1)),
    )
    meetings = [
        services.meeting_create(
            cohort=cohort,
            date=start + datetime.timedelta(weeks=4 * index),
            place="" if index % 2 else "Jönköping",
            remote=bool(index % 2),
            teachers=[teacher],
            course_module=module,
        )
        for index, module in enumerate(course_modules)
    ]
    participants = []
    for partner in partners[first::2][:6]:
        email = f"coach{first + 1}.{partner.slug}@demo.test"
        if partner.slug == "iuc-syd" and first == 0:
            email = "coach@demo.test"
        user = User.objects.filter(email=email, role=Role.COACH).first()
        if user is not None:
            participants.append(services.participant_add(cohort=cohort, user=user, partner=partner))
    for meeting in meetings:
        if meeting.date > today:
            continue
        services.attendance_record(meeting=meeting, present={p.pk for p in participants})
        module = meeting.course_module
        if module is None or not module.assignment:
            continue
        for participant in participants:
            assignment = services.assignment_submit(
                participant=participant, course_module=module, text="Inlämnat i demon."
            )
            services.assignment_review(
                assignment=assignment, approve=True, comment="", actor=teacher
            )
    return cohort
