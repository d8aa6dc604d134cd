"""The SIA step records: alignment (with requested documents and referrals), guidance
meeting, first visit and the call-in of the standby guide.

Records that are signed (`SignedRecord`) are never changed once saved: a correction is
a new record that points at the one it replaces, and both stay in the case's history.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel
from sia.people.models import Language
from sia.process.models import CatalogueItem


class SignedRecord(TimeStampedModel):
    """A dated record signed by its author; corrections are new records (`supersedes`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("ärende")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signerad av"),
    )
    signed_at = models.DateTimeField(_("signerad"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ersätter"),
    )

    class Meta:
        abstract = True
        ordering = ["-signed_at"]


class Alignment(SignedRecord):
    """SIA-avstämning: the SIA group's meeting without the client."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("SIA-avstämning")
        TRANSFER = "transfer", _("SIA-avstämning vid överföring")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.INITIAL)
    held_on = models.DateField(_("hölls"))
    info_for_guide = models.TextField(
        _("information som samhällsvägledaren ska ge"),
        blank=True,
        help_text=_("Det socialsekreteraren vill att samhällsvägledaren tar upp med personen."),
    )
    first_visit_at = models.DateTimeField(_("överenskommen tid för nybesök"), null=True, blank=True)
    first_visit_minutes = models.PositiveIntegerField(_("nybesökets längd (minuter)"), default=60)
    standby_guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samhällsvägledare i beredskap"),
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta(SignedRecord.Meta):
        verbose_name = _("SIA-avstämning")
        verbose_name_plural = _("SIA-avstämningar")
        indexes = [models.Index(fields=["standby_guide", "first_visit_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class DocumentRequest(TimeStampedModel, Versioned):
    """One item of the case's list of requested documents (begäran om handlingar)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        RECEIVED = "received", _("Inlämnad")
        NOT_NEEDED = "not_needed", _("Behövs inte")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="document_requests",
        verbose_name=_("ärende"),
    )
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    status_date = models.DateField(_("datum"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        ordering = ["case", "item__order"]
        verbose_name = _("begärd handling")
        verbose_name_plural = _("begärda handlingar")
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="document_request_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item.label}: {self.get_status_display()}"


class Referral(TimeStampedModel):
    """A need for help to be opened at another unit, and how the referral goes."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Behov identifierat")
        SENT = "sent", _("Aktualiserad hos enheten")
        ACCEPTED = "accepted", _("Mottagen")
        DECLINED = "declined", _("Avböjd")
        CLOSED = "closed", _("Avslutad")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("ärende")
    )
    alignment = models.ForeignKey(
        Alignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("avstämning"),
    )
    to_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("till enhet"),
    )
    to_unit_name = models.CharField(
        _("till enhet (fritext)"),
        max_length=200,
        blank=True,
        help_text=_("Om enheten saknas i SIA."),
    )
    need = models.TextField(_("behov"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    status_date = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("remiss till annan enhet")
        verbose_name_plural = _("remisser till andra enheter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_unit__isnull=False) | ~models.Q(to_unit_name=""),
                name="referral_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_unit.name if self.to_unit else self.to_unit_name}"


class MeetingMode(models.TextChoices):
    ON_SITE = "on_site", _("På plats")
    PHONE = "phone", _("Per telefon")


class GuidanceMeeting(TimeStampedModel):
    """Samhällsvägledningsmöte (SVA): the booking, and once held, its signed record."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Bokat")
        HELD = "held", _("Genomfört")
        CANCELLED = "cancelled", _("Inställt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="guidance_meetings",
        verbose_name=_("ärende"),
    )
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("samhällsvägledare"),
    )
    starts_at = models.DateTimeField(_("tid"))
    duration_minutes = models.PositiveIntegerField(_("längd (minuter)"), default=60)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    mode = models.CharField(_("form"), max_length=16, choices=MeetingMode.choices)
    interpreter_needed = models.BooleanField(_("tolk behövs"), default=False)
    interpreter_language = models.CharField(
        _("tolkspråk"), max_length=8, choices=Language.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bokat av"),
    )
    # The record, written once when the meeting has been held.
    covered_topics = models.JSONField(_("genomgångna punkter"), default=list, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )
    recorded_at = models.DateTimeField(_("dokumenterat"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("samhällsvägledningsmöte")
        verbose_name_plural = _("samhällsvägledningsmöten")
        indexes = [models.Index(fields=["guide", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interpreter_needed=False) | ~models.Q(interpreter_language=""),
                name="guidance_interpreter_has_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Samhällsvägledningsmöte')} {self.starts_at:%Y-%m-%d %H:%M}"


class FirstVisit(SignedRecord):
    """Nybesök (IB:3): the in-depth assessment, answers keyed by the template's items."""

    held_at = models.DateTimeField(_("hölls"))
    answers = models.JSONField(_("kartläggning"), default=dict, blank=True)
    continuing_support_need = models.BooleanField(_("fortsatt stödbehov"), default=False)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta(SignedRecord.Meta):
        verbose_name = _("nybesök")
        verbose_name_plural = _("nybesök")

    def __str__(self) -> str:
        return f"{_('Nybesök')} {self.held_at:%Y-%m-%d}"


class GuideCall(TimeStampedModel):
    """The social worker calls the standby guide into the first visit; the guide answers."""

    class Answer(models.TextChoices):
        ON_MY_WAY = "on_my_way", _("Jag kommer")
        CANNOT = "cannot", _("Kan inte komma")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="guide_calls", verbose_name=_("ärende")
    )
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="guide_calls",
        verbose_name=_("samhällsvägledare"),
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kallad av"),
    )
    message = models.CharField(_("meddelande"), max_length=200, blank=True)
    answer = models.CharField(_("svar"), max_length=16, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("besvarat"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inkallning av samhällsvägledare")
        verbose_name_plural = _("inkallningar av samhällsvägledare")
        indexes = [models.Index(fields=["guide", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.guide} {self.created_at:%Y-%m-%d %H:%M}"
