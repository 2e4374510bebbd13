"""The red thread: method modules, program templates built from them, and the funded
initiatives that offer the templates. Modules and templates are versioned: an engagement
pins the version it started with, so improving the method never changes running work."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel

from .instrument_files import ShippedInstrument, shipped_instruments


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")
    SUPERSEDED = "superseded", _("Ersatt av en senare version")


class ModuleCategory(models.TextChoices):
    LEAN = "lean", _("Lean")
    DIGITAL = "digital", _("Digitalisering")
    AUTOMATION = "automation", _("Automation")
    LEADERSHIP = "leadership", _("Ledarskap")
    ASSESSMENT = "assessment", _("Analys och uppföljning")
    SUSTAINABILITY = "sustainability", _("Hållbarhet")


class Timepoint(models.TextChoices):
    """When a company is measured: before, at the end, at the follow-up, or in between."""

    T0 = "T0", _("T0 – före")
    T1 = "T1", _("T1 – vid slutet")
    T2 = "T2", _("T2 – uppföljning")
    AD_HOC = "adhoc", _("Extra mätning")

    #: The timepoints a program plans; an extra measurement is never planned.
    PLANNED: ClassVar[tuple[str, ...]]

    @classmethod
    def planned_choices(cls) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in cls.choices if value in cls.PLANNED]


Timepoint.PLANNED = (Timepoint.T0, Timepoint.T1, Timepoint.T2)


def _instrument_label(instrument: ShippedInstrument) -> Any:
    def label() -> str:
        english = (get_language() or "sv").startswith("en")
        return instrument.name_en if english else instrument.name_sv

    return lazy(label, str)()


#: The shipped instruments, from their data files (see ``instrument_files.py``): a new
#: instrument is a new file. The model fields that hold a code have no fixed choices, so a
#: new file needs no migration; the services check a code against these.
# The stubs know only the class syntax; the functional call makes the same kind of class.
Instrument: type[models.TextChoices] = models.TextChoices(  # type: ignore[call-overload]
    "Instrument",
    [
        (shipped.code.upper().replace("-", "_"), (shipped.code, _instrument_label(shipped)))
        for shipped in shipped_instruments()
    ],
    module=__name__,
    qualname="Instrument",
)


def instrument_name(code: str) -> str:
    """The instrument's name in the active language; the code itself for one that is not
    shipped (a round loaded from elsewhere, or a file since removed)."""
    return str(Instrument(code).label) if code in Instrument.values else code


class MethodologyQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: RequestUser) -> MethodologyQuerySet:
        """The methodology is the office's and its partners' shared tool: the office and
        partner staff read it; others see none of it (yet)."""
        if predicates.is_program_office(user) or predicates.is_partner_staff(user):
            return self.all()
        return self.none()

    def with_names(self) -> MethodologyQuerySet:
        """Each module or template with ``display_name``: the name of its published
        version, or of its newest one while none is published. ``__str__`` shows it, so a
        choice or a list shows the name, never the code (one subquery, no query per row)."""
        relation = self.model._meta.get_field("versions")
        versions = relation.related_model
        assert isinstance(versions, type)
        assert issubclass(versions, models.Model)
        newest = (
            versions._default_manager.filter(**{relation.field.name: OuterRef("pk")})
            .annotate(
                unpublished=models.Case(
                    models.When(status=VersionStatus.PUBLISHED, then=models.Value(0)),
                    default=models.Value(1),
                )
            )
            .order_by("unpublished", "-number")
            .values("name")[:1]
        )
        named: MethodologyQuerySet = self.annotate(display_name=Subquery(newest))
        return named


class MethodModule(TimeStampedModel):
    """A method module's identity across its versions."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    category = models.CharField(_("kategori"), max_length=20, choices=ModuleCategory.choices)

    objects = MethodologyQuerySet.as_manager()

    class Meta:
        verbose_name = _("metodmodul")
        verbose_name_plural = _("metodmoduler")
        ordering = ["code"]

    def __str__(self) -> str:
        return getattr(self, "display_name", None) or self.code

    def get_absolute_url(self) -> str:
        return reverse("methodology:module_detail", kwargs={"code": self.code})


class Version(TimeStampedModel):
    """What module and template versions share: a number, a status, who published it and
    when, and whether the content rests on assumptions (and on what source)."""

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    assumed = models.BooleanField(
        _("antagande"),
        default=False,
        help_text=_("Innehållet bygger på antaganden, inte en offentlig källa: granska det."),
    )
    source = models.TextField(_("källa"), blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )

    class Meta:
        abstract = True


