"""Journal notes (journalanteckningar) on a case, and the person's objections to them.

A note carries two times: when what it notes happened (händelsetid) and when it was
written (dokumentationstid, set by the server). It is signed by its author in the role and
unit they wrote in, and it is never changed or removed: a correction is a new note that
points at the one it corrects, which stays readable. The person's objection (avvikande
mening) is attached to a note in their own words and is append-only too.

Append-only is enforced on the model and its querysets, as for the audit trail; disposal
(gallring) is its own process and does not go through `delete()`. The notes have no
`updated_at`: a row is never updated.
"""

import uuid
from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, Unit

APPEND_ONLY = "Journal notes and objections are append-only."

Row = TypeVar("Row", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[Row]):
    """Rows can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row or deleting one is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class JournalEntryQuerySet(AppendOnlyQuerySet["JournalEntry"]):
    """Journal notes: never updated or deleted in bulk."""


class ObjectionQuerySet(AppendOnlyQuerySet["Objection"]):
    """Objections: never updated or deleted in bulk."""


class JournalEntry(AppendOnlyModel):
    """One signed journal note; a correction is a new note that `corrects` an earlier one."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Anteckning")
        PHONE_CALL = "phone_call", _("Telefonsamtal")
        HOME_VISIT = "home_visit", _("Hembesök")
        MEETING = "meeting", _("Möte")
        DECISION_REFERENCE = "decision_reference", _("Beslut (hänvisning)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="journal_entries",
        verbose_name=_("ärende"),
    )
    number = models.PositiveIntegerField(
        _("nummer"), help_text=_("Anteckningens löpnummer i ärendet.")
    )
    occurred_at = models.DateTimeField(
        _("händelsetid"), help_text=_("När det som antecknas hände.")
    )
    written_at = models.DateTimeField(
        _("dokumentationstid"),
        auto_now_add=True,
        help_text=_("När anteckningen skrevs; sätts av systemet."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signerad av"),
    )
    author_role = models.CharField(
        _("roll när anteckningen skrevs"), max_length=40, choices=Role.choices, blank=True
    )
    author_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet när anteckningen skrevs"),
    )
    kind = models.CharField(_("typ"), max_length=24, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("anteckning"))
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("rättar"),
    )
    correction_reason = models.TextField(_("skäl till rättelsen"), blank=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-occurred_at", "-number"]
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        indexes = [models.Index(fields=["case", "occurred_at"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="journal_entry_unique_number"),
            models.CheckConstraint(
                condition=models.Q(occurred_at__lte=models.F("written_at")),
                name="journal_entry_occurred_before_written",
            ),
            models.CheckConstraint(
                condition=(models.Q(corrects__isnull=True) & models.Q(correction_reason=""))
                | (models.Q(corrects__isnull=False) & ~models.Q(correction_reason="")),
                name="journal_entry_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Journalanteckning')} {self.number}"

    @property
    def correction(self) -> "JournalEntry | None":
        """The note that corrects this one, if any (load it with `select_related`)."""
        found: JournalEntry | None = getattr(self, "corrected_by", None)
        return found

    @property
    def correction_id(self) -> uuid.UUID | None:
        """The id of the note that corrects this one, if any."""
        correction = self.correction
        return correction.pk if correction is not None else None


class Objection(AppendOnlyModel):
    """The person's objection (avvikande mening) to a journal note, in their own words."""

    class ReceivedAs(models.TextChoices):
        ORAL = "oral", _("Muntligt")
        WRITTEN = "written", _("Skriftligt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(
        JournalEntry,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("journalanteckning"),
    )
    text = models.TextField(_("personens egna ord"))
    received_as = models.CharField(_("lämnades"), max_length=8, choices=ReceivedAs.choices)
    received_on = models.DateField(_("mottogs"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "recorded_at"]
        verbose_name = _("avvikande mening")
        verbose_name_plural = _("avvikande meningar")

    def __str__(self) -> str:
        return f"{_('Avvikande mening')} {self.received_on:%Y-%m-%d}"
