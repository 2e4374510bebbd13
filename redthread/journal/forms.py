from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redthread.core.form_guard import GuardedForm
from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField, date_in_bounds
from redthread.methodology.models import Initiative, MethodModule
from redthread.registry.identifiers import org_number_normalise

from .models import Author, InquiryKind, Page, Post, PostImage, PostStatus


class PostForm(ConcurrentEditMixin, forms.ModelForm[Post]):
    themes_text = forms.CharField(
        label=_("Teman"),
        required=False,
        max_length=500,
        help_text=_("Fria teman, åtskilda med kommatecken."),
    )

    class Meta:
        model = Post
        fields = ["title", "slug", "lead", "body", "initiatives", "modules", "publish_at"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
            "initiatives": forms.CheckboxSelectMultiple,
            "modules": forms.CheckboxSelectMultiple,
            # Django's DateTimeField reads the ISO form the browser sends ("2026-12-03T10:00").
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        field_classes = {"initiatives": IdsChoiceField, "modules": IdsChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The public tags: an initiative's and a module's name are public facts.
        initiatives = self.fields["initiatives"]
        assert isinstance(initiatives, forms.ModelMultipleChoiceField)
        initiatives.queryset = Initiative.objects.order_by("name")
        modules = self.fields["modules"]
        assert isinstance(modules, forms.ModelMultipleChoiceField)
        modules.queryset = MethodModule.objects.with_names().order_by("display_name", "pk")
        if self.instance.pk and not self.is_bound:
            self.initial["themes_text"] = ", ".join(t.name for t in self.instance.themes.all())

    def clean_publish_at(self) -> Any:
        value = self.cleaned_data.get("publish_at")
        if value is not None:
            date_in_bounds(value.date())
        return value

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("Kortadressen %(slug)s används av loggen själv; välj en annan."),
                code="reserved",
                params={"slug": slug},
            )
        return slug


#: Addresses under /loggen/ that are not posts.
RESERVED_SLUGS = {"atom", "rss", "skribent", "sida"}


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), *PostStatus.choices, ("scheduled", _("Schemalagd"))],
    )


#: The largest byline photo accepted; a portrait for a 48-pixel byline needs far less.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def checked_image(photo: Any) -> Any:
    """An uploaded picture (a byline photo, a post's image), or a clear message: at most
    :data:`PHOTO_MAX_BYTES`, and a JPEG, PNG or WebP in fact, not only by its name."""
    if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
        raise forms.ValidationError(
            _("Fotot är för stort: högst %(megabytes)s MB."),
            code="too_large",
            params={"megabytes": PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    # Django's ImageField has let Pillow open the file; a GIF or TIFF renamed .png opens
    # too, so the format itself is checked against what browsers show everywhere.
    image = getattr(photo, "image", None)
    if image is not None and image.format not in PHOTO_FORMATS:
        raise forms.ValidationError(
            _("Fotot måste vara en JPEG-, PNG- eller WebP-bild."), code="format"
        )
    return photo


class PostImageForm(forms.ModelForm[PostImage]):
    class Meta:
        model = PostImage
        fields = ["image", "alt", "caption"]
        widgets = {"image": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}
        error_messages = {
            "alt": {"required": _("Beskriv bilden för den som inte ser den.")},
            "image": {"required": _("Välj en bild att ladda upp.")},
        }

    def clean_image(self) -> Any:
        return checked_image(self.cleaned_data.get("image"))

    def clean_alt(self) -> str:
        alt = (self.cleaned_data.get("alt") or "").strip()
        if not alt:
            raise forms.ValidationError(
                _("Beskriv bilden för den som inte ser den."), code="alt_required"
            )
        return alt


class AuthorForm(ConcurrentEditMixin, forms.ModelForm[Author]):
    class Meta:
        model = Author
        fields = ["name", "title", "photo", "photo_alt"]
        widgets = {
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def clean_photo(self) -> Any:
        return checked_image(self.cleaned_data.get("photo"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt",
                forms.ValidationError(
                    _("Beskriv fotot för den som inte ser det."), code="alt_required"
                ),
            )
        return cleaned


class PageForm(ConcurrentEditMixin, forms.ModelForm[Page]):
    class Meta:
        model = Page
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}


class InquiryFilterForm(forms.Form):
    """The inbox's filters. The partner filter is the office's only (a partner manager
    sees what was sent to its own partner and nothing else)."""

    handled = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("no", _("Ej hanterade")), ("yes", _("Hanterade")), ("all", _("Alla"))],
    )
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla")), *InquiryKind.choices]
    )
    q = forms.CharField(label=_("Sök"), required=False, max_length=100)

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners:
            self.fields["partner"] = forms.TypedChoiceField(
                label=_("Mottagare"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Alla")), (0, _("Programkontoret")), *partners],
            )
            self.order_fields(["handled", "kind", "partner", "q"])


# --- the public forms ------------------------------------------------------------------


class _NamedChoiceField(forms.ModelChoiceField[Any]):
    """A choice shown by a label the view gives per object (a template's published name, a
    partner with its region): names, never codes."""

    def __init__(self, *args: Any, labels: dict[int, str], **kwargs: Any) -> None:
        self.labels = labels
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


CONSENT_LABEL = _(
    "Jag har läst hur personuppgifterna behandlas och samtycker till att programkontoret "
    "sparar dem för att svara mig."
)


class ApplicationForm(GuardedForm):
    """A company's application to an initiative, from its public page."""

    company_name = forms.CharField(label=_("Företagets namn"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=20,
        help_text=_("Tio siffror, till exempel 556036-0793."),
    )
    contact_name = forms.CharField(label=_("Ditt namn"), max_length=200)
    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    message = forms.CharField(
        label=_("Meddelande"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vad vill ni utveckla? Valfritt, högst 2 000 tecken."),
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("Kryssa i rutan för att vi ska få spara uppgifterna.")},
    )

    field_order = [
        "company_name",
        "org_number",
        "template",
        "partner",
        "contact_name",
        "email",
        "message",
        "consent",
    ]

    def __init__(
        self,
        *args: Any,
        templates: dict[Any, str],
        partners: dict[Any, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from redthread.methodology.models import ProgramTemplate
        from redthread.registry.models import Organisation

        self.fields["template"] = _NamedChoiceField(
            label=_("Program"),
            queryset=ProgramTemplate.objects.filter(pk__in=[t.pk for t in templates]),
            labels={t.pk: label for t, label in templates.items()},
            empty_label=None if len(templates) == 1 else "–",
        )
        self.fields["partner"] = _NamedChoiceField(
            label=_("Region"),
            queryset=Organisation.objects.filter(pk__in=[p.pk for p in partners]),
            labels={p.pk: label for p, label in partners.items()},
            help_text=_("Partnern i regionen coachar företaget."),
            empty_label=None if len(partners) == 1 else "–",
        )
        self.order_fields(self.field_order)

    def clean_org_number(self) -> str:
        return org_number_normalise(self.cleaned_data["org_number"])


class ContactForm(GuardedForm):
    """A visitor's message to the office or to a partner."""

    name = forms.CharField(label=_("Ditt namn"), max_length=200)
    email = forms.EmailField(
        label=_("E-postadress"), max_length=254, help_text=_("Hit kommer svaret.")
    )
    organisation_name = forms.CharField(
        label=_("Företag eller organisation"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_("Meddelande"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Högst 2 000 tecken."),
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("Kryssa i rutan för att vi ska få spara uppgifterna.")},
    )

    field_order = ["name", "email", "organisation_name", "message", "consent"]
