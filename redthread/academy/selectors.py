"""Reads of the academy: coach profiles, courses, cohorts and certificates a user may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from redthread.accounts.typing import RequestUser
from redthread.registry.models import Organisation

from .completion import Progress, participant_progress
from .models import (
    Assignment,
    Certificate,
    CertificateState,
    CoachProfile,
    Cohort,
    Course,
    CourseModule,
    Meeting,
    Participant,
)


def coach_profile_list(*, user: RequestUser) -> QuerySet[CoachProfile]:
    """The profiles ``user`` may see, by home partner and name, with what the list shows."""
    return (
        CoachProfile.objects.visible_to(user)
        .select_related("user", "home_partner", "county")
        .prefetch_related("modules")
        .order_by("home_partner__name", "user__full_name")
    )


def coach_profile_get(*, user: RequestUser, pk: int) -> CoachProfile:
    """One profile of those ``user`` may see; ``CoachProfile.DoesNotExist`` for any other."""
    return CoachProfile.objects.visible_to(user).get(pk=pk)


# The coach course ------------------------------------------------------------------------


def course_list(*, user: RequestUser) -> QuerySet[Course]:
    """The courses ``user`` may see, with how many modules and cohorts each has."""
    return (
        Course.objects.visible_to(user)
        .annotate(
            module_count=Count("modules", distinct=True),
            cohort_count=Count("cohorts", distinct=True),
        )
        .order_by("name", "pk")
    )


def course_get(*, user: RequestUser, pk: int) -> Course:
    return Course.objects.visible_to(user).get(pk=pk)


def course_cohorts(*, user: RequestUser, course: Course) -> QuerySet[Cohort]:
    """The cohorts of ``course`` that ``user`` may see, with their participant counts."""
    return (
        Cohort.objects.visible_to(user)
        .filter(course=course)
        .annotate(
            participant_count=Count("participants", distinct=True),
            completed_count=Count(
                "participants", filter=Q(participants__completed_on__isnull=False), distinct=True
            ),
            meeting_count=Count("meetings", distinct=True),
        )
        .order_by("-start_date", "pk")
    )


def cohort_get(*, user: RequestUser, pk: int) -> Cohort:
    return Cohort.objects.visible_to(user).select_related("course").get(pk=pk)


def cohort_meetings(*, cohort: Cohort) -> list[Meeting]:
    return list(
        cohort.meetings.select_related("course_module")
        .prefetch_related("teachers")
        .order_by("date", "pk")
    )


def assignment_modules(*, course: Course) -> list[tuple[int, str]]:
    """The (id, name) of ``course``'s modules that have an assignment, in course order."""
    return [
        (m.pk, m.name) for m in course.modules.exclude(assignment="").order_by("position", "pk")
    ]


def cohort_progress(*, user: RequestUser, cohort: Cohort) -> list[tuple[Participant, Progress]]:
    """Each participant of ``cohort`` that ``user`` may see, with its progress; a fixed
    number of queries whatever the cohort's size."""
    meeting_ids = set(cohort.meetings.values_list("pk", flat=True))
    modules = assignment_modules(course=cohort.course)
    participants = (
        Participant.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("user", "partner", "cohort__course")
        .prefetch_related(
            "attendances",
            "assignments",
            Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on", "-pk")),
        )
        .order_by("user__full_name", "pk")
    )
    return [
        (p, participant_progress(p, meeting_ids=meeting_ids, modules=modules)) for p in participants
    ]


def meeting_get(*, user: RequestUser, pk: int) -> Meeting:
    return (
        Meeting.objects.filter(cohort__in=Cohort.objects.visible_to(user).values("pk"))
        .select_related("cohort__course", "course_module")
        .get(pk=pk)
    )


def meeting_attendance(*, meeting: Meeting) -> list[tuple[Participant, bool]]:
    """Each participant of ``meeting``'s cohort and whether it was recorded present."""
    present = set(meeting.attendances.filter(present=True).values_list("participant_id", flat=True))
    participants = meeting.cohort.participants.select_related("user", "partner").order_by(
        "user__full_name", "pk"
    )
    return [(p, p.pk in present) for p in participants]


def participant_get(*, user: RequestUser, pk: int) -> Participant:
    return (
        Participant.objects.visible_to(user)
        .select_related("user", "partner", "cohort__course")
        .get(pk=pk)
    )


def participant_progress_get(*, participant: Participant) -> Progress:
    cohort = participant.cohort
    return participant_progress(
        participant,
        meeting_ids=set(cohort.meetings.values_list("pk", flat=True)),
        modules=assignment_modules(course=cohort.course),
    )


def participant_assignments(*, participant: Participant) -> list[tuple[CourseModule, Any]]:
    """Each course module of the participant's course with its assignment (or ``None``)."""
    by_module = {
        a.course_module_id: a for a in participant.assignments.select_related("reviewed_by")
    }
    modules = participant.cohort.course.modules.select_related("method_module").order_by(
        "position", "pk"
    )
    return [(m, by_module.get(m.pk)) for m in modules]


def assignment_get(*, user: RequestUser, pk: int) -> Assignment:
    return (
        Assignment.objects.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
        .select_related("participant__cohort__course", "course_module")
        .get(pk=pk)
    )


