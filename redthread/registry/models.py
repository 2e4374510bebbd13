from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    PROGRAM_OFFICE = "program_office", _("Programkontor")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Finansiär")
    STAKEHOLDER = "stakeholder", _("Intressent")
    RESEARCH = "research", _("Forskningsaktör")
    COMPANY = "company", _("Företag")


class NutsRegion(models.TextChoices):
    """Sweden's eight NUTS2 regions (riksområden): also Produktionslyftet's eight nodes."""

    SE11 = "SE11", _("Stockholm")
    SE12 = "SE12", _("Östra Mellansverige")
    SE21 = "SE21", _("Småland med öarna")
    SE22 = "SE22", _("Sydsverige")
    SE23 = "SE23", _("Västsverige")
    SE31 = "SE31", _("Norra Mellansverige")
    SE32 = "SE32", _("Mellersta Norrland")
    SE33 = "SE33", _("Övre Norrland")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Public organisations (the office, partners, funders, stakeholders, research) are
        visible to every signed-in user. Companies: the office sees all, partner staff
        those their partner is responsible for, company users their own; funders and
        editors none (they see companies only as counts in reports)."""
        if not predicates.is_signed_in(user):
            return self.none()
        if predicates.is_program_office(user):
            return self.all()
        public = ~Q(kind=OrganisationKind.COMPANY)
        if predicates.is_partner_staff(user):
            partners = predicates.organisation_ids(user, OrganisationKind.PARTNER)
            return self.filter(public | Q(responsible_partner__in=partners))
        if predicates.is_company_user(user):
            companies = predicates.organisation_ids(user, OrganisationKind.COMPANY)
            return self.filter(public | Q(pk__in=companies))
        return self.filter(public)


class Organisation(TimeStampedModel):
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=60, blank=True)
    slug = models.SlugField(_("kortadress"), max_length=80, unique=True)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=10,
        blank=True,
        help_text=_("Tio siffror, lagras utan bindestreck."),
    )
    website = models.URLField(_("webbplats"), blank=True)
    region = models.CharField(
        _("region (NUTS2)"), max_length=4, choices=NutsRegion.choices, blank=True
    )
    description = models.TextField(_("beskrivning"), blank=True)
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted",
        verbose_name=_("värdorganisation"),
    )
    responsible_partner = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
        verbose_name=_("ansvarig partner"),
    )

    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique",
            )
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation_detail", kwargs={"slug": self.slug})

    @property
    def org_number_display(self) -> str:
        return f"{self.org_number[:6]}-{self.org_number[6:]}" if len(self.org_number) == 10 else ""
