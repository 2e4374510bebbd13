"""Outcomes: the KPIs programs follow, their yearly measurements per company, comparison
groups of companies that did not take part, and funder reports made in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel
from redthread.registry.models import Organisation


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")


class KpiDefinition(models.Model):
    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name_sv = models.CharField(_("namn (svenska)"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200)
    unit_sv = models.CharField(_("enhet (svenska)"), max_length=40)
    unit_en = models.CharField(_("enhet (engelska)"), max_length=40)
    direction = models.CharField(_("riktning"), max_length=6, choices=Direction.choices)
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=0)
    source_sv = models.TextField(_("källa och mätsätt (svenska)"), blank=True)
    source_en = models.TextField(_("källa och mätsätt (engelska)"), blank=True)
    assumed = models.BooleanField(_("antagande"), default=False)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("nyckeltal")
        verbose_name_plural = _("nyckeltal")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def _english(self) -> bool:
        return (get_language() or "sv").startswith("en")

    @property
    def name(self) -> str:
        return self.name_en if self._english else self.name_sv

    @property
    def unit(self) -> str:
        return self.unit_en if self._english else self.unit_sv

    @property
    def source(self) -> str:
        return self.source_en if self._english else self.source_sv

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


class MeasurementSource(models.TextChoices):
    COACH = "coach", _("Coach")
    COMPANY = "company", _("Företaget")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demodata")


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def visible_to(self, user: RequestUser) -> MeasurementQuerySet:
        """Company-level figures: of the companies ``user`` sees (the registry's
        ``Organisation.objects.visible_to``: the office all, a partner manager its partner's,
        a coach those it coaches, a company user its own). Funders and editors see none
        (only aggregates)."""
        if predicates.is_program_office(user):
            return self.all()
        if not (predicates.is_partner_staff(user) or predicates.is_company_user(user)):
            return self.none()
        return self.filter(company__in=Organisation.objects.visible_to(user).values("pk"))


class Measurement(TimeStampedModel):
    """One KPI of one company for one calendar year."""

    company = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("företag"),
    )
    kpi = models.ForeignKey(
        KpiDefinition,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("nyckeltal"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4)
    source = models.CharField(
        _("uppgiftslämnare"),
        max_length=8,
        choices=MeasurementSource.choices,
        default=MeasurementSource.COACH,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        ordering = ["company", "kpi", "year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kpi", "year"], name="measurement_unique"),
            # What Decimal(18, 4) holds: PostgreSQL refuses more by itself, SQLite does not,
            # and a row it stored beyond that cannot be read back.
            models.CheckConstraint(
                condition=models.Q(value__gt=-(10**14)) & models.Q(value__lt=10**14),
                name="measurement_value_in_column_range",
            ),
        ]
        indexes = [models.Index(fields=["kpi", "year"])]

    def __str__(self) -> str:
        return f"{self.company} {self.kpi.code} {self.year}: {self.value}"


class ComparisonGroup(TimeStampedModel):
    """Companies that did not take part, measured over the same years: what would have
    happened anyway. Imported by organisation number."""

    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    initiative = models.ForeignKey(
        "methodology.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comparison_groups",
        verbose_name=_("jämförelsegrupp för satsningen"),
    )
    companies = models.ManyToManyField(
        "registry.Organisation",
        related_name="comparison_groups",
        blank=True,
        verbose_name=_("företag"),
    )

    class Meta:
        verbose_name = _("jämförelsegrupp")
        verbose_name_plural = _("jämförelsegrupper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (xlsx)")
    PDF = "pdf", _("PDF")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Tas fram")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user: RequestUser) -> ReportJobQuerySet:
        """The office sees every report; anyone else the reports they ordered."""
        if predicates.is_program_office(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by_id=user.pk)


class ReportJob(models.Model):
    """A funder report on its way: made by a background task, kept in the database so any
    app server can hand it out."""

    initiative = models.ForeignKey(
        "methodology.Initiative",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("satsning"),
    )
    date_from = models.DateField(_("från"))
    date_to = models.DateField(_("till"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("klart (%)"), default=0)
    content = models.BinaryField(_("fil"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    created = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished = models.DateTimeField(_("klar"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.initiative} {self.date_from}–{self.date_to} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:report_detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        period = f"{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"
        return f"rapport-{self.initiative.slug}-{period}.{self.format}"


class ResultsDataVersion(models.Model):
    """One row: a counter bumped on every write the results pages rest on (measurements,
    engagements, sessions, assessment rounds, comparison groups and their members, KPIs,
    companies). A kept result of an older version is stale; reading it is one query,
    where the fingerprint it replaces counted and dated five whole tables per request."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version av resultatens data")
        verbose_name_plural = _("versioner av resultatens data")

    def __str__(self) -> str:
        return str(self.version)


class StoredResult(models.Model):
    """The figures of one results page (a scope, a choice and a language), computed by the
    task worker and kept: the page reads them, never computes them. ``version`` is the
    data version they were computed at; ``queued`` the version a recomputation was asked
    for (so a stale result is queued once, not on every view). ``results`` is the figures
    as JSON (:mod:`~redthread.outcomes.results_codec`)."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    params = models.JSONField(default=dict)
    version = models.PositiveBigIntegerField(default=0)
    queued = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("sparat resultat")
        verbose_name_plural = _("sparade resultat")

    def __str__(self) -> str:
        return self.key
