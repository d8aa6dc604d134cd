"""A checked import file waiting for its owner's confirmation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.core.models import TimeStampedModel


class PendingImport(TimeStampedModel):
    """The bytes of a file that passed the check, kept until confirmed or expired.

    Kept in the database, not in the process or the session, so that any worker can
    confirm it. The digest ties the confirmation to exactly the bytes that were checked;
    the file's name is not kept (it may itself be personal data).
    """

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    kind = models.CharField(_("filtyp"), max_length=8, choices=Kind.choices)
    content = models.BinaryField(_("innehåll"))
    digest = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    row_count = models.PositiveIntegerField(_("antal rader"))
    expires_at = models.DateTimeField(_("gäller till"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("väntande import")
        verbose_name_plural = _("väntande importer")
        indexes = [models.Index(fields=["owner", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.row_count})"
