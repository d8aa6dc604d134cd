"""Consent (samtycke) to share a person's data with other organisations, and the log of
every disclosure made to another organisation with its legal basis.

A consent is given by the person, a guardian or a legal representative, names the
organisations (or single units) that may receive data, which kinds of data and why,
and is valid from the day it is given until its end date or its withdrawal. Users of
partner organisations see a person only while a valid consent names their organisation.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit
from sia.core.models import TimeStampedModel


class DataKind(models.TextChoices):
    """What a consent lets the recipients see."""

    IDENTITY = "identity", _("Identitet och kontaktuppgifter")
    CASE = "case", _("Ärendets steg och ansvariga")
    PLANS = "plans", _("Planer, aktiviteter och uppgifter")
    ASSESSMENTS = "assessments", _("Kartläggning, hinder och stegförflyttningar")
    HEALTH = "health", _("Hälsa")
    MEETINGS = "meetings", _("Samverkansmöten och dokumentation")


class Consent(TimeStampedModel):
    """One consent to share, with who gave it, to whom, what, why, how and for how long."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Samtycke till informationsutbyte")
        SIP = "sip", _("Samtycke till SIP")

    class GivenBy(models.TextChoices):
        PERSON = "person", _("Personen själv")
        GUARDIAN = "guardian", _("Vårdnadshavare")
        REPRESENTATIVE = "representative", _("Legal företrädare (god man, förvaltare)")

    class Form(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        ORAL = "oral", _("Muntligt")

    class WithdrawalForm(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        ORAL = "oral", _("Muntligt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("ärende"),
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    given_by = models.CharField(
        _("lämnat av"), max_length=16, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    given_by_name = models.CharField(
        _("företrädarens namn"),
        max_length=200,
        blank=True,
        help_text=_(
            "Namnet på vårdnadshavaren eller företrädaren, när det inte är personen själv."
        ),
    )
    recipient_organisations = models.ManyToManyField(
        Organisation, related_name="+", blank=True, verbose_name=_("mottagande organisationer")
    )
    recipient_units = models.ManyToManyField(
        Unit,
        related_name="+",
        blank=True,
        verbose_name=_("mottagande enheter"),
        help_text=_("Enheter utanför den egna organisationen när samtycket bara gäller dem."),
    )
    data_kinds = models.JSONField(_("uppgifter som får lämnas"), default=list)
    purpose = models.TextField(_("syfte"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dokumenterat av"),
    )
    given_on = models.DateField(_("lämnat"))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    withdrawn_on = models.DateField(_("återkallat"), null=True, blank=True)
    withdrawal_form = models.CharField(
        _("återkallat hur"), max_length=16, choices=WithdrawalForm.choices, blank=True
    )
    withdrawal_note = models.TextField(_("anteckning om återkallelsen"), blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallelse dokumenterad av"),
    )

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        indexes = [models.Index(fields=["person", "withdrawn_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_after_given",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%Y-%m-%d}"

    def is_valid_on(self, day: dt.date) -> bool:
        """Tell whether the consent holds on the day: given, not expired, not withdrawn."""
        if self.given_on > day:
            return False
        if self.valid_until is not None and self.valid_until < day:
            return False
        return self.withdrawn_on is None or self.withdrawn_on > day


class Disclosure(models.Model):
    """One disclosure of a person's data to another organisation, with its legal basis."""

    class What(models.TextChoices):
        CASE = "case", _("Ärende")
        CASE_LIST = "case_list", _("Ärende (lista)")
        PERSON = "person", _("Person")
        PERSON_LIST = "person_list", _("Person (lista)")
        SIA_PLAN = "sia_plan", _("SIA-plan")
        INVITATION = "invitation", _("Kallelse")
        MINUTES_COPY = "minutes_copy", _("Mötesdokumentation (kopia)")
        GROUP_PARTICIPANTS = "group_participants", _("Gruppdeltagare")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("Samtycke (OSL 12 kap. 2 §)")
        SIP_CONSENT = "sip_consent", _("Samtycke till SIP (SoL, HSL)")

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ärende"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("mottagare")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottagande användare"),
    )
    what = models.CharField(_("vad som lämnades"), max_length=32, choices=What.choices)
    legal_basis = models.CharField(_("rättslig grund"), max_length=16, choices=LegalBasis.choices)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("samtycke"),
    )
    channel = models.CharField(_("kanal"), max_length=16)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("utlämnande")
        verbose_name_plural = _("utlämnanden")
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_what_display()} ({self.get_legal_basis_display()})"
