from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    modified = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uppladdad – välj kolumner")
    CHECKING = "checking", _("Kontrolleras")
    CHECKED = "checked", _("Kontrollerad – väntar på bekräftelse")
    IMPORTING = "importing", _("Importeras")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Allt eller inget: importera bara om varje rad är godkänd")
    VALID_ROWS = "valid_rows", _("Importera de godkända raderna och rapportera resten")


class ImportJob(models.Model):
    """One file on its way in: uploaded, mapped, checked (a dry run), then written. The file
    is kept in the database, so any app server or task worker can read it."""

    kind = models.CharField(_("typ"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("uppladdad av"),
    )
    created = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    filename = models.CharField(_("filnamn"), max_length=255)
    content = models.BinaryField(_("innehåll"))
    sheet = models.CharField(_("blad"), max_length=100, blank=True)
    sheet_names = models.JSONField(_("blad i filen"), default=list)
    headers = models.JSONField(_("kolumnrubriker"), default=list)
    #: Column index (as text, JSON keys are text) → field key.
    mapping = models.JSONField(_("kolumnmatchning"), default=dict)
    options = models.JSONField(_("val"), default=dict)
    mode = models.CharField(
        _("läge"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress_done = models.PositiveIntegerField(_("bearbetade rader"), default=0)
    progress_total = models.PositiveIntegerField(_("rader totalt"), default=0)
    report = models.JSONField(_("rapport"), default=dict, blank=True)
    error = models.TextField(_("fel"), blank=True)
    finished = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in {ImportStatus.CHECKING, ImportStatus.IMPORTING}

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class Heartbeat(models.Model):
    """One row that ``/healthz`` writes on every check: a database that answers reads but
    refuses writes (read-only, locked, out of disk) is not healthy."""

    at = models.DateTimeField(_("senast"))

    class Meta:
        verbose_name = _("livstecken")
        verbose_name_plural = _("livstecken")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}"


class RateLimitHit(models.Model):
    """One counted request against a rate limit (``core/ratelimit.py``). The client (an
    address, an e-mail, a token) is kept only as a keyed hash, never in the clear, and old
    rows are pruned by ``redthread apply_retention``, not on the request path."""

    bucket = models.CharField(_("gräns"), max_length=40)
    key_hash = models.CharField(_("nyckel (hash)"), max_length=64)
    at = models.DateTimeField(_("tid"), db_index=True)

    class Meta:
        verbose_name = _("räknat anrop")
        verbose_name_plural = _("räknade anrop")
        indexes = [models.Index(fields=["bucket", "key_hash", "at"], name="core_ratelimit_lookup")]

    def __str__(self) -> str:
        return f"{self.bucket} {self.at.isoformat()}"
