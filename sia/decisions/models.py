"""Decisions on social and practical support (beslut om insats), the support plan made at
the decision, the provider's log of what was done, follow-up meetings between the social
worker and the provider, and the end of the support.

A decision is a signed record: never changed once made; a correction is a new decision
that points at the one it replaces (`supersedes`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel


class SupportDecision(TimeStampedModel):
    """One decision on support: applied for, decided, why, by whom, and who delivers it."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Beviljat")
        PARTLY = "partly", _("Delvis beviljat")
        REJECTED = "rejected", _("Avslag")

    class LegalBasis(models.TextChoices):
        SOL_4_1 = "sol_4_1", _("4 kap. 1 § SoL (bistånd)")
        SOL_4_2 = "sol_4_2", _("4 kap. 2 § SoL (utöver skälig levnadsnivå)")
        SOL_3_6 = "sol_3_6", _("3 kap. 6 § SoL (serviceinsats)")

    class InformedHow(models.TextChoices):
        MEETING = "meeting", _("Vid möte")
        LETTER = "letter", _("Brev")
        PHONE = "phone", _("Telefon")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="support_decisions",
        verbose_name=_("ärende"),
    )
    applied_for = models.TextField(_("ansökan avser"))
    applied_on = models.DateField(_("ansökan inkom"))
    outcome = models.CharField(_("beslut"), max_length=16, choices=Outcome.choices)
    decided_support = models.TextField(_("beviljad insats"), blank=True)
    legal_basis = models.CharField(_("lagrum"), max_length=16, choices=LegalBasis.choices)
    reasons = models.TextField(_("skäl för beslutet"))
    provider = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ordered_decisions",
        verbose_name=_("utförare"),
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    appeal_notice = models.TextField(_("besvärshänvisning"), blank=True)
    informed_on = models.DateField(_("personen underrättad"), null=True, blank=True)
    informed_how = models.CharField(
        _("underrättad hur"), max_length=16, choices=InformedHow.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beslutsfattare"),
    )
    decided_on = models.DateField(_("beslutsdatum"))
    signed_at = models.DateTimeField(_("signerat"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ersätter"),
    )

    class Meta:
        ordering = ["-decided_on", "-signed_at"]
        verbose_name = _("beslut om insats")
        verbose_name_plural = _("beslut om insats")
        indexes = [models.Index(fields=["provider", "outcome"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="granted") | ~models.Q(appeal_notice=""),
                name="decision_refusal_has_appeal_notice",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="decision_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.decided_on:%Y-%m-%d}"


class SupportPlan(TimeStampedModel):
    """The plan made at the decision: what must work well enough for the support to end,
    and an approximate time plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        SupportDecision,
        on_delete=models.PROTECT,
        related_name="plan",
        verbose_name=_("beslut"),
    )
    time_plan = models.TextField(_("ungefärlig tidsplan"))
    expected_end_on = models.DateField(_("beräknat slut"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("upprättad av"),
    )

    class Meta:
        verbose_name = _("plan för insatsen")
        verbose_name_plural = _("planer för insatser")

    def __str__(self) -> str:
        return str(_("Plan för insatsen"))


class PlanItem(TimeStampedModel, Versioned):
    """One point of the checklist: met (with date) or not yet."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        SupportPlan, on_delete=models.PROTECT, related_name="items", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    label = models.CharField(_("ska fungera"), max_length=300)
    met_on = models.DateField(_("uppfyllt"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("markerat av"),
    )

    class Meta:
        ordering = ["plan", "order", "created_at"]
        verbose_name = _("punkt i checklistan")
        verbose_name_plural = _("checklista")

    def __str__(self) -> str:
        return self.label


class ProviderLogEntry(TimeStampedModel):
    """What the provider did for the person, when and for how long."""

    class Category(models.TextChoices):
        CIVIC_INFORMATION = "civic_information", _("Samhällsinformation med praktiska inslag")
        BUDGET_ADVICE = "budget_advice", _("Ekonomisk rådgivning")
        PHONE_HELP = "phone_help", _("Stöd vid telefonsamtal")
        ACCOMPANY_FK = "accompany_fk", _("Följa med till Försäkringskassan")
        ACCOMPANY_CSN = "accompany_csn", _("Följa med till CSN")
        ACCOMPANY_SKV = "accompany_skv", _("Följa med till Skatteverket")
        ACCOMPANY_AF = "accompany_af", _("Följa med till Arbetsförmedlingen")
        ACCOMPANY_HEALTH = "accompany_health", _("Följa med till vården")
        ACCOMPANY_LANDLORD = "accompany_landlord", _("Följa med till hyresvärd")
        ACCOMPANY_SOCIAL = "accompany_social", _("Följa med till socialförvaltningen")
        TRANSLATION = "translation", _("Översättning")
        FORMS = "forms", _("Hjälp med blanketter och ansökningar")
        ACTIVITIES = "activities", _("Stöd att komma igång med aktiviteter")
        PARENTING = "parenting", _("Föräldrautbildning")
        OTHER = "other", _("Annat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(
        SupportDecision,
        on_delete=models.PROTECT,
        related_name="log_entries",
        verbose_name=_("beslut"),
    )
    performed_on = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("tid (minuter)"))
    category = models.CharField(_("vad"), max_length=32, choices=Category.choices)
    note = models.TextField(_("anteckning"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utförd av"),
    )

    class Meta:
        ordering = ["-performed_on", "-created_at"]
        verbose_name = _("utförd insats")
        verbose_name_plural = _("utförarens logg")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1) & models.Q(minutes__lte=1440),
                name="provider_log_minutes_in_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_category_display())


class FollowUpMeeting(TimeStampedModel):
    """A follow-up between the social worker and the provider."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(
        SupportDecision,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("beslut"),
    )
    held_on = models.DateField(_("hölls"))
    participants = models.TextField(_("deltagare"))
    notes = models.TextField(_("anteckningar"))
    next_follow_up_on = models.DateField(_("nästa uppföljning"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("uppföljning av insats")
        verbose_name_plural = _("uppföljningar av insatser")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"


class SupportEnding(TimeStampedModel):
    """The end of the support, with its reason."""

    class Reason(models.TextChoices):
        CHECKLIST_MET = "checklist_met", _("Checklistan är uppfylld")
        MOVED = "moved", _("Flyttat")
        DECLINED = "declined", _("Tackat nej")
        SELF_SUFFICIENT = "self_sufficient", _("Egen försörjning")
        OTHER = "other", _("Annat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        SupportDecision,
        on_delete=models.PROTECT,
        related_name="ending",
        verbose_name=_("beslut"),
    )
    ended_on = models.DateField(_("avslutad"))
    reason = models.CharField(_("orsak"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("anteckning"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("avslutad av"),
    )

    class Meta:
        verbose_name = _("avslutad insats")
        verbose_name_plural = _("avslutade insatser")

    def __str__(self) -> str:
        return str(self.get_reason_display())
