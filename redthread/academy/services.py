"""Every write to the academy. What callers may rely on:

- A participant is marked complete only when the course's rules are met
  (``completion.participant_progress``); otherwise ``CompletionRulesUnmet`` says which.
- Attendance is recorded for a whole meeting at once: every participant of its cohort is
  present or not, nobody else.
- An assignment returned to its participant always carries the teacher's comment; a new
  submission makes it submitted again and clears the earlier review.
- A certificate is issued only to a completed participant, with a fresh verification code;
  revoking keeps the certificate (and its code answers "revoked") with the reason; renewal
  makes a new certificate with a new period and code and ends the old one.
- A participant who completed the course or holds a certificate is never removed; a
  cancelled meeting takes its attendance with it.
- The public verification is rate-limited per client address (kept only as a keyed hash).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core.ratelimit import rate_limit_hit
from redthread.methodology.models import MethodModule
from redthread.registry.models import Organisation, OrganisationKind

from . import certificates
from .completion import participant_progress
from .models import (
    Assignment,
    AssignmentStatus,
    Attendance,
    Certificate,
    CoachProfile,
    Cohort,
    Course,
    CourseModule,
    Meeting,
    Participant,
)


@transaction.atomic
def coach_profile_update(*, profile: CoachProfile, modules: Any, **fields: Any) -> CoachProfile:
    """Changes a coach's profile; ``modules`` replaces the modules it masters."""
    allowed = {"county", "capacity_hours_per_month", "languages", "categories"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"coach_profile_update has no field(s) {sorted(unknown)} to change")
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.modules.set(modules)
    return profile


# Courses and cohorts ---------------------------------------------------------------------


def course_create(
    *,
    name: str,
    description: str = "",
    min_attendance_percent: int = 80,
    certificate_valid_months: int | None = 36,
) -> Course:
    if not 0 <= min_attendance_percent <= 100:
        raise ValidationError(_("Närvarokravet är en procentsats mellan 0 och 100."))
    if Course.objects.filter(name=name).exists():
        raise ValidationError(_("Det finns redan en kurs med det namnet."))
    return Course.objects.create(
        name=name,
        description=description,
        min_attendance_percent=min_attendance_percent,
        certificate_valid_months=certificate_valid_months,
    )


def course_module_add(
    *, course: Course, method_module: MethodModule, name: str, position: int, assignment: str = ""
) -> CourseModule:
    """A module of ``course`` teaching ``method_module``; with an ``assignment`` text, an
    approved assignment in it is a completion rule."""
    if CourseModule.objects.filter(course=course, method_module=method_module).exists():
        raise ValidationError(_("Kursen har redan en modul för den metodmodulen."))
    return CourseModule.objects.create(
        course=course,
        method_module=method_module,
        name=name,
        position=position,
        assignment=assignment,
    )


@transaction.atomic
def course_update(
    *,
    course: Course,
    name: str,
    description: str = "",
    min_attendance_percent: int = 80,
    certificate_valid_months: int | None = 36,
) -> Course:
    """Changes ``course``'s name and rules; certificates already issued keep their dates."""
    if not 0 <= min_attendance_percent <= 100:
        raise ValidationError(_("Närvarokravet är en procentsats mellan 0 och 100."))
    if Course.objects.exclude(pk=course.pk).filter(name=name).exists():
        raise ValidationError(_("Det finns redan en kurs med det namnet."))
    course.name = name
    course.description = description
    course.min_attendance_percent = min_attendance_percent
    course.certificate_valid_months = certificate_valid_months
    course.save()
    return course


@transaction.atomic
def course_module_update(
    *,
    module: CourseModule,
    method_module: MethodModule,
    name: str,
    position: int,
    assignment: str = "",
) -> CourseModule:
    """Changes a course module; it keeps the assignments already handed in."""
    if (
        CourseModule.objects.filter(course_id=module.course_id, method_module=method_module)
        .exclude(pk=module.pk)
        .exists()
    ):
        raise ValidationError(_("Kursen har redan en modul för den metodmodulen."))
    module.method_module = method_module
    module.name = name
    module.position = position
    module.assignment = assignment
    module.save()
    return module


def cohort_create(
    *, course: Course, name: str, start_date: datetime.date, end_date: datetime.date
) -> Cohort:
    if end_date < start_date:
        raise ValidationError(_("Slutdatum kan inte vara före startdatum."))
    return Cohort.objects.create(course=course, name=name, start_date=start_date, end_date=end_date)


