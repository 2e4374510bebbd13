from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from redthread.accounts.models import User
from redthread.accounts.typing import AuthenticatedRequest
from redthread.core.listing import Column, Listing

from . import selectors, services
from .forms import NoticePreferencesForm, OutboxFilterForm
from .models import Message


@permission_required("messaging.view_outbox", raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = Listing(
        request,
        selectors.outbox_list(actor=request.user, **{k: v for k, v in filters.items() if v}),
        columns=[
            Column("created", gettext_lazy("Skapat"), "created"),
            Column("to_address", gettext_lazy("Till"), "to_address"),
            Column("subject", gettext_lazy("Ämne"), "subject"),
            Column("status", gettext_lazy("Status"), "status"),
            Column("attempts", gettext_lazy("Försök"), "attempts", numeric=True),
        ],
        default_sort="-created",
        filter_form=form,
    )
    return render(request, "messaging/outbox.html", {"listing": listing})


@permission_required("messaging.view_outbox", raise_exception=True)
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    return render(request, "messaging/message_detail.html", {"message": message})


@permission_required("messaging.resend", raise_exception=True)
def message_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before sending a failed message again; the POST queues it."""
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    if not message.can_resend:
        messages.info(request, _("Meddelandet har inte misslyckats och skickas inte igen."))
        return redirect(message)
    if request.method == "POST":
        services.message_resend(message=message)
        messages.success(request, _("Meddelandet är köat och skickas igen."))
        return redirect(message)
    return render(request, "messaging/message_confirm_resend.html", {"message": message})


@permission_required("messaging.view_own", raise_exception=True)
def my_messages(request: HttpRequest) -> HttpResponse:
    listing = Listing(
        request,
        selectors.messages_to(user=request.user),
        columns=[
            Column("created", gettext_lazy("Skapat"), "created"),
            Column("subject", gettext_lazy("Ämne"), "subject"),
            Column("status", gettext_lazy("Status"), "status"),
        ],
        default_sort="-created",
    )
    return render(request, "messaging/my_messages.html", {"listing": listing})


@permission_required("messaging.view_own", raise_exception=True)
def my_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(selectors.messages_to(user=request.user), pk=pk)
    return render(request, "messaging/message_detail.html", {"message": message, "own": True})


@permission_required("messaging.view_own", raise_exception=True)
def notice_preferences(request: AuthenticatedRequest) -> HttpResponse:
    """Which notices the user gets and how often (also shown on the profile page)."""
    form = NoticePreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.notice_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Dina val för aviseringar är sparade."))
        if request.POST.get("from") == "profile":
            return redirect("accounts:profile")
        return redirect("messaging:notice_preferences")
    return render(request, "messaging/notice_preferences.html", {"form": form})


# A mail client's one-click unsubscribe (RFC 8058) is a POST without a session or a CSRF
# token: the signed token in the address is the proof, and it can only switch notices off.
@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the page's button, or a mail client's one click)
    switches the link's kinds off for its recipient. Works without login."""
    found = services.unsubscribe_token_read(token)
    if found is None:
        return render(request, "messaging/unsubscribe_invalid.html", status=404)
    context = {"unsubscribe": found, "kinds": [kind.label for kind in found.kinds]}
    if request.method == "POST":
        services.notice_unsubscribe(unsubscribe=found)
        return render(request, "messaging/unsubscribe_done.html", context)
    return render(request, "messaging/unsubscribe_confirm.html", context)


class NoticePreferencesSection:
    """The notice choices as a section of the profile page (accounts shows it)."""

    template = "messaging/_profile_notices.html"

    def context(self, user: User) -> dict[str, Any]:
        return {"form": NoticePreferencesForm(user=user)}
