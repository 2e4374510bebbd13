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
