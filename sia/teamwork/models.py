"""Work shared by a case team across organisations: the one action plan of tasks, each
owned by an organisation, and consultations with specialists (also about people who are
not enrolled, then without any personal data).

Members themselves are `cases.CaseTeamMember` rows, with their team function.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation
from sia.cases.models import TeamFunction
from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel


class TeamTask(TimeStampedModel, Versioned):
    """A task of the case's shared action plan, owned by one organisation (and person)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ej påbörjad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    class Source(models.TextChoices):
        TEAM = "team", _("Teamets handlingsplan")
        MEETING = "meeting", _("Beslut på möte")
        GROUP = "group", _("Önskemål i gruppaktivitet")
        ASSESSMENT = "assessment", _("Kartläggning")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="team_tasks", verbose_name=_("ärende")
    )
    title = models.CharField(_("uppgift"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarig part")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_tasks",
        verbose_name=_("ansvarig person"),
    )
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("klar"), null=True, blank=True)
    source = models.CharField(_("ursprung"), max_length=16, choices=Source.choices)
    # Where the task was decided, when it came from a meeting's agenda item.
    agenda_item = models.ForeignKey(
        "collaboration.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("beslutad under punkt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapad av"),
    )

    class Meta:
        ordering = ["status", "due_on", "created_at"]
        verbose_name = _("uppgift i handlingsplanen")
        verbose_name_plural = _("handlingsplan")
        indexes = [
            models.Index(fields=["case", "status"]),
            models.Index(fields=["owner", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class Consultation(TimeStampedModel):
    """A question to a specialist inside the team; about an enrolled case or anonymous.

    An anonymous consultation (no case) must hold no personal data: only a description
    of the situation, which the form warns about.
    """

    class Status(models.TextChoices):
        ASKED = "asked", _("Ställd")
        ANSWERED = "answered", _("Besvarad")
        WITHDRAWN = "withdrawn", _("Återtagen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("ärende"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("frågeställare"),
    )
    specialist_function = models.CharField(
        _("specialistfunktion"), max_length=32, choices=TeamFunction.choices
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations_to_answer",
        verbose_name=_("specialist"),
    )
    question = models.TextField(_("fråga"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ASKED
    )
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvarad av"),
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("konsultation")
        verbose_name_plural = _("konsultationer")
        indexes = [models.Index(fields=["specialist", "status"])]

    def __str__(self) -> str:
        return f"{self.get_specialist_function_display()}: {self.get_status_display()}"

    @property
    def is_anonymous(self) -> bool:
        return self.case_id is None
