"""The case (ärende) about one newcomer, and the staff on its case team."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, Unit
from sia.core.models import TimeStampedModel
from sia.people.models import Person


def case_reference(case_id: uuid.UUID) -> str:
    """The short reference of the case with this id (its UUID's first eight characters)."""
    return str(case_id)[:8].upper()


class Case(TimeStampedModel):
    """A newcomer's case in one owning unit, from first contact to closing."""

    class Stage(models.TextChoices):
        INTAKE = "intake", _("Aktualiserad")
        ALIGNMENT = "alignment", _("SIA-avstämning")
        GUIDANCE = "guidance", _("Samhällsvägledning")
        FIRST_VISIT = "first_visit", _("Nybesök")
        PLAN = "plan", _("SIA-plan")
        FOLLOW_UP = "follow_up", _("Uppföljning")
        ASSESSMENT = "assessment", _("Utredningsgruppen")
        CLOSED = "closed", _("Avslutat")

    class ClosingReason(models.TextChoices):
        SELF_SUFFICIENT = "self_sufficient", _("Egen försörjning")
        MOVED = "moved", _("Flyttat från kommunen")
        TRANSFERRED = "transferred", _("Överfört till annan enhet")
        DECLINED = "declined", _("Tackat nej till stöd")
        NOT_ELIGIBLE = "not_eligible", _("Tillhör inte målgruppen")
        OTHER = "other", _("Annat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    owning_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("ansvarig enhet")
    )
    stage = models.CharField(_("steg"), max_length=16, choices=Stage.choices, default=Stage.INTAKE)
    first_contact_date = models.DateField(_("aktualiseringsdatum"))
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    closing_reason = models.CharField(
        _("avslutsorsak"), max_length=32, choices=ClosingReason.choices, blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aktualiserat av"),
    )

    class Meta:
        ordering = ["-first_contact_date", "-created_at"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [
            models.Index(fields=["owning_unit", "stage"]),
            models.Index(fields=["first_contact_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | ~models.Q(closing_reason=""),
                name="case_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="closed", closed_on__isnull=False)
                | (~models.Q(stage="closed") & models.Q(closed_on__isnull=True)),
                name="case_closed_stage_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Ärende')} {self.reference}"

    @property
    def reference(self) -> str:
        """A short reference for speech and print; the full UUID identifies the case."""
        return case_reference(self.id)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class TeamFunction(models.TextChoices):
    """What a member does on a team across organisations; their casework role stays theirs."""

    SOCIAL_WORKER = "social_worker", _("Socialsekreterare")
    COMMUNITY_GUIDE = "community_guide", _("Samhällsvägledare")
    SUPERVISOR = "supervisor", _("Handledare")
    PSYCHOLOGIST = "psychologist", _("Psykolog")
    PHYSIOTHERAPIST = "physiotherapist", _("Sjukgymnast/arbetsterapeut")
    SOCIAL_CONSULTANT = "social_consultant", _("Socialkonsulent")
    SIUS_CONSULTANT = "sius_consultant", _("SIUS-konsulent")
    EMPLOYMENT_OFFICER = "employment_officer", _("Arbetsförmedlare")
    FK_CASEWORKER = "fk_caseworker", _("Handläggare, Försäkringskassan")
    REHAB_COORDINATOR = "rehab_coordinator", _("Rehabkoordinator")
    COORDINATOR = "coordinator", _("Samordnare")
    OTHER = "other", _("Annan funktion")


class CaseTeamMember(TimeStampedModel):
    """A member of staff on a case's team, with the role they have on it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="team", verbose_name=_("ärende")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("medarbetare"),
    )
    role = models.CharField(_("roll i ärendet"), max_length=40, choices=Role.choices)
    function = models.CharField(
        _("funktion i teamet"), max_length=32, choices=TeamFunction.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhet")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tillagd av"),
    )
    left_at = models.DateTimeField(_("lämnade ärendet"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("medlem i ärendeteam")
        verbose_name_plural = _("ärendeteam")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "role"],
                condition=models.Q(left_at__isnull=True),
                name="case_team_active_member_unique",
            ),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class EmergencyAccess(TimeStampedModel):
    """Time-limited access (nödåtkomst) a caseworker took to a case outside their scope,
    with the reason they gave, until a deputy manager of the owning unit has reviewed it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("medarbetare"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="emergency_accesses", verbose_name=_("ärende")
    )
    reason = models.TextField(_("skäl"))
    granted_at = models.DateTimeField(_("beviljad"))
    expires_at = models.DateTimeField(_("upphör"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    review_note = models.TextField(_("kommentar vid granskning"), blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")
        # visible_cases asks, on every request, whether an unexpired row exists for
        # (user, case): this index answers it.
        indexes = [models.Index(fields=["user", "case", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="emergency_access_expires_after_grant",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | models.Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="emergency_access_review_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.case} ({self.granted_at:%Y-%m-%d %H:%M})"
