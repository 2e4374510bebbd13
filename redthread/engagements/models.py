"""Engagements: a company enrolled in a program template under an initiative, its dated plan,
the coaching sessions and the action items that come of them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel
from redthread.methodology.models import Timepoint, instrument_name


class EngagementStatus(models.TextChoices):
    APPLIED = "applied", _("Ansökt")
    APPROVED = "approved", pgettext_lazy("engagement status", "Godkänd")
    ACTIVE = "active", pgettext_lazy("engagement status", "Pågår")
    PAUSED = "paused", _("Pausad")
    COMPLETED = "completed", _("Avslutad")
    WITHDRAWN = "withdrawn", _("Avbruten")

    # The groups of statuses the apps ask about, each defined once (set below the class:
    # an enum's body cannot name its own members).
    #: Not yet over: applied, approved, under way or paused.
    OPEN: ClassVar[frozenset[str]]
    #: Over: completed or withdrawn; no status follows.
    FINAL: ClassVar[frozenset[str]]
    #: Applied or approved, not yet under way.
    WAITING: ClassVar[frozenset[str]]
    #: Approved and not over: its plan's dates are real (the coach's calendar).
    SCHEDULED: ClassVar[frozenset[str]]
    #: Approved or under way: the coach's time is taken (a pause frees it).
    BOOKED: ClassVar[frozenset[str]]
    #: Under way once: active, paused, completed or withdrawn (what reach and effects count).
    STARTED: ClassVar[frozenset[str]]


EngagementStatus.FINAL = frozenset({EngagementStatus.COMPLETED, EngagementStatus.WITHDRAWN})
EngagementStatus.OPEN = frozenset(EngagementStatus) - EngagementStatus.FINAL
EngagementStatus.WAITING = frozenset({EngagementStatus.APPLIED, EngagementStatus.APPROVED})
EngagementStatus.SCHEDULED = EngagementStatus.OPEN - {EngagementStatus.APPLIED}
EngagementStatus.BOOKED = frozenset({EngagementStatus.APPROVED, EngagementStatus.ACTIVE})
EngagementStatus.STARTED = frozenset(EngagementStatus) - EngagementStatus.WAITING


#: The changes a status allows. Completed and withdrawn are final.
TRANSITIONS: dict[str, set[str]] = {
    EngagementStatus.APPLIED: {EngagementStatus.APPROVED, EngagementStatus.WITHDRAWN},
    EngagementStatus.APPROVED: {EngagementStatus.ACTIVE, EngagementStatus.WITHDRAWN},
    EngagementStatus.ACTIVE: {
        EngagementStatus.PAUSED,
        EngagementStatus.COMPLETED,
        EngagementStatus.WITHDRAWN,
    },
    EngagementStatus.PAUSED: {EngagementStatus.ACTIVE, EngagementStatus.WITHDRAWN},
    EngagementStatus.COMPLETED: set(),
    EngagementStatus.WITHDRAWN: set(),
}

#: The moves a coach makes on its own engagements: starting an approved one, pausing and
#: resuming it, completing it. Approving, withdrawing and the rest stay with the office and
#: the partner's managers, who make every move in ``TRANSITIONS``.
COACH_TRANSITIONS: dict[str, set[str]] = {
    EngagementStatus.APPROVED: {EngagementStatus.ACTIVE},
    EngagementStatus.ACTIVE: {EngagementStatus.PAUSED, EngagementStatus.COMPLETED},
    EngagementStatus.PAUSED: {EngagementStatus.ACTIVE},
}


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def visible_to(self, user: RequestUser) -> EngagementQuerySet:
        """The office sees all; a partner manager its partner's; a coach those it coaches
        (lead or co-coach); a company user its own company's; funders and editors none
        (they see engagements only as counts in reports)."""
        if predicates.is_program_office(user):
            return self.all()
        if predicates.is_partner_manager(user):
            return self.filter(partner__in=predicates.organisation_ids(user))
        if predicates.is_coach(user):
            return self.filter(Q(lead_coach=user) | Q(coaches=user)).distinct()
        if predicates.is_company_user(user):
            return self.filter(company__in=predicates.organisation_ids(user))
        return self.none()


class Engagement(TimeStampedModel):
    company = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("företag"),
    )
    initiative = models.ForeignKey(
        "methodology.Initiative",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("satsning"),
    )
    # The template version the plan was made from: later versions never change it.
    template_version = models.ForeignKey(
        "methodology.TemplateVersion",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("programmall"),
    )
    partner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="delivered_engagements",
        verbose_name=_("partner"),
    )
    lead_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_engagements",
        verbose_name=_("huvudcoach"),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_engagements",
        verbose_name=_("medcoacher"),
    )
    start_date = models.DateField(_("startdatum"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EngagementStatus.choices,
        default=EngagementStatus.APPLIED,
    )

    history = HistoricalRecords()

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["-start_date", "company__name"]

    def __str__(self) -> str:
        return f"{self.company} – {self.template_version.name}"

    def get_absolute_url(self) -> str:
        return reverse("engagements:engagement_detail", kwargs={"pk": self.pk})


class StatusChange(models.Model):
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("uppdrag"),
    )
    from_status = models.CharField(
        _("från"), max_length=12, choices=EngagementStatus.choices, blank=True
    )
    to_status = models.CharField(_("till"), max_length=12, choices=EngagementStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    changed_at = models.DateTimeField(_("ändrad"), auto_now_add=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")
        ordering = ["engagement", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PlanStepStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    DONE = "done", _("Genomfört")
    SKIPPED = "skipped", _("Hoppas över")


class PlanStep(models.Model):
    """A dated step of an engagement's plan, made from a template step or added."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="plan_steps", verbose_name=_("uppdrag")
    )
    template_step = models.ForeignKey(
        "methodology.TemplateStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mallsteg"),
    )
    module_version = models.ForeignKey(
        "methodology.MethodModuleVersion",
        on_delete=models.PROTECT,
        related_name="plan_steps",
        verbose_name=_("modul"),
    )
    phase_name = models.CharField(_("fas"), max_length=200)
    order = models.PositiveIntegerField(_("ordning"))
    planned_date = models.DateField(_("planerat datum"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStepStatus.choices, default=PlanStepStatus.PLANNED
    )
    skip_reason = models.CharField(_("skäl att hoppa över"), max_length=300, blank=True)
    coach_hours = models.PositiveIntegerField(_("planerade coachtimmar"), default=0)

    class Meta:
        verbose_name = _("plansteg")
        verbose_name_plural = _("plansteg")
        ordering = ["engagement", "planned_date", "order"]

    def __str__(self) -> str:
        return f"{self.module_version.name} {self.planned_date}"

    @property
    def added(self) -> bool:
        return self.template_step_id is None


class PlanAssessment(models.Model):
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="plan_assessments",
        verbose_name=_("uppdrag"),
    )
    timepoint = models.CharField(_("mättillfälle"), max_length=2)
    instrument = models.CharField(_("instrument"), max_length=10)
    planned_date = models.DateField(_("planerat datum"))
    round = models.OneToOneField(
        "assessments.AssessmentRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_assessment",
        verbose_name=_("mätning"),
    )

    class Meta:
        verbose_name = _("planerad mätning")
        verbose_name_plural = _("planerade mätningar")
        ordering = ["engagement", "planned_date", "timepoint"]

    def __str__(self) -> str:
        return f"{self.timepoint} {self.planned_date}"

    def get_timepoint_display(self) -> str:
        """The timepoint's name ("T0 – före"); the field holds no choices of its own, so
        the name is read from ``Timepoint`` (an unknown value is shown as it is)."""
        return str(dict(Timepoint.choices).get(self.timepoint, self.timepoint))

    def get_instrument_display(self) -> str:
        return instrument_name(self.instrument)


