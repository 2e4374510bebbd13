from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField, date_in_bounds
from redthread.methodology.models import Initiative, MethodModule

from .models import Author, Post, PostStatus


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
        modules.queryset = MethodModule.objects.order_by("code")
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


class AuthorForm(ConcurrentEditMixin, forms.ModelForm[Author]):
    class Meta:
        model = Author
        fields = ["name", "title", "photo", "photo_alt"]
        widgets = {
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
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
