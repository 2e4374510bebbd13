from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from redthread.core.listing import Column, Listing

from . import selectors, services
from .forms import OutboxFilterForm
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
