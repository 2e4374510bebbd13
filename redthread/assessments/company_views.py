"""A company's manager invites colleagues to answer its own rounds and sees who has
answered, never what anyone answered: the page shows each respondent's group, label and
whether they have answered; answers and individual scores are never on it."""

from __future__ import annotations

import rules
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.forms import posted_id

from . import selectors, services
from .models import RespondentGroup, Response, ResponseMode


class RespondentInviteForm(forms.Form):
    group = forms.ChoiceField(
        label=gettext_lazy("Grupp"),
        choices=[
            (RespondentGroup.MANAGEMENT, RespondentGroup.MANAGEMENT.label),
            (RespondentGroup.SHOP_FLOOR, RespondentGroup.SHOP_FLOOR.label),
        ],
    )
    label = forms.CharField(
        label=gettext_lazy("Roll (frivilligt)"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Till exempel ”Montering”. Syns för coachen och er."),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Länken skickas hit och gäller i 21 dagar. Adressen sparas inte."),
    )


class ResendForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-postadress"))


def round_respondents(request: HttpRequest, pk: int) -> HttpResponse:
    # The company's own page: the rule alone (the office and coaches use the round's page).
    if not rules.has_perm("assessments.invite_respondents", request.user):
        raise PermissionDenied
    round_ = selectors.round_get(user=request.user, pk=pk)
    form = RespondentInviteForm(request.POST if request.POST.get("action") == "invite" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite" and form.is_valid():
            data = form.cleaned_data
            response = services.response_add(
                round=round_, group=data["group"], label=data["label"], mode=ResponseMode.SELF
            )
            _send(request, response, data["email"])
            return redirect("assessments:round_respondents", pk=round_.pk)
        if action == "resend":
            response = selectors.response_get(
                round=round_, pk=posted_id(request.POST.get("response"))
            )
            resend = ResendForm(request.POST)
            if response.is_submitted:
                messages.info(request, _("Den svarande har redan svarat."))
            elif not resend.is_valid():
                messages.error(request, _("Skriv en giltig e-postadress för den nya länken."))
            else:
                _send(request, response, resend.cleaned_data["email"])
            return redirect("assessments:round_respondents", pk=round_.pk)
        status = 422
    responses = list(round_.responses.only("pk", "group", "label", "status", "mode", "round_id"))
    return render(
        request,
        "assessments/round_respondents.html",
        {
            "round": round_,
            "responses": responses,
            "answered": sum(1 for r in responses if r.is_submitted),
            "form": form,
        },
        status=status,
    )


def _send(request: HttpRequest, response: Response, email: str) -> None:
    """Issues a new single-use link (an older one stops working) and e-mails it."""
    token = services.response_issue_link(response=response)
    url = request.build_absolute_uri(reverse("assessments:self_page", args=[token, 1]))
    services.response_link_send(response=response, token=token, url=url, email=email)
    messages.success(request, _("Länken är skickad till %(email)s.") % {"email": email})