@transaction.atomic
def meeting_create(
    *,
    cohort: Cohort,
    date: datetime.date,
    teachers: list[Any],
    place: str = "",
    remote: bool = False,
    course_module: CourseModule | None = None,
) -> Meeting:
    if not place and not remote:
        raise ValidationError(_("Ett tillfälle har en plats eller är på distans."))
    if course_module is not None and course_module.course_id != cohort.course_id:
        raise ValidationError(_("Kursmodulen hör till en annan kurs."))
    meeting = Meeting.objects.create(
        cohort=cohort, date=date, place=place, remote=remote, course_module=course_module
    )
    meeting.teachers.set(teachers)
    return meeting


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, name: str, start_date: datetime.date, end_date: datetime.date
) -> Cohort:
    if end_date < start_date:
        raise ValidationError(_("Slutdatum kan inte vara före startdatum."))
    cohort.name = name
    cohort.start_date = start_date
    cohort.end_date = end_date
    cohort.save()
    return cohort


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    teachers: list[Any],
    place: str = "",
    remote: bool = False,
    course_module: CourseModule | None = None,
) -> Meeting:
    """Changes ``meeting``; the attendance recorded at it stays."""
    if not place and not remote:
        raise ValidationError(_("Ett tillfälle har en plats eller är på distans."))
    if course_module is not None and course_module.course_id != meeting.cohort.course_id:
        raise ValidationError(_("Kursmodulen hör till en annan kurs."))
    meeting.date = date
    meeting.place = place
    meeting.remote = remote
    meeting.course_module = course_module
    meeting.save()
    meeting.teachers.set(teachers)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> None:
    """Cancels ``meeting``: it and the attendance recorded at it are gone, so each
    participant's attendance share is counted over the meetings that remain. Participants
    already marked complete stay complete."""
    Meeting.objects.filter(pk=meeting.pk).delete()


def participant_add(*, cohort: Cohort, user: Any, partner: Organisation) -> Participant:
    """``user`` of the partner organisation ``partner`` joins ``cohort``."""
    if partner.kind not in (OrganisationKind.PARTNER, OrganisationKind.RESEARCH):
        raise ValidationError(_("Deltagarna kommer från partnerorganisationer."))
    try:
        with transaction.atomic():
            return Participant.objects.create(cohort=cohort, user=user, partner=partner)
    except IntegrityError as exc:
        raise ValidationError(_("Personen deltar redan i kursomgången.")) from exc


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    """Takes ``participant`` out of its cohort, with its attendance and assignments.
    Refused for a participant who completed the course or holds a certificate: that
    record is what a certificate's check answers from."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.completed_on is not None or participant.certificates.exists():
        raise ValidationError(
            _("Deltagaren har genomfört kursen eller har ett intyg och kan inte tas bort.")
        )
    participant.delete()


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: set[int]) -> None:
    """Records who of ``meeting``'s cohort was there: the participants whose ids are in
    ``present`` attended, every other participant of the cohort did not."""
    for participant in meeting.cohort.participants.all():
        Attendance.objects.update_or_create(
            meeting=meeting,
            participant=participant,
            defaults={"present": participant.pk in present},
        )


@transaction.atomic
def assignment_submit(
    *,
    participant: Participant,
    course_module: CourseModule,
    text: str = "",
    file: UploadedFile[bytes] | None = None,
) -> Assignment:
    """The participant's work for ``course_module`` (a text, a file or both), submitted
    again for review. Raises ``ValidationError`` when it holds neither, or when the module
    is not of the participant's course."""
    if course_module.course_id != participant.cohort.course_id:
        raise ValidationError(_("Kursmodulen hör till en annan kurs."))
    if not text.strip() and file is None:
        raise ValidationError(_("Lämna in en text eller en fil."))
    assignment, _created = Assignment.objects.select_for_update().get_or_create(
        participant=participant, course_module=course_module
    )
    if assignment.status == AssignmentStatus.APPROVED:
        raise ValidationError(_("Uppgiften är redan godkänd."))
    assignment.text = text.strip()
    if file is not None:
        assignment.file = file
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.reviewed_by = None
    assignment.reviewed_at = None
    assignment.save()
    return assignment


@transaction.atomic
def assignment_review(
    *, assignment: Assignment, approve: bool, comment: str, actor: Any
) -> Assignment:
    """A teacher approves ``assignment`` or returns it with ``comment`` (required then)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != AssignmentStatus.SUBMITTED:
        raise ValidationError(_("Uppgiften väntar inte på granskning."))
    if not approve and not comment.strip():
        raise ValidationError(_("Skriv en kommentar när uppgiften returneras."))
    assignment.status = AssignmentStatus.APPROVED if approve else AssignmentStatus.RETURNED
    assignment.comment = comment.strip()
    assignment.reviewed_by = actor
    assignment.reviewed_at = timezone.now()
    assignment.save()
    return assignment


class CompletionRulesUnmet(ValidationError):
    """The participant does not meet the course's rules; ``messages`` says which."""


