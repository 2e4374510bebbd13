from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades")


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: RequestUser) -> MessageQuerySet:
        """The office sees the whole outbox; anyone else what was sent to them."""
        if predicates.is_program_office(user):
            return self.all()
        return self.sent_to(user)

    def sent_to(self, user: RequestUser) -> MessageQuerySet:
        """The messages addressed to a user, by account or by their address."""
        if not isinstance(user, User):
            return self.none()
        return self.filter(models.Q(recipient_id=user.pk) | models.Q(to_address__iexact=user.email))


class Message(models.Model):
    """One e-mail, stored before it is sent, so it is never lost: to whom, about what, in
    which language, its status and every attempt's outcome."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_received",
        verbose_name=_("mottagare"),
    )
    to_address = models.EmailField(_("e-postadress"))
    subject = models.CharField(_("ämne"), max_length=255)
    kind = models.CharField(_("typ"), max_length=40)
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    about_text = models.CharField(_("gäller"), max_length=200, blank=True)
    language = models.CharField(_("språk"), max_length=8)
    created = models.DateTimeField(_("skapat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("html"), blank=True)
    #: Set for messages that must never be made twice (a digest: recipient and day).
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    #: The one-click unsubscribe address of a notice (List-Unsubscribe, RFC 8058).
    unsubscribe_url = models.URLField(_("avregistrering"), max_length=600, blank=True)

    objects = MessageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_text", "body_html"])

    class Meta:
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:message_detail", kwargs={"pk": self.pk})

    @property
    def can_resend(self) -> bool:
        return self.status == MessageStatus.FAILED


class MessageAttachment(models.Model):
    """A text file sent with a message (a calendar invitation's ``.ics``), stored with it
    so that a retry or a resend sends the very same file."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meddelande")
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    #: The MIME type with its parameters, e.g. ``text/calendar; method=REQUEST``.
    content_type = models.CharField(_("filtyp"), max_length=100)
    content = models.TextField(_("innehåll"))

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename


def recipient_key(to: User | str) -> str:
    """Who a notice is for, as one string: ``u<pk>`` for a user, ``a:<address>`` otherwise."""
    if isinstance(to, User):
        return f"u{to.pk}"
    return f"a:{to.strip().lower()}"


class Notice(models.Model):
    """A notice or reminder made for one recipient, once per kind and period (the
    idempotency key). Sent at once in its own message, or kept until the day's digest
    takes it; ``message`` is the message that carried it."""

    kind = models.CharField(_("typ"), max_length=40)
    recipient_key = models.CharField(max_length=260)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("mottagare"),
    )
    to_address = models.EmailField(_("e-postadress"))
    period = models.CharField(_("period"), max_length=120)
    language = models.CharField(_("språk"), max_length=8)
    frequency = models.CharField(_("hur ofta"), max_length=12)
    subject = models.CharField(_("ämne"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("html"), blank=True)
    about_text = models.CharField(_("gäller"), max_length=200, blank=True)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("meddelande"),
    )

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient_key", "period"], name="notice_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["frequency", "message"], name="notice_pending_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} → {self.to_address}"


class NoticePreference(models.Model):
    """How often a user wants a kind of notice; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("användare"),
    )
    kind = models.CharField(_("typ"), max_length=40)
    frequency = models.CharField(_("hur ofta"), max_length=12)
    changed = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("aviseringsval")
        verbose_name_plural = _("aviseringsval")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.frequency}"


class AddressOptOut(models.Model):
    """An address without an account that asked not to get a kind of notice again (a
    respondent's reminders, an owner's action items)."""

    address = models.EmailField(_("e-postadress"))
    kind = models.CharField(_("typ"), max_length=40)
    created = models.DateTimeField(_("avregistrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("avregistrerad adress")
        verbose_name_plural = _("avregistrerade adresser")
        constraints = [
            models.UniqueConstraint(fields=["address", "kind"], name="address_opt_out_unique")
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.kind}"
