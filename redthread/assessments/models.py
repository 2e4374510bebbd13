"""Assessments: an instrument's versions, a round of measurement at one company and one
timepoint, and the responses of the people who answered it.

The app knows nothing of engagements: an engagement links its planned measurements to
rounds from above (see ``engagements.PlanAssessment.round``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel
from redthread.methodology.models import Timepoint

from .instruments import Definition, Scores, parse

_parsed: dict[str, Definition] = {}


class InstrumentVersion(models.Model):
    """One version of an instrument, its definition frozen as it was loaded."""

    code = models.SlugField(_("instrument"), max_length=40)
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("namn"), max_length=200)
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(_("kontrollsumma"), max_length=64)
    loaded = models.DateTimeField(_("inläst"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrumentversion")
        verbose_name_plural = _("instrumentversioner")
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="instrument_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.parsed.name} (v{self.number})"

    @property
    def parsed(self) -> Definition:
        # A stored version never changes, so its parsed form is kept for the process: lists
        # show hundreds of rounds, each with its own instance of the same few versions.
        definition = _parsed.get(self.checksum)
        if definition is None:
            definition = _parsed[self.checksum] = parse(self.definition)
        return definition


class RoundQuerySet(models.QuerySet["AssessmentRound"]):
    def visible_to(self, user: RequestUser) -> RoundQuerySet:
        """The office sees all; a partner manager its partner's rounds; a coach the rounds
        it leads or was given; a company user its own company's; funders none (they see
        scores only aggregated)."""
        if predicates.is_program_office(user):
            return self.all()
        if predicates.is_partner_manager(user):
            return self.filter(partner__in=predicates.organisation_ids(user))
        if predicates.is_coach(user):
            return self.filter(Q(created_by=user) | Q(coaches=user)).distinct()
        if predicates.is_company_user(user):
            return self.filter(company__in=predicates.organisation_ids(user))
        return self.none()


class AssessmentRound(TimeStampedModel):
    """One measurement of one company with one instrument version at one timepoint; one or
    several people answer it."""

    company = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name=_("företag"),
    )
    instrument = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("instrument"),
    )
    timepoint = models.CharField(_("mättillfälle"), max_length=5, choices=Timepoint.choices)
    date = models.DateField(_("datum"))
    partner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_assessment_rounds",
        verbose_name=_("partner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("coacher")
    )
    #: The respondents' combined scores, kept up to date as responses are submitted.
    scores = models.JSONField(_("resultat"), default=dict, blank=True)
    overall = models.FloatField(_("total"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["scores"])

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("mätning")
        verbose_name_plural = _("mätningar")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["instrument", "timepoint", "overall"]),
            # The fingerprint of a kept peer distribution: count and last change.
            models.Index(fields=["instrument", "modified"], name="round_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.timepoint} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:round_detail", kwargs={"pk": self.pk})

    @property
    def combined(self) -> Scores:
        return Scores(dict(self.scores.get("dimensions", {})), self.overall)


class RespondentGroup(models.TextChoices):
    MANAGEMENT = "management", _("Ledning")
    SHOP_FLOOR = "shop_floor", _("Medarbetare i produktionen")
    OTHER = "other", _("Annan")


class ResponseMode(models.TextChoices):
    WITH_COACH = "coach", _("Tillsammans med coachen")
    SELF = "self", _("Självskattning via länk")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Påbörjad")
    SUBMITTED = "submitted", _("Inskickad")


class Response(TimeStampedModel):
    """One person's answers in a round. A self-assessment is reached through a single-use
    link: only the token's hash is stored, the link itself is shown once."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("mätning"),
    )
    group = models.CharField(
        _("grupp"),
        max_length=12,
        choices=RespondentGroup.choices,
        default=RespondentGroup.MANAGEMENT,
    )
    label = models.CharField(
        _("svarande"),
        max_length=120,
        blank=True,
        help_text=_("Frivilligt: till exempel en roll. Undvik namn om det inte behövs."),
    )
    mode = models.CharField(
        _("sätt"), max_length=6, choices=ResponseMode.choices, default=ResponseMode.WITH_COACH
    )
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    scores = models.JSONField(_("resultat"), default=dict, blank=True)
    overall = models.FloatField(_("total"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    token_expires = models.DateTimeField(_("länken gäller till"), null=True, blank=True)
    #: Counts saves, so two people answering on one response cannot overwrite each other.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["round", "group", "pk"]

    def __str__(self) -> str:
        return self.label or self.get_group_display()

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class RetiredLink(models.Model):
    """The hash of a self-assessment link that was withdrawn or replaced by a newer one, so
    that whoever follows it is told so rather than that the link never existed. Only the
    hash is kept (a link is a secret); it goes with its response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="retired_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("återkallad länk")
        verbose_name_plural = _("återkallade länkar")

    def __str__(self) -> str:
        return f"{self.response} ({self.retired_at:%Y-%m-%d})"
