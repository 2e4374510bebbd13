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
