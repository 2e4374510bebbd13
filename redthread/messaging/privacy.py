"""What the outbox holds about a person (see ``core/privacy.py``): the messages and notices
sent to their address, and an address's unsubscriptions. Erasure keeps each message's and
notice's kind, status and dates (the outbox's statistics) and removes the address, the
subject and the text, and every attachment that names them (a calendar invitation lists
all its attendees, so one sent to someone else holds the address too); an unsubscription
of the address is removed with it."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.privacy import PersonalData, Records

from .models import AddressOptOut, Message, MessageAttachment, Notice

ERASED_ADDRESS = "borttagen@anonym.invalid"


def _messages(address: str) -> Q:
    return Q(to_address__iexact=address) | Q(recipient__email__iexact=address)


def collect(address: str) -> Records:
    return [
        {
            _("Typ"): _("E-postmeddelande"),
            _("Skapat"): message.created,
            _("Skickat"): message.sent_at,
            _("Till"): message.to_address,
            _("Ämne"): message.subject,
            _("Status"): message.get_status_display(),
            _("Text"): message.body_text,
        }
        for message in Message.objects.filter(_messages(address)).order_by("-created")[:500]
    ] + [
        {
            _("Typ"): _("Avregistrering"),
            _("Skapat"): opt_out.created,
            _("Till"): opt_out.address,
            _("Ämne"): opt_out.kind,
        }
        for opt_out in AddressOptOut.objects.filter(address__iexact=address)
    ]


def erase(address: str) -> int:
    ids = list(Message.objects.filter(_messages(address)).values_list("pk", flat=True))
    erased = {"to_address": ERASED_ADDRESS, "subject": _("(raderat)"), "about_text": ""}
    Message.objects.filter(pk__in=ids).update(**erased, body_text="", body_html="", last_error="")
    Message.history.filter(id__in=ids).update(**erased, last_error="")
    MessageAttachment.objects.filter(Q(message__in=ids) | Q(content__icontains=address)).delete()
    notices = Notice.objects.filter(
        Q(to_address__iexact=address) | Q(recipient__email__iexact=address)
    )
    for notice in notices.only("pk"):
        # The key stays unique (nothing is made twice for the period) without the address.
        Notice.objects.filter(pk=notice.pk).update(
            to_address=ERASED_ADDRESS,
            recipient_key=f"erased:{notice.pk}",
            subject="",
            body_text="",
            body_html="",
            about_text="",
        )
    opt_outs, _deleted = AddressOptOut.objects.filter(address__iexact=address).delete()
    return len(ids) + opt_outs


SOURCE = PersonalData("messaging", gettext_lazy("Utskickad e-post"), collect, erase, order=30)
