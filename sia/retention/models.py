"""The disposal log (gallringslogg): what each run of the retention job disposed of.

The log holds no personal content: no names, no identity numbers, no case references
and no row ids, only the rule applied and how many records of each type went or stayed.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisposalRun(models.Model):
    """One run of the retention job, real or dry, with the rule it applied."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(_("körd"), auto_now_add=True, db_index=True)
    applied_on = models.DateField(_("regeln tillämpad per"))
    dry_run = models.BooleanField(_("provkörning"))
    ran_by = models.CharField(_("körd av"), max_length=150)
    retention_years = models.PositiveSmallIntegerField(_("gallringsfrist (år)"))
    audit_retention_years = models.PositiveSmallIntegerField(_("loggens bevarandetid (år)"))
    kept_record_types = models.JSONField(_("undantagna uppgiftstyper"), default=list)
    research_days = models.JSONField(_("forskningsundantagets födelsedagar"), default=list)
    persons_disposed = models.PositiveIntegerField(_("personer gallrade"))
    persons_research = models.PositiveIntegerField(_("personer sparade för forskning"))
    persons_failed = models.PositiveIntegerField(_("personer där gallringen misslyckades"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")

    def __str__(self) -> str:
        return f"{self.applied_on.isoformat()} ({self.ran_by})"


class DisposalCount(models.Model):
    """How many records of one type a run disposed of (or would have), and how many it kept."""

    run = models.ForeignKey(
        DisposalRun, on_delete=models.CASCADE, related_name="counts", verbose_name=_("körning")
    )
    record_type = models.CharField(_("uppgiftstyp"), max_length=100)
    disposed = models.PositiveIntegerField(_("gallrade"))
    kept = models.PositiveIntegerField(_("sparade enligt undantag"))

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("antal per uppgiftstyp")
        verbose_name_plural = _("antal per uppgiftstyp")
        constraints = [
            models.UniqueConstraint(fields=["run", "record_type"], name="disposal_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.disposed}"