class MethodModuleVersion(Version):
    module = models.ForeignKey(
        MethodModule, on_delete=models.CASCADE, related_name="versions", verbose_name=_("modul")
    )
    name = models.CharField(_("namn"), max_length=200)
    purpose = models.TextField(_("syfte"))
    description = models.TextField(_("beskrivning"), blank=True, help_text=_("Markdown."))
    steps = models.JSONField(_("steg"), default=list, blank=True)
    expected_outputs = models.JSONField(_("förväntade resultat"), default=list, blank=True)
    duration_weeks = models.PositiveIntegerField(_("typisk längd (veckor)"), default=1)
    coach_hours = models.PositiveIntegerField(_("typiska coachtimmar"), default=0)
    company_hours = models.PositiveIntegerField(_("typiska företagstimmar"), default=0)
    dimensions = models.JSONField(_("förbättrar dimensioner"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version av metodmodul")
        verbose_name_plural = _("versioner av metodmoduler")
        ordering = ["module", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="module_version_unique"),
            # One current version per module: what new engagements get.
            models.UniqueConstraint(
                fields=["module"],
                condition=Q(status="published"),
                name="module_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class ModuleAttachment(TimeStampedModel):
    version = models.ForeignKey(
        MethodModuleVersion,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("version"),
    )
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("fil"), upload_to="methodology/attachments/%Y/")

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgramTemplate(TimeStampedModel):
    """A program template's identity across its versions."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)

    objects = MethodologyQuerySet.as_manager()

    class Meta:
        verbose_name = _("programmall")
        verbose_name_plural = _("programmallar")
        ordering = ["code"]

    def __str__(self) -> str:
        return getattr(self, "display_name", None) or self.code

    def get_absolute_url(self) -> str:
        return reverse("methodology:template_detail", kwargs={"code": self.code})


class TemplateVersion(Version):
    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.CASCADE, related_name="versions", verbose_name=_("mall")
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, help_text=_("Markdown."))
    target_group = models.CharField(_("målgrupp"), max_length=300, blank=True)
    duration_weeks = models.PositiveIntegerField(_("längd (veckor)"))
    kpis = models.JSONField(_("nyckeltal att samla in"), default=list, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("bygger på"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version av programmall")
        verbose_name_plural = _("versioner av programmallar")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="published"),
                name="template_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="draft"), name="template_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class TemplatePhase(models.Model):
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="phases", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("ordning"))
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("fas")
        verbose_name_plural = _("faser")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    phase = models.ForeignKey(
        TemplatePhase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("fas")
    )
    order = models.PositiveIntegerField(_("ordning"))
    # A step pins the module version it was built with.
    module_version = models.ForeignKey(
        MethodModuleVersion,
        on_delete=models.PROTECT,
        related_name="template_steps",
        verbose_name=_("modul"),
    )
    offset_weeks = models.PositiveIntegerField(_("start (vecka)"))
    coach_hours = models.PositiveIntegerField(_("coachtimmar"), default=0)
    company_hours = models.PositiveIntegerField(_("företagstimmar"), default=0)

    class Meta:
        verbose_name = _("steg")
        verbose_name_plural = _("steg")
        ordering = ["phase", "order"]

    def __str__(self) -> str:
        return f"{self.module_version} @ {self.offset_weeks}"


class AssessmentPoint(models.Model):
    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.CASCADE,
        related_name="assessment_points",
        verbose_name=_("version"),
    )
    timepoint = models.CharField(
        _("mättillfälle"), max_length=2, choices=Timepoint.planned_choices()
    )
    offset_weeks = models.PositiveIntegerField(_("vecka"))
    instrument = models.CharField(_("instrument"), max_length=10)

    class Meta:
        verbose_name = _("mättillfälle")
        verbose_name_plural = _("mättillfällen")
        ordering = ["version", "offset_weeks", "timepoint"]

    def __str__(self) -> str:
        return f"{self.timepoint} {self.instrument} @ {self.offset_weeks}"

    def get_instrument_display(self) -> str:
        return instrument_name(self.instrument)


class Initiative(TimeStampedModel):
    """A funded effort that offers program templates to eligible companies."""

    slug = models.SlugField(_("kortadress"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    owner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name=_("ägare"),
    )
    description = models.TextField(_("beskrivning"), blank=True, help_text=_("Markdown."))
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"))
    partners = models.ManyToManyField(
        "registry.Organisation",
        related_name="partner_initiatives",
        blank=True,
        verbose_name=_("partner"),
    )
    templates = models.ManyToManyField(
        ProgramTemplate, related_name="initiatives", blank=True, verbose_name=_("programmallar")
    )
    # Eligibility: an empty list means no restriction.
    size_classes = models.JSONField(_("storleksklasser"), default=list, blank=True)
    regions = models.JSONField(_("regioner (NUTS2)"), default=list, blank=True)
    urban_rural_types = models.JSONField(_("kommuntyper"), default=list, blank=True)
    sectors = models.JSONField(_("branscher (SNI-huvudgrupper)"), default=list, blank=True)
    target_companies = models.PositiveIntegerField(_("mål: antal företag"), default=0)
    target_rural_share_percent = models.PositiveIntegerField(
        _("mål: andel i landsbygdskommuner (%)"), default=0
    )
    target_hours = models.PositiveIntegerField(_("mål: coachtimmar"), default=0)
    coach_hour_rate_sek = models.PositiveIntegerField(
        _("stödets värde per coachtimme (kr)"),
        default=0,
        help_text=_("Används för att räkna statsstöd (de minimis) per företag."),
    )
    assumed = models.BooleanField(_("antagande"), default=False)
    source = models.TextField(_("källa"), blank=True)

    history = HistoricalRecords(m2m_fields=[partners, templates])

    objects = MethodologyQuerySet.as_manager()

    class Meta:
        verbose_name = _("satsning")
        verbose_name_plural = _("satsningar")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="initiative_period"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("methodology:initiative_detail", kwargs={"slug": self.slug})


class InitiativeFunding(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("satsning")
    )
    funder = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="fundings",
        verbose_name=_("finansiär"),
    )
    amount_sek = models.BigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansieringar")
        ordering = ["-amount_sek"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "funder"], name="funding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount_sek}"
