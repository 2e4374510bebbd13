"""The log ("Loggen"): posts written in Markdown by editors and the program office,
reviewed and published by the office, read by everyone once their time has come."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    REVIEW = "review", _("Under granskning")
    PUBLISHED = "published", _("Publicerad")
    UNPUBLISHED = "unpublished", _("Avpublicerad")


class Author(TimeStampedModel):
    """The person a post is signed by. Usually a user; the log's earlier writers need not
    have an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_author",
        verbose_name=_("användare"),
    )
    name = models.CharField(_("namn i bylinen"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    photo = models.ImageField(
        _("foto"),
        upload_to="journal/authors/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    photo_alt = models.CharField(_("alternativtext till fotot"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skribent")
        verbose_name_plural = _("skribenter")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A free theme a post is tagged with ("automation", "jämställdhet")."""

    name = models.CharField(_("namn"), max_length=80)
    slug = models.SlugField(_("kortadress"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PostQuerySet(models.QuerySet["Post"]):
    def live(self, now: datetime.datetime | None = None) -> PostQuerySet:
        """What the public reads: published, and its publishing time has come."""
        return self.filter(status=PostStatus.PUBLISHED, publish_at__lte=now or timezone.now())

    def visible_to(self, user: RequestUser) -> PostQuerySet:
        """The office sees every post; an editor sees the live ones and its own; everyone
        else, anonymous visitors included, the live ones."""
        if predicates.is_program_office(user):
            return self.all()
        live = Q(status=PostStatus.PUBLISHED, publish_at__lte=timezone.now())
        if predicates.is_editor(user):
            return self.filter(live | Q(created_by=user) | Q(author__user=user))
        return self.filter(live)


class Post(TimeStampedModel):
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(
        _("kortadress"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("Det finns redan ett inlägg med den kortadressen.")},
        help_text=_("Blir adressen: /loggen/kortadress/. Små bokstäver, siffror och bindestreck."),
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="posts", verbose_name=_("skribent")
    )
    lead = models.TextField(_("ingress"), max_length=600)
    body = models.TextField(_("brödtext"), help_text=_("Markdown."))
    initiatives = models.ManyToManyField(
        "methodology.Initiative", related_name="posts", blank=True, verbose_name=_("satsningar")
    )
    modules = models.ManyToManyField(
        "methodology.MethodModule",
        related_name="posts",
        blank=True,
        verbose_name=_("metodmoduler"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="posts", blank=True, verbose_name=_("teman")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publiceras"),
        null=True,
        blank=True,
        help_text=_("Tom: publiceras när inlägget godkänns. En senare tid: schemaläggs."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="journal_posts",
        verbose_name=_("skapad av"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )

    history = HistoricalRecords(m2m_fields=[initiatives, modules, themes])

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="journal_post_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("journal:post_detail", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def tag_names(self) -> list[Any]:
        """Every tag, in the order the page shows them (uses prefetched relations)."""
        return [*self.initiatives.all(), *self.modules.all(), *self.themes.all()]


class PostImage(TimeStampedModel):
    """A picture in a post, shown as a figure after the lead, with the text that says what
    it shows to whoever cannot see it."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="images", verbose_name=_("inlägg")
    )
    image = models.ImageField(
        _("bild"),
        upload_to="journal/posts/",
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    alt = models.CharField(
        _("alternativtext"),
        max_length=300,
        help_text=_("Vad bilden visar, för den som inte ser den."),
    )
    caption = models.CharField(_("bildtext"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )

    class Meta:
        verbose_name = _("bild i inlägg")
        verbose_name_plural = _("bilder i inlägg")
        ordering = ["post", "created", "pk"]

    def __str__(self) -> str:
        return self.alt

    def get_absolute_url(self) -> str:
        return reverse("journal:post_image", kwargs={"pk": self.pk})


class PageSlug(models.TextChoices):
    """The site's editable pages: each has its own address (``PAGE_URLS``)."""

    ABOUT = "om", _("Om programmet")
    CONTACT = "kontakt", _("Kontakt")
    ACCESSIBILITY = "tillganglighet", _("Tillgänglighetsredogörelse")


class PageQuerySet(models.QuerySet["Page"]):
    def visible_to(self, user: RequestUser) -> PageQuerySet:
        """The writers see every page with its working copy; what the public reads is the
        published copy of a published page (:meth:`live`)."""
        if predicates.is_program_office(user) or predicates.is_editor(user):
            return self.all()
        return self.live()

    def live(self) -> PageQuerySet:
        return self.filter(published_at__isnull=False)


class Page(TimeStampedModel):
    """An editable page of the public site (about, the contact page's introduction, the
    accessibility statement). It keeps two copies: the working copy the writers edit and
    preview, and the copy the office published, which the public reads; so correcting a
    published page never takes it offline, and nothing shows before the office says so."""

    slug = models.CharField(
        _("sida"), max_length=40, choices=PageSlug.choices, unique=True, editable=False
    )
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    published_title = models.CharField(_("publicerad rubrik"), max_length=200, blank=True)
    published_body = models.TextField(_("publicerad text"), blank=True)
    #: None: the page is not published (the public reads the built-in text, if any).
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senast ändrad av"),
    )

    history = HistoricalRecords()

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("sida")
        verbose_name_plural = _("sidor")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title or str(PageSlug(self.slug).label)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_unpublished_changes(self) -> bool:
        """The working copy differs from what the public reads (or nothing is published)."""
        return not self.is_published or (self.title, self.body) != (
            self.published_title,
            self.published_body,
        )


class InquiryKind(models.TextChoices):
    APPLICATION = "application", _("Ansökan till en satsning")
    CONTACT = "contact", _("Meddelande")


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def visible_to(self, user: RequestUser) -> InquiryQuerySet:
        """What visitors send through the public forms is personal data: the office reads
        all of it, a partner's managers what was sent to their partner, no one else any."""
        if predicates.is_program_office(user):
            return self.all()
        if predicates.is_partner_manager(user):
            return self.filter(recipient_id__in=predicates.organisation_ids(user))
        return self.none()


class Inquiry(TimeStampedModel):
    """What a visitor sent through a public form, kept as it was sent: an application to
    an initiative (with the enrolment it became) or a message to the office or a partner."""

    kind = models.CharField(_("typ"), max_length=20, choices=InquiryKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-postadress"))
    organisation_name = models.CharField(
        _("företag eller organisation"), max_length=200, blank=True
    )
    org_number = models.CharField(_("organisationsnummer"), max_length=10, blank=True)
    message = models.TextField(_("meddelande"), blank=True)
    initiative = models.ForeignKey(
        "methodology.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("satsning"),
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppdrag"),
    )
    #: The partner a message is for; none: the program office.
    recipient = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottagare"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    #: The consent the sender ticked under the form's personal-data notice: when.
    consented_at = models.DateTimeField(_("samtycke givet"), null=True, blank=True)
    #: When and by whom it was marked handled (answered, or passed on); None: waiting.
    handled_at = models.DateTimeField(_("hanterat"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hanterat av"),
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inkommet ärende")
        verbose_name_plural = _("inkomna ärenden")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["-created", "-id"], name="journal_inquiry_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("journal:inquiry_detail", kwargs={"pk": self.pk})
