"""The settlement unit's housing tasks per household (lease, keys, home insurance,
allocation of the flat, moves, inspection, fault reports, furniture for quota refugees,
housing information), from a configurable checklist (`process.Catalogue` of kind housing).

A household is kept on its head: the person whose case the settlement unit serves; the
relatives come from `people.HouseholdLink`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel


class HousingTask(TimeStampedModel, Versioned):
    """One housing task of a household, with its status and the day it got it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")
        NOT_NEEDED = "not_needed", _("Behövs inte")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="housing_tasks",
        verbose_name=_("hushåll (huvudperson)"),
    )
    item = models.ForeignKey(
        "process.CatalogueItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppgift"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    status_date = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        ordering = ["household", "item__order"]
        verbose_name = _("bostadsuppgift")
        verbose_name_plural = _("bostadsuppgifter")
        constraints = [
            models.UniqueConstraint(fields=["household", "item"], name="housing_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"
