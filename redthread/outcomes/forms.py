from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redthread.core.importing import parse_number
from redthread.core.importing.views import ImportUploadForm
from redthread.methodology.models import Initiative

from .impact import BREAKDOWNS
from .models import ComparisonGroup, KpiDefinition, ReportFormat


class DashboardFilterForm(forms.Form):
    initiative: forms.ModelChoiceField[Initiative] = forms.ModelChoiceField(
        label=_("Satsning"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("Alla satsningar"),
    )
    breakdown = forms.ChoiceField(label=_("Dela upp effekten efter"), required=False)
    kpi = forms.ModelChoiceField(
        label=_("Nyckeltal att dela upp"),
        queryset=KpiDefinition.objects.all(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, initiatives: Any, allow_coach: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        initiative = self.fields["initiative"]
        assert isinstance(initiative, forms.ModelChoiceField)
        initiative.queryset = initiatives.order_by("name")
        breakdown = self.fields["breakdown"]
        assert isinstance(breakdown, forms.ChoiceField)
        breakdown.choices = [("", _("Ingen uppdelning"))] + [
            (key, label) for key, label in BREAKDOWNS.items() if allow_coach or key != "coach"
        ]


class ReportForm(forms.Form):
    initiative: forms.ModelChoiceField[Initiative] = forms.ModelChoiceField(
        label=_("Satsning"), queryset=Initiative.objects.none()
    )
    date_from = forms.DateField(
        label=_("Från"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Till"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ReportFormat.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, initiatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        initiative = self.fields["initiative"]
        assert isinstance(initiative, forms.ModelChoiceField)
        initiative.queryset = initiatives.order_by("name")
        today = timezone.localdate()
        self.initial.setdefault("date_from", datetime.date(today.year - 1, 1, 1))
        self.initial.setdefault("date_to", datetime.date(today.year - 1, 12, 31))
        self.initial.setdefault("format", ReportFormat.XLSX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Slutdatumet ligger före startdatumet."))
        return cleaned


class ComparisonGroupForm(forms.ModelForm[ComparisonGroup]):
    class Meta:
        model = ComparisonGroup
        fields = ["name", "description", "initiative"]


class MemberImportForm(forms.Form):
    numbers = forms.CharField(
        label=_("Organisationsnummer, ett per rad"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Med eller utan bindestreck. Klistra gärna in en kolumn från Excel."),
    )


def parse_value(text: str) -> Decimal | None:
    """A figure typed in a cell: blank for none, Swedish or English number format."""
    text = text.strip()
    if not text:
        return None
    return parse_number(text)


class MeasurementUploadForm(ImportUploadForm):
    """The pipeline's upload form, with the help the KPI files need."""

    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "Excel (.xlsx) eller CSV med komma eller semikolon. Första raden ska vara "
            "kolumnrubriker: organisationsnummer, år och antingen en kolumn för nyckeltal och "
            "en för värde, eller en kolumn per nyckeltal. Högst 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