class SessionMode(models.TextChoices):
    ON_SITE = "onsite", _("På plats")
    REMOTE = "remote", _("På distans")


class Session(TimeStampedModel):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("uppdrag")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("längd (minuter)"))
    mode = models.CharField(
        _("form"), max_length=8, choices=SessionMode.choices, default=SessionMode.ON_SITE
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coached_sessions", verbose_name=_("coacher")
    )
    plan_step = models.ForeignKey(
        PlanStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("plansteg"),
    )
    women = models.PositiveIntegerField(_("deltagare, kvinnor"), default=0)
    men = models.PositiveIntegerField(_("deltagare, män"), default=0)
    other = models.PositiveIntegerField(_("deltagare, annat"), default=0)
    company_hours = models.DecimalField(
        _("företagets timmar"), max_digits=7, decimal_places=2, default=0
    )
    notes = models.TextField(
        _("anteckningar"),
        blank=True,
        help_text=_("Markdown. Personuppgifter: skriv bara det som behövs."),
    )
    next_steps = models.TextField(_("nästa steg"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    history = HistoricalRecords(m2m_fields=[coaches])

    class Meta:
        verbose_name = _("coachningstillfälle")
        verbose_name_plural = _("coachningstillfällen")
        ordering = ["engagement", "-date", "-start_time"]
        # The status board and the calendar ask for a month's sessions by date range.
        indexes = [models.Index(fields=["date"], name="session_date_idx")]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.date}"

    @property
    def hours(self) -> float:
        return self.duration_minutes / 60

    @property
    def participants(self) -> int:
        return self.women + self.men + self.other


class EngagementTotals(models.Model):
    """What an engagement's sessions add up to, kept as sessions are saved and deleted
    (``totals``), so that the status board sums engagements, not every session."""

    engagement = models.OneToOneField(
        Engagement,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="totals",
        verbose_name=_("uppdrag"),
    )
    sessions = models.PositiveIntegerField(_("tillfällen"), default=0)
    minutes = models.PositiveIntegerField(_("minuter"), default=0)
    company_hours = models.DecimalField(
        _("företagets timmar"), max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("summa för uppdrag")
        verbose_name_plural = _("summor för uppdrag")

    def __str__(self) -> str:
        return str(self.engagement_id)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Inbokat")
    LOGGED = "logged", _("Registrerat")
    CANCELLED = "cancelled", _("Inställt")


class BookedSessionQuerySet(models.QuerySet["BookedSession"]):
    def visible_to(self, user: RequestUser) -> BookedSessionQuerySet:
        """The bookings of the engagements ``user`` may see."""
        return self.filter(engagement__in=Engagement.objects.visible_to(user).values("pk"))


class BookedSession(TimeStampedModel):
    """A coming session the coach has booked with the company. It is its own record, not
    a kind of :class:`Session`: every sum of coach hours, participants and state aid reads
    sessions, and a booking that has not happened must never count as delivered. After
    the day the coach logs it, which makes the :class:`Session` and links it here.

    ``uid`` and ``sequence`` are the calendar invitation's identity (RFC 5545): the UID
    stays the same through every change, the sequence grows with each update sent."""

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="booked_sessions",
        verbose_name=_("uppdrag"),
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"))
    duration_minutes = models.PositiveIntegerField(_("längd (minuter)"))
    mode = models.CharField(
        _("form"), max_length=8, choices=SessionMode.choices, default=SessionMode.ON_SITE
    )
    place = models.CharField(_("plats"), max_length=300, blank=True)
    video_link = models.URLField(_("videolänk"), max_length=500, blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="booked_sessions", verbose_name=_("coacher")
    )
    plan_step = models.ForeignKey(
        PlanStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booked_sessions",
        verbose_name=_("plansteg"),
    )
    people = models.ManyToManyField(
        "registry.Person",
        blank=True,
        related_name="booked_sessions",
        verbose_name=_("kontaktpersoner"),
    )
    company_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="invited_sessions",
        verbose_name=_("användare på företaget"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    uid = models.CharField(_("kalender-UID"), max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("ändringsnummer"), default=0, editable=False)
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("registrerat tillfälle"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bokad av"),
    )

    history = HistoricalRecords(m2m_fields=[coaches, people, company_users])

    objects = BookedSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbokat tillfälle")
        verbose_name_plural = _("inbokade tillfällen")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["status", "date"], name="booking_status_date_idx")]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.date} {self.start_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse(
            "engagements:booking_edit",
            kwargs={"pk": self.engagement_id, "booking_pk": self.pk},
        )

    @property
    def hours(self) -> float:
        return self.duration_minutes / 60


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Klar")
    CANCELLED = "cancelled", _("Struken")

    #: Still to be done: open or in progress (what can be overdue).
    PENDING: ClassVar[frozenset[str]]


ActionStatus.PENDING = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class ActionOrigin(models.TextChoices):
    SESSION = "session", _("Coachningstillfälle")
    STEP = "step", _("Plansteg")
    ASSESSMENT = "assessment", _("Mätning")
    OTHER = "other", _("Annat")


class ActionItem(TimeStampedModel):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("uppdrag")
    )
    title = models.CharField(_("åtgärd"), max_length=300)
    owner_person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("ansvarig på företaget"),
    )
    owner_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("ansvarig coach"),
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    origin = models.CharField(
        _("ursprung"), max_length=12, choices=ActionOrigin.choices, default=ActionOrigin.OTHER
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("coachningstillfälle"),
    )
    plan_step = models.ForeignKey(
        PlanStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("plansteg"),
    )
    assessment_round = models.ForeignKey(
        "assessments.AssessmentRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mätning"),
    )
    #: The method module a round's recommendation suggested (one action per round and module).
    module = models.ForeignKey(
        "methodology.MethodModule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("metodmodul"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["engagement", "status", "due_date"]
        # The status board's overdue items: pending, due before today, oldest first.
        indexes = [models.Index(fields=["status", "due_date"], name="action_due_idx")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: Any) -> bool:
        return bool(self.due_date and self.due_date < today and self.status in ActionStatus.PENDING)


class ActionItemComment(models.Model):
    """A note on an action item, from the company or its coach: how it goes, what is in
    the way. Shown with the item to everyone who sees it (not a coach-only note)."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="comments", verbose_name=_("åtgärd")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    text = models.TextField(_("kommentar"), max_length=2000)
    created = models.DateTimeField(_("skriven"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar till åtgärd")
        verbose_name_plural = _("kommentarer till åtgärder")
        ordering = ["item", "created", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarFeed(models.Model):
    """A coach's secret calendar address. Anyone with the address can read the feed, so it
    can be revoked: a new token makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("användare"),
    )
    token = models.CharField(_("nyckel"), max_length=64, unique=True)
    created = models.DateTimeField(_("skapad"), auto_now=True)

    class Meta:
        verbose_name = _("kalenderflöde")
        verbose_name_plural = _("kalenderflöden")

    def __str__(self) -> str:
        return str(self.user)


class ExchangeRate(models.Model):
    """The office's rate for converting support in SEK into EUR for the de minimis ceiling,
    one per year."""

    year = models.PositiveIntegerField(_("år"), unique=True)
    sek_per_eur = models.DecimalField(_("kronor per euro"), max_digits=8, decimal_places=4)

    class Meta:
        verbose_name = _("växelkurs")
        verbose_name_plural = _("växelkurser")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.sek_per_eur}"
