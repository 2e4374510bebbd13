from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser
from redthread.core.forms import (
    ConcurrentEditMixin,
    IdsChoiceField,
    choice_field,
    model_choice_field,
)
from redthread.methodology.models import Initiative, MethodModule, ProgramTemplate
from redthread.registry.models import NutsArea, Organisation, OrganisationKind, Person

from .models import (
    ActionItem,
    ActionOrigin,
    BookedSession,
    Engagement,
    EngagementStatus,
    PlanStep,
    PlanStepStatus,
    Session,
    SessionMode,
)
from .selectors import company_user_choices, engagement_cohorts


class EngagementFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Sök företag"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Satsning"),
        queryset=Initiative.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alla satsningar"),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alla partner"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Alla statusar")), *EngagementStatus.choices],
        required=False,
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("Alla regioner")), *NutsArea.objects.values_list("code", "name")]


class MaturityFilterForm(forms.Form):
    instrument = forms.ChoiceField(label=gettext_lazy("Instrument"), required=False)
    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Satsning"),
        queryset=Initiative.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alla satsningar"),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alla partner"),
    )
    cohort = forms.TypedChoiceField(
        label=gettext_lazy("Kohort (startår)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: RequestUser, **kwargs: Any) -> None:
        from redthread.assessments.selectors import instruments_current

        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ChoiceField)
        instrument.choices = [(v.code, str(v.parsed.name)) for v in instruments_current()]
        # Without a choice, the page shows the first instrument (the one the list shows).
        instrument.initial = instrument.choices[0][0] if instrument.choices else ""
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ChoiceField)
        years = engagement_cohorts(user=user)
        cohort.choices = [("", _("Alla år")), *((year, str(year)) for year in years)]


class EnrolForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Företag"), queryset=Organisation.objects.none()
    )
    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Satsning"), queryset=Initiative.objects.order_by("name")
    )
    template = forms.ModelChoiceField(
        label=gettext_lazy("Programmall"),
        queryset=ProgramTemplate.objects.with_names().order_by("display_name", "pk"),
        help_text=gettext_lazy("En av de mallar som satsningen erbjuder."),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner som levererar"), queryset=Organisation.objects.none()
    )
    lead_coach = forms.ModelChoiceField(
        label=gettext_lazy("Huvudcoach"), queryset=User.objects.none(), required=False
    )
    coaches = IdsChoiceField(
        label=gettext_lazy("Medcoacher"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Startdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, companies: Any, partners: Any, coaches: Any, **kwargs: Any
    ) -> None:
        """``coaches``: those the user may assign (selectors.coach_choices); the service
        checks them against the partner chosen."""
        super().__init__(*args, **kwargs)
        model_choice_field(self, "company").queryset = companies
        model_choice_field(self, "partner").queryset = partners
        model_choice_field(self, "lead_coach").queryset = coaches
        model_choice_field(self, "coaches").queryset = coaches


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=gettext_lazy("Ny status"),
        error_messages={
            "invalid_choice": gettext_lazy("Välj en av de statusar som erbjuds här."),
        },
    )
    note = forms.CharField(label=gettext_lazy("Kommentar"), max_length=300, required=False)

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        """``targets``: the statuses the user may choose (selectors.engagement_status_targets)."""
        super().__init__(*args, **kwargs)
        choice_field(self, "to_status").choices = [(s, EngagementStatus(s).label) for s in targets]


