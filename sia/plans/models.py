"""The SIA plan: versions that are proposed and agreed, and the activities they hold.

An agreed version is never changed; a change makes a new version from the latest.
Only an activity's follow-up status moves on the current version.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel
from sia.process.models import CatalogueItem


class SiaPlan(TimeStampedModel, Versioned):
    """One version of a case's SIA plan: the assessment summary and the agreed planning."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Förslag")
        AGREED = "agreed", _("Överenskommen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="plans", verbose_name=_("ärende")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    assessment = models.TextField(_("kartläggning, sammanfattning"), blank=True)
    guidance_needs = models.TextField(
        _("behov av samhällsvägledning framöver"),
        blank=True,
        help_text=_("Till exempel förstärkt bostadsvägledning."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("upprättad av"),
    )
    agreed_at = models.DateTimeField(_("överenskommen"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("överenskommen av"),
    )

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("SIA-plan")
        verbose_name_plural = _("SIA-planer")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="sia_plan_version"),
            models.CheckConstraint(
                condition=models.Q(status="agreed", agreed_at__isnull=False)
                | (~models.Q(status="agreed") & models.Q(agreed_at__isnull=True)),
                name="sia_plan_agreed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('SIA-plan')} v{self.version} ({self.get_status_display()})"


class PlanActivity(TimeStampedModel, Versioned):
    """An activity in a plan version: from the catalogue or free text, with who and when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        SiaPlan, on_delete=models.PROTECT, related_name="activities", verbose_name=_("plan")
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aktivitet ur katalogen"),
    )
    title = models.CharField(_("aktivitet (fritext)"), max_length=200, blank=True)
    responsible = models.CharField(
        _("ansvarig person eller organisation"), max_length=200, blank=True
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig medarbetare"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    target_date = models.DateField(_("måldatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["plan", "order", "created_at"]
        verbose_name = _("aktivitet i SIA-plan")
        verbose_name_plural = _("aktiviteter i SIA-planer")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(catalogue_item__isnull=False) | ~models.Q(title=""),
                name="plan_activity_has_what",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(target_date__isnull=True)
                | models.Q(target_date__gte=models.F("start_date")),
                name="plan_activity_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.title or (self.catalogue_item.label if self.catalogue_item else "")