@transaction.atomic
def participant_complete(
    *, participant: Participant, on: datetime.date | None = None
) -> Participant:
    """Marks ``participant`` complete on ``on`` (today by default). Raises
    ``CompletionRulesUnmet`` naming each unmet rule."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("cohort__course")
        .get(pk=participant.pk)
    )
    if participant.completed_on is not None:
        return participant
    cohort = participant.cohort
    progress = participant_progress(
        participant,
        meeting_ids=set(cohort.meetings.values_list("pk", flat=True)),
        modules=[
            (m.pk, m.name) for m in cohort.course.modules.exclude(assignment="").order_by("pk")
        ],
    )
    if progress.unmet:
        raise CompletionRulesUnmet(progress.unmet)
    participant.completed_on = on or timezone.localdate()
    participant.save(update_fields=["completed_on", "modified"])
    return participant


# Certificates ----------------------------------------------------------------------------


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _new_code() -> str:
    while True:
        code = certificates.code_new()
        if not Certificate.objects.filter(code=code).exists():
            return code


@transaction.atomic
def certificate_issue(
    *, participant: Participant, actor: Any, on: datetime.date | None = None
) -> Certificate:
    """A certificate for a completed ``participant``, valid for the course's months."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("cohort__course")
        .get(pk=participant.pk)
    )
    if participant.completed_on is None:
        raise ValidationError(_("Deltagaren har inte genomfört kursen."))
    if participant.certificates.filter(revoked_at=None, renewal=None).exists():
        raise ValidationError(_("Deltagaren har redan ett intyg."))
    issued = on or timezone.localdate()
    months = participant.cohort.course.certificate_valid_months
    return Certificate.objects.create(
        participant=participant,
        code=_new_code(),
        issued_on=issued,
        expires_on=_months_later(issued, months) if months else None,
        issued_by=actor,
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor: Any) -> Certificate:
    """Revokes ``certificate``; its code then answers that it is revoked."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("Intyget är redan återkallat."))
    if not reason.strip():
        raise ValidationError(_("Ange ett skäl till återkallelsen."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason", "modified"])
    return certificate


@transaction.atomic
def certificate_renew(
    *, certificate: Certificate, actor: Any, on: datetime.date | None = None
) -> Certificate:
    """A new certificate that renews ``certificate`` from ``on`` (today by default), with
    a new code and period; the old one stays valid until its own expiry date."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("participant__cohort__course")
        .get(pk=certificate.pk)
    )
    if certificate.revoked_at is not None:
        raise ValidationError(_("Ett återkallat intyg kan inte förnyas."))
    if Certificate.objects.filter(renewed_from=certificate).exists():
        raise ValidationError(_("Intyget är redan förnyat."))
    issued = on or timezone.localdate()
    months = certificate.participant.cohort.course.certificate_valid_months
    return Certificate.objects.create(
        participant=certificate.participant,
        code=_new_code(),
        issued_on=issued,
        expires_on=_months_later(issued, months) if months else None,
        issued_by=actor,
        renewed_from=certificate,
    )


class VerificationRateLimited(Exception):
    """Too many look-ups from one client in the window."""


@dataclass(frozen=True)
class Verification:
    """What the public page may show. ``status`` is ``valid``, ``expired``, ``revoked`` or
    ``unknown``; only a valid or expired certificate names its holder."""

    status: str
    certificate: Certificate | None = None


def certificate_verify(
    *, code: str, client_address: str, today: datetime.date | None = None
) -> Verification:
    """Looks ``code`` up for the public page. Each look-up counts against the client's
    limit (``ACADEMY_VERIFY_LIMIT`` per ``ACADEMY_VERIFY_WINDOW_SECONDS``, through
    ``core.ratelimit``), whatever its answer; over the limit ``VerificationRateLimited`` is
    raised and nothing is looked up."""
    allowed = rate_limit_hit(
        bucket="certificate-verify",
        key=client_address,
        limit=settings.ACADEMY_VERIFY_LIMIT,
        window=settings.ACADEMY_VERIFY_WINDOW_SECONDS,
    )
    if not allowed:
        raise VerificationRateLimited
    normalised = certificates.code_normalise(code)
    if normalised is None:
        return Verification("unknown")
    certificate = (
        Certificate.objects.select_related("participant__user", "participant__cohort__course")
        .filter(code=normalised)
        .first()
    )
    if certificate is None:
        return Verification("unknown")
    if certificate.revoked_at is not None:
        return Verification("revoked")
    if certificate.expires_on is not None and certificate.expires_on < (
        today or timezone.localdate()
    ):
        return Verification("expired", certificate)
    return Verification("valid", certificate)
