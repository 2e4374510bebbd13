from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identity import identity_normalise


class Role(models.TextChoices):
    """The roles of design.md. A user has exactly one; memberships say where it applies."""

    ADMIN = "admin", _("Administratör")
    PROGRAM_MANAGER = "program_manager", _("Programledare")
    PARTNER_MANAGER = "partner_manager", _("Partneransvarig")
    COACH = "coach", _("Coach")
    COMPANY_USER = "company_user", _("Företagsanvändare")
    FUNDER_VIEWER = "funder_viewer", _("Finansiär")
    EDITOR = "editor", _("Redaktör")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are matched in their normalised spelling (see identity.py); the
        # raw spelling too, for an address stored before normalisation (e.g. with "ß").
        raw = (username or "").strip()
        return self.get(
            models.Q(email__iexact=identity_normalise(raw)) | models.Q(email__iexact=raw)
        )

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=identity_normalise(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200, blank=True)
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices, default=Role.COACH)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Only operators reach Django's admin; it is never the product's UI.
    is_staff = models.BooleanField(_("driftpersonal"), default=False)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)
    preferred_language = models.CharField(
        _("språk"), max_length=8, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


class Membership(models.Model):
    """Ties a user to an organisation: a coach or manager to a partner, a company user to
    a company, a funder viewer to a funder. What a role may see is scoped by these."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("användare")
    )
    # A string reference keeps this app free of imports from the registry above it.
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    #: A company user who manages its company's own accounts (invites and removes
    #: colleagues) and its respondents. The office sets it; only companies use it.
    is_manager = models.BooleanField(_("företagets ansvariga"), default=False)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class UserSession(models.Model):
    """A signed-in browser, so that its owner sees where they are signed in and can end
    a session from the profile page. The session itself lives in Django's session store;
    this row names it and is removed when it ends."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("användare")
    )
    session_key = models.CharField(_("sessionsnyckel"), max_length=40, unique=True)
    created = models.DateTimeField(_("inloggad"), default=timezone.now)
    user_agent = models.CharField(_("webbläsare"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    class Meta:
        verbose_name = _("inloggning")
        verbose_name_plural = _("inloggningar")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.created:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal access token for the JSON API: it acts as its owner, with the owner's
    role and scope, read-only unless it may write, until it expires or is revoked. Only
    the SHA-256 of the secret is stored; the secret is shown once, when it is made, and
    ``prefix`` (its first characters) lets the owner tell tokens apart afterwards."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("användare")
    )
    name = models.CharField(_("namn"), max_length=60)
    prefix = models.CharField(_("början"), max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(_("får ändra"), default=False)
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    expires_at = models.DateTimeField(_("gäller till"))
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
