"""Meetings across organisations: SIP, SamSIP, network meetings, joint planning meetings
and joint case reviews (ärendegenomgång). One model with kinds; each kind has its own
checklist and rules (see `rules.py`).

A SIP follows the seed's checklist: the person is asked whether they want one, at most
three life areas are chosen, the SIP consent is signed before invitations go out, every
party and the person get an invitation letter (kallelse), an interpreter is booked, what
each party said and who is responsible for what is written down, the follow-up meeting
is booked, every party signs and gets a copy, and the record stays with the case.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit
from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel
from sia.people.models import Language


class LifeArea(models.TextChoices):
    """The questions a SIP deals with (livsområden)."""

    PHYSICAL_HEALTH = "physical_health", _("Fysisk hälsa")
    MENTAL_HEALTH = "mental_health", _("Psykisk hälsa")
    WORK = "work", _("Arbete och sysselsättning")
    EDUCATION = "education", _("Utbildning och SFI")
    HOUSING = "housing", _("Boende")
    ECONOMY = "economy", _("Ekonomi och försörjning")
    FAMILY = "family", _("Familj och relationer")
    DAILY_LIFE = "daily_life", _("Vardag och fritid")
    AUTHORITIES = "authorities", _("Kontakter med myndigheter och vård")


class Meeting(TimeStampedModel):
    """One meeting across organisations, about one case or (case review) many."""

    class Kind(models.TextChoices):
        SIP = "sip", _("SIP (samordnad individuell plan)")
        SAMSIP = "samsip", _("SamSIP")
        NETWORK = "network", _("Nätverksmöte")
        JOINT_PLANNING = "joint_planning", _("Gemensamt planeringsmöte")
        CASE_REVIEW = "case_review", _("Ärendegenomgång")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        INVITED = "invited", _("Kallelser skickade")
        HELD = "held", _("Genomfört")
        SIGNED = "signed", _("Signerat av alla")
        CANCELLED = "cancelled", _("Inställt")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("På plats")
        DIGITAL = "digital", _("Digitalt")
        PHONE = "phone", _("Telefon")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("typ av möte"), max_length=16, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collaboration_meetings",
        verbose_name=_("ärende"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("sammankallande enhet")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    purpose = models.TextField(_("syfte"), blank=True)
    person_wants_sip = models.BooleanField(_("personen vill ha en SIP"), null=True, blank=True)
    life_areas = models.JSONField(_("livsområden"), default=list, blank=True)
    consent = models.ForeignKey(
        "consent.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("samtycke till SIP"),
    )
    starts_at = models.DateTimeField(_("tid"))
    minutes = models.PositiveIntegerField(_("längd (minuter)"), default=90)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    mode = models.CharField(_("form"), max_length=16, choices=Mode.choices, default=Mode.ON_SITE)
    agenda = models.TextField(_("dagordning"), blank=True)
    preparations = models.TextField(_("underlag att samla in"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    invitations_sent_at = models.DateTimeField(_("kallelser skickade"), null=True, blank=True)
    held_on = models.DateField(_("hölls"), null=True, blank=True)
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("antecknare"),
    )
    notes = models.TextField(_("minnesanteckningar"), blank=True)
    overall_responsible = models.ForeignKey(
        "MeetingParty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("övergripande ansvar"),
    )
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("uppföljning av"),
    )
    follow_up_convened_by = models.ForeignKey(
        "MeetingParty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppföljningen sammankallas av"),
    )
    follow_up_not_needed = models.BooleanField(_("ingen uppföljning behövs"), default=False)
    cancelled_reason = models.TextField(_("orsak till inställt möte"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapat av"),
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("samverkansmöte")
        verbose_name_plural = _("samverkansmöten")
        indexes = [
            models.Index(fields=["case", "starts_at"]),
            models.Index(fields=["unit", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class MeetingParty(TimeStampedModel):
    """Someone taking part: the person, a staff member, or a named party outside SIA."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Personen själv")
        STAFF = "staff", _("Medarbetare i SIA")
        EXTERNAL = "external", _("Annan part")

    class SignatureMethod(models.TextChoices):
        IN_SYSTEM = "in_system", _("Signerat i systemet")
        ON_PAPER = "on_paper", _("Signerat på papper")

    class CopyMethod(models.TextChoices):
        HANDED_OVER = "handed_over", _("Överlämnad på mötet")
        POST = "post", _("Post")
        IN_SYSTEM = "in_system", _("I systemet")
        SECURE_EMAIL = "secure_email", _("Säker e-post")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="parties", verbose_name=_("möte")
    )
    kind = models.CharField(_("typ av part"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_parties",
        verbose_name=_("medarbetare"),
    )
    name = models.CharField(_("namn"), max_length=200)
    function = models.CharField(_("funktion"), max_length=200, blank=True)
    invitation_language = models.CharField(
        _("kallelsens språk"), max_length=8, choices=Language.choices, blank=True
    )
    invited_at = models.DateTimeField(_("kallad"), null=True, blank=True)
    attended = models.BooleanField(_("närvarade"), null=True, blank=True)
    statement = models.TextField(_("partens synpunkter"), blank=True)
    responsibility = models.TextField(_("ansvarar för"), blank=True)
    signed_at = models.DateTimeField(_("signerat"), null=True, blank=True)
    signature_method = models.CharField(
        _("signerat hur"), max_length=16, choices=SignatureMethod.choices, blank=True
    )
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signering registrerad av"),
    )
    copy_sent_on = models.DateField(_("kopia lämnad"), null=True, blank=True)
    copy_method = models.CharField(
        _("kopia lämnad hur"), max_length=16, choices=CopyMethod.choices, blank=True
    )

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("part i möte")
        verbose_name_plural = _("parter i möte")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meeting_party_unique_user",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(kind="person"),
                name="meeting_party_one_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InterpreterBooking(TimeStampedModel):
    """The interpreter for a meeting: language, on site or by phone, and the briefing."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("Platstolk")
        PHONE = "phone", _("Telefontolk")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Beställd")
        CONFIRMED = "confirmed", _("Bekräftad")
        CANCELLED = "cancelled", _("Avbokad")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.PROTECT,
        related_name="interpreter_booking",
        verbose_name=_("möte"),
    )
    language = models.CharField(_("språk"), max_length=8, choices=Language.choices)
    mode = models.CharField(_("typ av tolk"), max_length=16, choices=Mode.choices)
    same_interpreter_preferred = models.BooleanField(
        _("samma tolk som tidigare önskas"), default=True
    )
    interpreter_reference = models.CharField(
        _("tolkens namn eller nummer hos tolkförmedlingen"), max_length=200, blank=True
    )
    briefing_notes = models.TextField(
        _("introduktion till tolken"),
        blank=True,
        help_text=_("Begrepp och upplägg som tolken behöver känna till före mötet."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bokad av"),
    )

    class Meta:
        verbose_name = _("tolkbokning")
        verbose_name_plural = _("tolkbokningar")

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_mode_display()})"


class AgendaItem(TimeStampedModel, Versioned):
    """A point on the agenda; in a case review, one case with the decision taken on it.

    Decisions that need doing become `teamwork.TeamTask` rows pointing here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("möte")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ärende"),
    )
    topic = models.CharField(_("punkt"), max_length=300)
    decision = models.TextField(_("beslut"), blank=True)

    class Meta:
        ordering = ["meeting", "order", "created_at"]
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("dagordning")

    def __str__(self) -> str:
        return self.topic
