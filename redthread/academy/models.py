"""Coaches: their profiles and competences. The coach course (training, certification) will
add to these; enrolment already uses them to suggest coaches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel


class CoachProfileQuerySet(models.QuerySet["CoachProfile"]):
    def visible_to(self, user: RequestUser) -> CoachProfileQuerySet:
        """The office sees every coach; partner staff the coaches of their own partner."""
        if predicates.is_program_office(user):
            return self.all()
        if predicates.is_partner_staff(user):
            return self.filter(home_partner__in=predicates.organisation_ids(user))
        return self.none()


class CoachProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coach_profile",
        verbose_name=_("coach"),
    )
    home_partner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="coaches",
        verbose_name=_("hempartner"),
    )
    county = models.ForeignKey(
        "registry.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("län"),
    )
    capacity_hours_per_month = models.PositiveIntegerField(
        _("kapacitet (timmar per månad)"), default=40
    )
    languages = models.JSONField(_("språk"), default=list, blank=True)
    #: Method module codes and categories the coach masters.
    modules = models.ManyToManyField(
        "methodology.MethodModule", blank=True, related_name="coaches", verbose_name=_("moduler")
    )
    categories = models.JSONField(_("kategorier"), default=list, blank=True)

    objects = CoachProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("coachprofil")
        verbose_name_plural = _("coachprofiler")
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)


# The coach course -----------------------------------------------------------------------


class CourseQuerySet(models.QuerySet["Course"]):
    def visible_to(self, user: RequestUser) -> CourseQuerySet:
        """The office sees every course; a teacher the courses of the cohorts it teaches."""
        if predicates.is_program_office(user):
            return self.all()
        if not predicates.is_signed_in(user):
            return self.none()
        return self.filter(pk__in=Cohort.objects.visible_to(user).values("course"))


class Course(TimeStampedModel):
    """A course the office gives (the coach course, and others): modules, and the rules a
    participant must meet to complete it."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    #: Least share of a cohort's meetings a participant must attend, in per cent.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("närvarokrav (procent)"), default=80
    )
    #: How long a certificate holds; none: until revoked.
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("intygets giltighet (månader)"), null=True, blank=True, default=36
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("kurser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseModule(models.Model):
    """A part of a course, teaching one method module, with an assignment to pass."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("kurs")
    )
    method_module = models.ForeignKey(
        "methodology.MethodModule",
        on_delete=models.PROTECT,
        related_name="course_modules",
        verbose_name=_("metodmodul"),
    )
    name = models.CharField(_("namn"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    assignment = models.TextField(_("uppgift"), blank=True)

    class Meta:
        verbose_name = _("kursmodul")
        verbose_name_plural = _("kursmoduler")
        ordering = ["course", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "method_module"], name="academy_course_module_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CohortQuerySet(models.QuerySet["Cohort"]):
    def visible_to(self, user: RequestUser) -> CohortQuerySet:
        """The office sees every cohort; a teacher the cohorts it teaches in; a partner
        manager the cohorts with participants of its partner; a participant its own."""
        if predicates.is_program_office(user):
            return self.all()
        if not predicates.is_signed_in(user):
            return self.none()
        scope = models.Q(meetings__teachers=user.pk) | models.Q(participants__user=user.pk)
        if predicates.is_partner_manager(user):
            scope |= models.Q(participants__partner__in=predicates.organisation_ids(user))
        return self.filter(pk__in=Cohort.objects.filter(scope).values("pk"))


class Cohort(TimeStampedModel):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("kurs")
    )
    name = models.CharField(_("namn"), max_length=200)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("kursomgång")
        verbose_name_plural = _("kursomgångar")
        ordering = ["-start_date", "pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("kursomgång")
    )
    course_module = models.ForeignKey(
        CourseModule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("kursmodul"),
    )
    date = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    remote = models.BooleanField(_("på distans"), default=False)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_meetings", verbose_name=_("lärare")
    )

    class Meta:
        verbose_name = _("kurstillfälle")
        verbose_name_plural = _("kurstillfällen")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.cohort} {self.date.isoformat()}"


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: RequestUser) -> ParticipantQuerySet:
        """The office sees every participant; a teacher those of the cohorts it teaches;
        a partner manager its partner's people; a participant itself."""
        if predicates.is_program_office(user):
            return self.all()
        if not predicates.is_signed_in(user):
            return self.none()
        scope = models.Q(user=user.pk) | models.Q(
            cohort__in=Cohort.objects.filter(meetings__teachers=user.pk).values("pk")
        )
        if predicates.is_partner_manager(user):
            scope |= models.Q(partner__in=predicates.organisation_ids(user))
        return self.filter(scope)


class Participant(TimeStampedModel):
    """A person from a partner organisation taking part in a cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="participants", verbose_name=_("kursomgång")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="course_participations",
        verbose_name=_("deltagare"),
    )
    partner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="course_participants",
        verbose_name=_("partner"),
    )
    completed_on = models.DateField(_("genomförd"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        ordering = ["cohort", "user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="academy_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("tillfälle")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("deltagare"),
    )
    present = models.BooleanField(_("närvarande"), default=False)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="academy_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.meeting_id}"


class AssignmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inlämnad")
    APPROVED = "approved", _("Godkänd")
    RETURNED = "returned", _("Returnerad")


class Assignment(TimeStampedModel):
    """A participant's work for one course module: a text, a file or both."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("deltagare"),
    )
    course_module = models.ForeignKey(
        CourseModule,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("kursmodul"),
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("fil"), upload_to="academy/assignments/%Y/", blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.SUBMITTED,
    )
    comment = models.TextField(_("kommentar"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)

    class Meta:
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        ordering = ["course_module__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "course_module"], name="academy_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course_module}"


class CertificateState(models.TextChoices):
    """Where a certificate stands on a given day (what the register shows and filters)."""

    VALID = "valid", _("Giltigt")
    EXPIRED = "expired", _("Utgånget")
    REVOKED = "revoked", _("Återkallat")


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def visible_to(self, user: RequestUser) -> CertificateQuerySet:
        """The office sees every certificate; a partner manager those of its partner's
        people; a teacher those of its cohorts; a holder its own."""
        if predicates.is_program_office(user):
            return self.all()
        if not predicates.is_signed_in(user):
            return self.none()
        return self.filter(participant__in=Participant.objects.visible_to(user).values("pk"))

    def in_register_of(self, user: RequestUser) -> CertificateQuerySet:
        """The certification register's scope: the office sees every certificate, a
        partner manager those held by its own partner's people (not those of the cohorts
        it happens to teach in); nobody else has a register."""
        if predicates.is_program_office(user):
            return self.all()
        if predicates.is_partner_manager(user):
            return self.filter(participant__partner__in=predicates.organisation_ids(user))
        return self.none()


class Certificate(TimeStampedModel):
    """Proof that a participant completed a course, checkable by anyone with its code."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("deltagare"),
    )
    #: Printed on the certificate and in its QR code; see ``certificates.code_new``.
    code = models.CharField(_("kontrollkod"), max_length=20, unique=True)
    issued_on = models.DateField(_("utfärdat"))
    expires_on = models.DateField(_("giltigt till"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("utfärdat av"),
    )
    revoked_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    revoked_reason = models.TextField(_("skäl till återkallelse"), blank=True)
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("förnyar"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("intyg")
        verbose_name_plural = _("intyg")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return self.code
