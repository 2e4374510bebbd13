from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redthread.core.forms import model_choice_field
from redthread.methodology.models import Timepoint
from redthread.registry.models import Organisation

from .instruments import NO, YES, Question
from .models import InstrumentVersion, RespondentGroup, ResponseMode
from .selectors import PEER_GROUPS, instruments_current


class RoundFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök företag eller organisationsnummer"), required=False)
    instrument = forms.ChoiceField(label=_("Instrument"), required=False)
    timepoint = forms.ChoiceField(
        label=_("Mättillfälle"),
        required=False,
        choices=[("", _("Alla")), *Timepoint.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ChoiceField)
        instrument.choices = [
            ("", _("Alla")),
            *((v.code, str(v.parsed.name)) for v in instruments_current()),
        ]


class RoundForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Företag"), queryset=Organisation.objects.none())
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentVersion.objects.none(), empty_label=None
    )
    timepoint = forms.ChoiceField(label=_("Mättillfälle"), choices=Timepoint.choices)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, companies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "company").queryset = companies
        current = [v.pk for v in instruments_current()]
        model_choice_field(self, "instrument").queryset = InstrumentVersion.objects.filter(
            pk__in=current
        )
        self.initial.setdefault("date", timezone.localdate())


class RespondentForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Grupp"), choices=RespondentGroup.choices, initial=RespondentGroup.MANAGEMENT
    )
    label = forms.CharField(
        label=_("Svarande (frivilligt)"),
        required=False,
        max_length=120,
        help_text=_("Till exempel en roll, som ”produktionschef”. Undvik namn om det inte behövs."),
    )
    mode = forms.ChoiceField(
        label=_("Hur svarar personen?"),
        choices=ResponseMode.choices,
        initial=ResponseMode.WITH_COACH,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        label=_("Antal svarande i gruppen"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("Med självskattning får varje svarande en egen länk."),
    )


class PeerGroupForm(forms.Form):
    peers = forms.ChoiceField(
        label=_("Jämför med"), choices=list(PEER_GROUPS.items()), required=False
    )


class AnswerPageForm(forms.Form):
    """One page of a questionnaire. Every field is optional here: a page is saved with
    what it has, and the submission checks that every question shown is answered."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, questions: list[Question], answers: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.code] = _field(question)
            if question.code in answers:
                value = answers[question.code]
                self.initial[question.code] = (
                    str(value).replace(".", ",") if question.type == "number" else value
                )

    def raw_answers(self) -> dict[str, Any]:
        """What was posted, question by question (the service checks it)."""
        data: dict[str, Any] = {}
        for question in self.questions:
            if question.type == "multiple":
                # Bound to request.POST, a QueryDict; the stubs type form data as a Mapping.
                data[question.code] = self.data.getlist(question.code)  # type: ignore[attr-defined]
            else:
                data[question.code] = self.data.get(question.code, "")
        return data

    def show_errors(self, errors: dict[str, str]) -> None:
        for code, message in errors.items():
            self.add_error(code, message)

    def full_clean(self) -> None:
        # Answers are checked by the service (Question.clean), which keeps the valid ones.
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}


class ScaleSelect(forms.RadioSelect):
    """A 0–5 scale as one compact row of levels, so that a page of questions fits a phone;
    what each level means is shown on demand (a ``<details>`` under the row), and each
    option is described by its level's text for screen readers."""

    template_name = "assessments/widgets/scale.html"

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        levels = []
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                text_id = f"{option['attrs']['id']}_text"
                described = option["attrs"].get("aria-describedby", "")
                option["attrs"]["aria-describedby"] = f"{described} {text_id}".strip()
                levels.append(
                    {
                        "value": option["value"],
                        "id": text_id,
                        "text": self.levels[int(option["value"])],
                        "selected": option["selected"],
                    }
                )
        context["widget"]["levels"] = levels
        return context


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": str(question.text),
        "required": False,
        "help_text": str(question.help) if question.help.sv else "",
    }
    if question.type == "scale":
        return forms.ChoiceField(
            choices=[(str(i), str(i)) for i in range(len(question.levels))],
            widget=ScaleSelect(levels=[str(level) for level in question.levels]),
            **common,
        )
    if question.type == "single":
        return forms.ChoiceField(
            choices=[(o.code, str(o.text)) for o in question.options],
            widget=forms.RadioSelect,
            **common,
        )
    if question.type == "multiple":
        return forms.MultipleChoiceField(
            choices=[(o.code, str(o.text)) for o in question.options],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.type == "yesno":
        return forms.ChoiceField(
            choices=[(YES, _("Ja")), (NO, _("Nej"))], widget=forms.RadioSelect, **common
        )
    unit = str(question.unit)
    if unit:
        common["label"] = f"{question.text} ({unit})"
    return forms.CharField(
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **common
    )
