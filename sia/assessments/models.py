"""In-depth assessment talks, the person's future and health plan, postponed sensitive
topics, barriers, progress steps (stegförflyttningar) and outcomes, and enrolment periods
in programmes with their discharge reason.

The questions of each talk come from a configurable catalogue (`process.Catalogue` of
kind assessment), shipped with the keys in `TALK_CATALOGUES`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.core.concurrency import Versioned
from sia.core.models import TimeStampedModel


class AssessmentTalk(TimeStampedModel):
    """A signed record of one assessment talk; a correction is a new record (`supersedes`)."""

    class Kind(models.TextChoices):
        TALK_1 = "talk_1", _("Fördjupningssamtal 1: nuvarande situation")
        TALK_2 = "talk_2", _("Fördjupningssamtal 2: riktning framåt")
        TALK_3 = "talk_3", _("Fördjupningssamtal 3: nästa steg och framtidsplan")
        JOINT = "joint", _("Gemensam kartläggning i det fasta teamet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="assessment_talks",
        verbose_name=_("ärende"),
    )
    kind = models.CharField(_("samtal"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("hölls"))
    answers = models.JSONField(
        _("svar"), default=dict, help_text=_("Svar per punkt i mallen, med punktens nyckel.")
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    participants = models.TextField(_("deltagare"), blank=True)
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
        ordering = ["case", "kind", "-signed_at"]
        verbose_name = _("kartläggningssamtal")
        verbose_name_plural = _("kartläggningssamtal")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class FuturePlan(TimeStampedModel, Versioned):
    """The future and health plan (framtids- och hälsoplan) that the person decides.

    Versions like the SIA plan: a draft is agreed with the person and then frozen; a
    change makes a new version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AGREED = "agreed", _("Beslutad av personen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="future_plans",
        verbose_name=_("ärende"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    goal = models.TextField(_("personens mål"), help_text=_("Med personens egna ord."))
    health = models.TextField(_("hälsa och vad som behövs för att må bra"), blank=True)
    agreed_on = models.DateField(_("beslutad"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslut dokumenterat av"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("upprättad av"),
    )

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("framtids- och hälsoplan")
        verbose_name_plural = _("framtids- och hälsoplaner")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="future_plan_unique_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="future_plan_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Framtids- och hälsoplan')} v{self.version}"


class FuturePlanStep(TimeStampedModel):
    """A next step in the future and health plan, with why the person chose it."""

    plan = models.ForeignKey(
        FuturePlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    step = models.CharField(_("nästa steg"), max_length=300)
    why = models.TextField(_("varför"))
    by_when = models.DateField(_("när"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "created_at"]
        verbose_name = _("steg i framtidsplanen")
        verbose_name_plural = _("steg i framtidsplanen")

    def __str__(self) -> str:
        return self.step


class PostponedTopic(TimeStampedModel, Versioned):
    """A sensitive topic the person chose not to discuss now, to be returned to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="postponed_topics",
        verbose_name=_("ärende"),
    )
    topic = models.CharField(_("ämne"), max_length=200)
    note = models.TextField(_("anteckning"), blank=True)
    postponed_on = models.DateField(_("skjutet upp"))
    remind_on = models.DateField(_("påminn"))
    returned_on = models.DateField(_("återkommit till"), null=True, blank=True)
    return_note = models.TextField(_("anteckning när ämnet togs upp"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkomst dokumenterad av"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )

    class Meta:
        ordering = ["returned_on", "remind_on"]
        verbose_name = _("uppskjutet ämne")
        verbose_name_plural = _("uppskjutna ämnen")
        indexes = [models.Index(fields=["returned_on", "remind_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remind_on__gte=models.F("postponed_on")),
                name="postponed_topic_remind_after",
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class Barrier(TimeStampedModel):
    """Something that stands in the way (hinder), from when it was noted until resolved."""

    class Kind(models.TextChoices):
        MENTAL_HEALTH = "mental_health", _("Psykisk ohälsa")
        PHYSICAL_HEALTH = "physical_health", _("Fysisk ohälsa")
        HOUSING = "housing", _("Boende")
        FAMILY = "family", _("Familjesituation")
        DEBT = "debt", _("Skulder")
        DENTAL = "dental", _("Tandvård")
        COMMUNICATION = "communication", _("Kommunikation med vård och myndigheter")
        CHILDCARE = "childcare", _("Barnomsorg")
        LANGUAGE = "language", _("Språk")
        OTHER = "other", _("Annat hinder")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="barriers", verbose_name=_("ärende")
    )
    kind = models.CharField(_("hinder"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    noted_on = models.DateField(_("noterat"))
    resolved_on = models.DateField(_("undanröjt"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undanröjande dokumenterat av"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )

    class Meta:
        ordering = ["resolved_on", "-noted_on"]
        verbose_name = _("hinder")
        verbose_name_plural = _("hinder")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True)
                | models.Q(resolved_on__gte=models.F("noted_on")),
                name="barrier_resolved_after_noted",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ProgressStep(TimeStampedModel):
    """A step forward (stegförflyttning) or an outcome, dated.

    The seed is explicit that counting only work and studies misses the progress
    people make, so both are recorded and reported side by side.
    """

    class Category(models.TextChoices):
        PROGRESS = "progress", _("Stegförflyttning")
        OUTCOME = "outcome", _("Utfall")

    class Kind(models.TextChoices):
        # Progress steps
        HEALTH_CONTACT = "health_contact", _("Kontakt med vården etablerad")
        HEALTH_IMPROVED = "health_improved", _("Förbättrad hälsa")
        SFI_STARTED = "sfi_started", _("Började SFI")
        LANGUAGE_PROGRESS = "language_progress", _("Framsteg i svenska")
        SOCIAL_NETWORK = "social_network", _("Nytt socialt nätverk")
        ACTIVITY_STARTED = "activity_started", _("Började en aktivitet")
        HOUSING_SOLVED = "housing_solved", _("Boendet löst")
        DEBT_PLAN = "debt_plan", _("Plan för skulder")
        SELF_RELIANCE = "self_reliance", _("Klarar kontakter med myndigheter själv")
        OTHER_PROGRESS = "other_progress", _("Annan stegförflyttning")
        # Outcomes
        WORK = "work", _("Arbete")
        SUBSIDISED_WORK = "subsidised_work", _("Arbete med stöd")
        STUDIES = "studies", _("Studier")
        SELF_SUFFICIENT = "self_sufficient", _("Egen försörjning")
        OWN_LEASE = "own_lease", _("Eget kontrakt")
        OTHER_OUTCOME = "other_outcome", _("Annat utfall")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="progress_steps",
        verbose_name=_("ärende"),
    )
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("vad"), max_length=32, choices=Kind.choices)
    occurred_on = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("stegförflyttning eller utfall")
        verbose_name_plural = _("stegförflyttningar och utfall")
        indexes = [models.Index(fields=["category", "kind", "occurred_on"])]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Enrolment(TimeStampedModel):
    """A period in a programme (e.g. the cross-agency team, at most 6 months)."""

    class Programme(models.TextChoices):
        CROSS_AGENCY_TEAM = "cross_agency_team", _("Tvärsektoriellt team")
        FIXED_TEAM = "fixed_team", _("Fast team (AF och kommun)")
        MULTI_PROFESSIONAL = "multi_professional", _("Multiprofessionellt team")
        COLLABORATION = "collaboration", _("Samverkan och konsultation")

    class DischargeReason(models.TextChoices):
        GOAL_MET = "goal_met", _("Målet uppnått")
        NO_BARRIERS = "no_barriers", _("Inga kvarvarande hinder")
        TIME_LIMIT = "time_limit", _("Tidsgränsen nådd")
        MOVED = "moved", _("Flyttat")
        DECLINED = "declined", _("Tackat nej")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("ärende")
    )
    programme = models.CharField(_("insats"), max_length=32, choices=Programme.choices)
    started_on = models.DateField(_("inskriven"))
    max_months = models.PositiveSmallIntegerField(_("längsta tid (månader)"), default=6)
    discharged_on = models.DateField(_("utskriven"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("orsak till utskrivning"), max_length=16, choices=DischargeReason.choices, blank=True
    )
    discharge_note = models.TextField(_("anteckning vid utskrivning"), blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inskriven av"),
    )

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("inskrivning")
        verbose_name_plural = _("inskrivningar")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "programme"],
                condition=models.Q(discharged_on__isnull=True),
                name="enrolment_one_open_per_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | (
                    models.Q(discharged_on__gte=models.F("started_on"))
                    & ~models.Q(discharge_reason="")
                ),
                name="enrolment_discharge_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_programme_display())
