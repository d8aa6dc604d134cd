"""Group activities: a series of sessions (e.g. Hälsoskola 10–12, Fördjupad kartläggning
och vägledning 4, Socialförsäkring och jämställdhet 8), each held twice – morning and
afternoon – so nobody misses SFI, with enrolment after an information meeting, attendance
per session and a short evaluation note per session.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit
from sia.core.models import TimeStampedModel

DEFAULT_CAPACITY = 12


class GroupSeries(TimeStampedModel):
    """A series of group sessions run by one unit with facilitators from several bodies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="group_series",
        verbose_name=_("ansvarig enhet"),
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="+", blank=True, verbose_name=_("medverkande organisationer")
    )
    capacity = models.PositiveSmallIntegerField(_("antal platser"), default=DEFAULT_CAPACITY)
    interpreter_languages = models.JSONField(_("tolkspråk"), default=list, blank=True)
    info_meeting_at = models.DateTimeField(_("informationsmöte"), null=True, blank=True)
    info_meeting_place = models.CharField(
        _("plats för informationsmöte"), max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapad av"),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("gruppaktivitet")
        verbose_name_plural = _("gruppaktiviteter")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="group_capacity_min"),
        ]

    def __str__(self) -> str:
        return self.title


class GroupSession(TimeStampedModel):
    """One session of a series, held on one day in a morning and an afternoon run."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(
        GroupSeries, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("serie")
    )
    number = models.PositiveSmallIntegerField(_("tillfälle nummer"))
    topic = models.CharField(_("tema"), max_length=200)
    held_on = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200)
    morning_starts = models.TimeField(_("förmiddag börjar"), null=True, blank=True)
    morning_ends = models.TimeField(_("förmiddag slutar"), null=True, blank=True)
    afternoon_starts = models.TimeField(_("eftermiddag börjar"), null=True, blank=True)
    afternoon_ends = models.TimeField(_("eftermiddag slutar"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("ledare")
    )
    external_facilitators = models.CharField(
        _("andra ledare"),
        max_length=300,
        blank=True,
        help_text=_("Ledare utan konto i SIA, med organisation, t.ex. 'Anna, SFI'."),
    )
    evaluation_note = models.TextField(_("utvärdering av tillfället"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utvärderat av"),
    )

    class Meta:
        ordering = ["series", "number"]
        verbose_name = _("tillfälle")
        verbose_name_plural = _("tillfällen")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="group_session_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class GroupEnrolment(TimeStampedModel):
    """A case's place in a series: invited, at the information meeting, then in or out."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Inbjuden till informationsmöte")
        INFORMED = "informed", _("Har deltagit i informationsmöte")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Tackat nej")
        LEFT = "left", _("Avbrutit")

    class Run(models.TextChoices):
        MORNING = "morning", _("Förmiddag")
        AFTERNOON = "afternoon", _("Eftermiddag")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(
        GroupSeries, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("serie")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="group_enrolments",
        verbose_name=_("ärende"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    preferred_run = models.CharField(_("föredrar"), max_length=16, choices=Run.choices, blank=True)
    interpreter_language = models.CharField(_("tolkspråk"), max_length=8, blank=True)
    decided_on = models.DateField(_("beslutat"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        ordering = ["series", "created_at"]
        verbose_name = _("deltagare i gruppaktivitet")
        verbose_name_plural = _("deltagare i gruppaktivitet")
        constraints = [
            models.UniqueConstraint(fields=["series", "case"], name="group_enrolment_unique"),
        ]

    def __str__(self) -> str:
        return str(self.get_status_display())


class Attendance(TimeStampedModel):
    """Whether an accepted participant came to a session, and to which run."""

    session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("tillfälle"),
    )
    enrolment = models.ForeignKey(
        GroupEnrolment,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("deltagare"),
    )
    run = models.CharField(_("pass"), max_length=16, choices=GroupEnrolment.Run.choices, blank=True)
    present = models.BooleanField(_("närvarande"))
    wants_follow_up = models.BooleanField(_("önskar individuell uppföljning"), default=False)
    follow_up_task = models.ForeignKey(
        "teamwork.TeamTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppföljningsuppgift"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique"),
            models.CheckConstraint(
                condition=~models.Q(present=True, run=""), name="attendance_present_has_run"
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)