def certificate_get(*, user: RequestUser, pk: int) -> Certificate:
    return (
        Certificate.objects.visible_to(user)
        .select_related("participant__user", "participant__partner", "participant__cohort__course")
        .get(pk=pk)
    )


def coach_course_competences(
    *, user_ids: list[int], today: datetime.date | None = None
) -> dict[int, tuple[set[int], set[int]]]:
    """For each coach in ``user_ids``: the method modules it is trained in (modules of the
    courses it completed) and certified for (modules of courses it holds a certificate of
    that is neither revoked nor expired), as ``{user_id: (trained, certified)}``. Two
    queries whatever the number of coaches."""
    today = today or timezone.localdate()
    result: dict[int, tuple[set[int], set[int]]] = {pk: (set(), set()) for pk in user_ids}
    for user_id, module_id in (
        Participant.objects.filter(user_id__in=user_ids, completed_on__isnull=False)
        .filter(cohort__course__modules__isnull=False)
        .values_list("user_id", "cohort__course__modules__method_module_id")
    ):
        result[user_id][0].add(module_id)
    for user_id, module_id in (
        Certificate.objects.filter(participant__user_id__in=user_ids, revoked_at=None)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .filter(participant__cohort__course__modules__isnull=False)
        .values_list(
            "participant__user_id", "participant__cohort__course__modules__method_module_id"
        )
    ):
        result[user_id][1].add(module_id)
    return result


# The certification register -----------------------------------------------------------


def certificate_state(today: datetime.date) -> Case:
    """A certificate's :class:`CertificateState` on ``today``, as a database expression:
    revoked wins over expired, and one without an expiry date holds until revoked."""
    return Case(
        When(revoked_at__isnull=False, then=Value(CertificateState.REVOKED)),
        When(expires_on__lt=today, then=Value(CertificateState.EXPIRED)),
        default=Value(CertificateState.VALID),
        output_field=CharField(),
    )


def certificate_register(
    *,
    user: RequestUser,
    q: str = "",
    partner: int | None = None,
    region: str = "",
    method_module: int | None = None,
    state: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """The certificates in ``user``'s register (see ``in_register_of``), each annotated
    with its ``state`` on ``today``, with its holder, partner and course joined in: one
    query for any number of rows. ``q`` searches the holder's name; ``region`` is the
    partner's NUTS2 region; ``method_module`` keeps the certificates of courses that
    teach it (a course teaches a method module once, so no row repeats)."""
    today = today or timezone.localdate()
    certificates = (
        Certificate.objects.in_register_of(user)
        .select_related("participant__user", "participant__partner", "participant__cohort__course")
        .annotate(state=certificate_state(today))
    )
    if q:
        certificates = certificates.filter(participant__user__full_name__icontains=q)
    if partner:
        certificates = certificates.filter(participant__partner=partner)
    if region:
        certificates = certificates.filter(participant__partner__region=region)
    if method_module:
        certificates = certificates.filter(
            participant__cohort__course__modules__method_module=method_module
        )
    if state:
        certificates = certificates.filter(state=state)
    return certificates


def register_partners(*, user: RequestUser) -> list[tuple[int, str]]:
    """The (id, name) of the partners whose people hold a certificate in ``user``'s
    register: what its partner filter offers."""
    return list(
        Organisation.objects.filter(
            pk__in=Certificate.objects.in_register_of(user).values("participant__partner")
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def course_competences() -> list[tuple[int, str]]:
    """The method modules some course teaches, as (method module id, the name of the
    course module that teaches it), by name: the competences a certificate can attest."""
    seen: dict[int, str] = {}
    for module_id, name in CourseModule.objects.order_by("name", "pk").values_list(
        "method_module_id", "name"
    ):
        seen.setdefault(module_id, name)
    return sorted(((pk, name) for pk, name in seen.items()), key=lambda item: item[1])


# The share of coaches certified -------------------------------------------------------


@dataclass(frozen=True)
class CertifiedShare:
    """A partner's coaches and how many of them are certified."""

    partner_id: int
    partner_name: str
    #: Active coaches whose home partner it is.
    coaches: int
    #: Of them, those who hold a certificate that is neither revoked nor expired.
    certified: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.certified / self.coaches) if self.coaches else None


def certified_share_by_partner(
    *, partner_ids: Iterable[int], today: datetime.date | None = None
) -> list[CertifiedShare]:
    """For each of ``partner_ids`` that has coaches (active users with a coach profile
    there), how many they are and how many hold a valid certificate of any course, by
    partner name. Counts only, in one query: what a funder may see once the caller has
    applied disclosure control to it."""
    today = today or timezone.localdate()
    valid = Certificate.objects.filter(participant__user=OuterRef("user"), revoked_at=None).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    rows = (
        CoachProfile.objects.filter(home_partner__in=list(partner_ids), user__is_active=True)
        .annotate(is_certified=Exists(valid))
        .values("home_partner", "home_partner__name")
        .annotate(
            coaches=Count("pk"),
            certified=Count("pk", filter=Q(is_certified=True)),
        )
        .order_by("home_partner__name", "home_partner")
    )
    return [
        CertifiedShare(r["home_partner"], r["home_partner__name"], r["coaches"], r["certified"])
        for r in rows
    ]