#: Session lengths in quarter hours, up to a working day.
DURATION_CHOICES = [
    (m, f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min")
    for m in range(15, 8 * 60 + 15, 15)
]


def _step_label(step: PlanStep) -> str:
    return f"{step.planned_date:%Y-%m-%d} {step.module_version.name}"


class SessionForm(ConcurrentEditMixin, forms.ModelForm[Session]):
    duration_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Längd"), coerce=int, choices=DURATION_CHOICES, initial=120
    )
    coaches = IdsChoiceField(
        label=gettext_lazy("Coacher som deltog"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    # Localized, so "12,5" is read as Swedish; a text field, since number fields in some
    # browsers drop the decimal comma.
    company_hours = forms.DecimalField(
        label=gettext_lazy("Företagets timmar"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("Företagets egna timmar vid tillfället, till exempel 12,5."),
    )
    step_done = forms.BooleanField(label=gettext_lazy("Plansteget är genomfört"), required=False)

    class Meta:
        model = Session
        fields = [
            "date",
            "start_time",
            "duration_minutes",
            "mode",
            "coaches",
            "plan_step",
            "women",
            "men",
            "other",
            "company_hours",
            "notes",
            "next_steps",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "mode": forms.RadioSelect,
        }

    def __init__(
        self, *args: Any, engagement: Any, last: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        coach_ids = [engagement.lead_coach_id, *engagement.coaches.values_list("pk", flat=True)]
        model_choice_field(self, "coaches").queryset = User.objects.filter(
            pk__in=[c for c in coach_ids if c]
        )
        model_choice_field(self, "plan_step").queryset = engagement.plan_steps.select_related(
            "module_version"
        )
        plan_step = self.fields["plan_step"]
        assert isinstance(plan_step, forms.ModelChoiceField)
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        plan_step.label_from_instance = _step_label  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            # Defaults from the last session: a coach logs a series quickly.
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("coaches", [c for c in coach_ids if c][:1])
            if last is not None:
                self.initial.update(
                    duration_minutes=last.duration_minutes,
                    mode=last.mode,
                    start_time=last.start_time,
                    coaches=list(last.coaches.values_list("pk", flat=True)),
                )


class ActionItemForm(forms.ModelForm[ActionItem]):
    class Meta:
        model = ActionItem
        fields = ["title", "owner_person", "owner_coach", "due_date", "origin", "plan_step"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner_person").queryset = engagement.company.people.all()
        coach_ids = [engagement.lead_coach_id, *engagement.coaches.values_list("pk", flat=True)]
        owner_coach = self.fields["owner_coach"]
        assert isinstance(owner_coach, forms.ModelChoiceField)
        owner_coach.queryset = User.objects.filter(pk__in=[c for c in coach_ids if c])
        plan_step = self.fields["plan_step"]
        assert isinstance(plan_step, forms.ModelChoiceField)
        plan_step.queryset = engagement.plan_steps.select_related("module_version")
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        plan_step.label_from_instance = _step_label  # type: ignore[method-assign,assignment]
        self.fields["origin"].required = False

    def clean_origin(self) -> str:
        # Where an action comes from is optional to say; "other" when left out.
        return self.cleaned_data.get("origin") or ActionOrigin.OTHER


class _PlanStepChoice(forms.Form):
    step = forms.ModelChoiceField(label=gettext_lazy("Steg"), queryset=PlanStep.objects.none())

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        assert isinstance(step, forms.ModelChoiceField)
        step.queryset = engagement.plan_steps.filter(status=PlanStepStatus.PLANNED).select_related(
            "module_version"
        )
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        step.label_from_instance = _step_label  # type: ignore[method-assign,assignment]


class PlanStepMoveForm(_PlanStepChoice):
    planned_date = forms.DateField(
        label=gettext_lazy("Nytt datum"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanStepSkipForm(_PlanStepChoice):
    reason = forms.CharField(label=gettext_lazy("Skäl att hoppa över"), max_length=300)


class PlanStepAddForm(forms.Form):
    module = forms.ModelChoiceField(
        label=gettext_lazy("Metodmodul"),
        queryset=MethodModule.objects.with_names().order_by("display_name", "pk"),
    )
    planned_date = forms.DateField(
        label=gettext_lazy("Datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phase_name = forms.CharField(
        label=gettext_lazy("Fas"), max_length=200, initial=gettext_lazy("Tillägg")
    )


class ExchangeRateForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=2000, max_value=2100)
    sek_per_eur = forms.DecimalField(
        label=gettext_lazy("Kronor per euro"),
        max_digits=8,
        decimal_places=4,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("Till exempel 11,45."),
    )


class SessionRowForm(forms.Form):
    """One row of the session table: the facts a coach catches up on, the lead coach."""

    date = forms.DateField(
        label=gettext_lazy("Datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    duration_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Längd"), coerce=int, choices=DURATION_CHOICES, initial=120
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Form"), choices=SessionMode.choices, initial=SessionMode.ON_SITE
    )
    women = forms.IntegerField(label=gettext_lazy("Kvinnor"), min_value=0, initial=0)
    men = forms.IntegerField(label=gettext_lazy("Män"), min_value=0, initial=0)
    other = forms.IntegerField(label=gettext_lazy("Annat"), min_value=0, initial=0)
    company_hours = forms.DecimalField(
        label=gettext_lazy("Företagets timmar"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    notes = forms.CharField(label=gettext_lazy("Anteckning"), required=False)


SessionRowFormSet = forms.formset_factory(SessionRowForm, extra=5, max_num=20)


class EngagementForm(ConcurrentEditMixin, forms.ModelForm[Engagement]):
    """Who delivers the engagement. Two people changing it at once do not overwrite each
    other."""

    class Meta:
        model = Engagement
        fields = ["partner", "lead_coach", "coaches"]
        widgets = {"coaches": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, partners: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_coach", "coaches"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = coaches
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners


class BookingForm(ConcurrentEditMixin, forms.ModelForm[BookedSession]):
    """A coming session and whom at the company it invites. Two people changing one at
    once do not overwrite each other."""

    duration_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Längd"), coerce=int, choices=DURATION_CHOICES, initial=120
    )
    coaches = IdsChoiceField(
        label=gettext_lazy("Coacher"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    people = IdsChoiceField(
        label=gettext_lazy("Kontaktpersoner på företaget"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("De som har en e-postadress får en inbjudan till sin kalender."),
    )
    video_link = forms.URLField(
        label=gettext_lazy("Videolänk"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=gettext_lazy("För ett tillfälle på distans."),
    )
    company_users = IdsChoiceField(
        label=gettext_lazy("Användare på företaget"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BookedSession
        fields = [
            "date",
            "start_time",
            "duration_minutes",
            "mode",
            "place",
            "video_link",
            "coaches",
            "plan_step",
            "people",
            "company_users",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "mode": forms.RadioSelect,
        }
        help_texts = {"place": gettext_lazy("Till exempel företagets adress och rum.")}

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coach_ids = [engagement.lead_coach_id, *engagement.coaches.values_list("pk", flat=True)]
        model_choice_field(self, "coaches").queryset = User.objects.filter(
            pk__in=[c for c in coach_ids if c]
        )
        model_choice_field(self, "plan_step").queryset = engagement.plan_steps.filter(
            status=PlanStepStatus.PLANNED
        ).select_related("module_version")
        plan_step = self.fields["plan_step"]
        assert isinstance(plan_step, forms.ModelChoiceField)
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        plan_step.label_from_instance = _step_label  # type: ignore[method-assign,assignment]
        people = model_choice_field(self, "people")
        people.queryset = engagement.company.people.all()
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        people.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        model_choice_field(self, "company_users").queryset = company_user_choices(
            engagement=engagement
        )
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("coaches", [c for c in coach_ids if c][:1])
            self.initial.setdefault(
                "company_users",
                list(company_user_choices(engagement=engagement).values_list("pk", flat=True)),
            )


def _person_label(person: Any) -> str:
    if person.email:
        return f"{person} ({person.email})"
    return _("%(name)s (ingen e-postadress)") % {"name": person}


class BookingCancelForm(forms.Form):
    """The confirmation of a cancellation, carrying what the booking was when shown."""

    edit_token = forms.CharField(widget=forms.HiddenInput)


class ActionItemCommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Kommentar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Syns för alla som ser åtgärden: företaget och coacherna."),
    )


class ActionItemReassignForm(forms.Form):
    owner_person = forms.ModelChoiceField(
        label=gettext_lazy("Ny ansvarig"), queryset=Person.objects.none()
    )

    def __init__(self, *args: Any, item: ActionItem, user: RequestUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The company's own people only, as the user may see them.
        model_choice_field(self, "owner_person").queryset = Person.objects.visible_to(user).filter(
            organisation_id=item.engagement.company_id
        )
        if item.owner_person_id:
            self.initial.setdefault("owner_person", item.owner_person_id)


class CoachCapacityFilterForm(forms.Form):
    """The capacity page's filters: the partner (among those whose coaches the user sees)
    and the home partner's region."""

    q = forms.CharField(
        label=gettext_lazy("Sök coach"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    partner = forms.TypedChoiceField(
        label=gettext_lazy("Partner"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ChoiceField)
        partner.choices = [("", _("Alla partner")), *partners]
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("Alla regioner")), *NutsArea.objects.values_list("code", "name")]
