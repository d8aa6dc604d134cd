"""The establishment programme (etableringsprogrammet) per person, the thresholds that
raise alerts, and the outcomes measured from each case's start: self-sufficiency, own
lease and reports of concern (orosanmälningar) about the household's children.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.core.models import TimeStampedModel


class ProgrammeStatus(TimeStampedModel):
    """Where the person is in Arbetsförmedlingen's establishment programme."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="programme",
        verbose_name=_("ärende"),
    )
    af_registered_on = models.DateField(_("inskriven på Arbetsförmedlingen"), null=True, blank=True)
    programme_started_on = models.DateField(
        _("anvisad till etableringsprogrammet"), null=True, blank=True
    )
    programme_ends_on = models.DateField(_("programmet slutar"), null=True, blank=True)
    action_plan_on = models.DateField(_("individuell handlingsplan"), null=True, blank=True)
    sfi_started_on = models.DateField(_("SFI började"), null=True, blank=True)
    civic_orientation_started_on = models.DateField(
        _("samhällsorientering började"), null=True, blank=True
    )
    education_duty = models.BooleanField(_("omfattas av utbildningsplikt"), null=True, blank=True)
    intensive_year_started_on = models.DateField(_("intensivår började"), null=True, blank=True)
    reduced_work_capacity = models.BooleanField(_("nedsatt arbetsförmåga"), default=False)
    adaptation_needs = models.TextField(_("behov av anpassning"), blank=True)
    af_contact = models.CharField(_("kontakt på Arbetsförmedlingen"), max_length=200, blank=True)
    other_contacts = models.TextField(_("andra kontaktvägar"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        verbose_name = _("etableringsprogram")
        verbose_name_plural = _("etableringsprogram")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme_ends_on__isnull=True)
                | models.Q(programme_started_on__isnull=True)
                | models.Q(programme_ends_on__gte=models.F("programme_started_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Etableringsprogram"))


class ProgrammeRules(TimeStampedModel):
    """The thresholds for alerts, one row per deployment, edited in the admin."""

    sfi_alert_weeks = models.PositiveSmallIntegerField(
        _("larm när SFI inte börjat (veckor efter handlingsplanen)"), default=4
    )
    civic_orientation_alert_weeks = models.PositiveSmallIntegerField(
        _("larm när samhällsorienteringen inte börjat (veckor efter handlingsplanen)"),
        default=8,
    )
    programme_end_alert_weeks = models.PositiveSmallIntegerField(
        _("larm före programmets slut (veckor)"), default=8
    )
    age_limit = models.PositiveSmallIntegerField(_("åldersgräns för programmet (år)"), default=65)
    age_alert_weeks = models.PositiveSmallIntegerField(
        _("larm före åldersgränsen (veckor)"), default=12
    )

    class Meta:
        verbose_name = _("regler för larm i etableringsprogrammet")
        verbose_name_plural = _("regler för larm i etableringsprogrammet")

    def __str__(self) -> str:
        return str(_("Regler för larm"))


class CaseOutcome(TimeStampedModel):
    """A case's outcome measures: the baseline at its start, then the dates reached."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="outcome",
        verbose_name=_("ärende"),
    )
    baseline_on = models.DateField(_("ingångsvärden per"))
    baseline_self_sufficient = models.BooleanField(_("egen försörjning vid start"))
    baseline_own_lease = models.BooleanField(_("eget kontrakt vid start"))
    baseline_concern_reports = models.PositiveSmallIntegerField(
        _("orosanmälningar om barnen det senaste året före start")
    )
    self_sufficient_on = models.DateField(_("egen försörjning från"), null=True, blank=True)
    own_lease_on = models.DateField(_("eget kontrakt från"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")

    def __str__(self) -> str:
        return str(_("Utfall"))


class ConcernReport(TimeStampedModel):
    """One report of concern (orosanmälan) about the household's children, by date only:
    the report itself is handled and kept by the unit that investigates it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="concern_reports",
        verbose_name=_("ärende"),
    )
    received_on = models.DateField(_("inkom"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d}"
