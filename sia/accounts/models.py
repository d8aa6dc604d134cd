"""Organisations, their units, staff users and the roles they hold in each unit."""

import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sia.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """A municipality, an agency, a region or a provider that takes part in the work."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
        SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
        REGION = "region", _("Region")
        PROVIDER = "provider", _("Utförare")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    """A unit inside an organisation, such as the reception team or the SIA group."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Mottagningsgruppen")
        SIA_GROUP = "sia_group", _("SIA-gruppen")
        ASSESSMENT = "assessment", _("Utredningsgruppen")
        COMMUNITY_GUIDANCE = "community_guidance", _("Samhällsvägledning")
        INTEGRATION = "integration", _("Integrationsgruppen")
        SETTLEMENT = "settlement", _("Bosättningsenheten")
        PARTNER = "partner", _("Partnerenhet")
        ANALYSIS = "analysis", _("Uppföljning och analys")
        OTHER = "other", _("Annan enhet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Role(models.TextChoices):
    """What a staff member does in a unit; a person may hold several."""

    DEPUTY_UNIT_MANAGER = "deputy_unit_manager", _("Biträdande enhetschef")
    RECEPTION_SOCIAL_WORKER = "reception_social_worker", _("Socialsekreterare, mottagning")
    ASSESSMENT_SOCIAL_WORKER = "assessment_social_worker", _("Socialsekreterare, utredning")
    COMMUNITY_GUIDE = "community_guide", _("Samhällsvägledare")
    INTEGRATION_SOCIAL_WORKER = "integration_social_worker", _("Socialsekreterare, integration")
    PROVIDER_STAFF = "provider_staff", _("Utförare")
    PARTNER_CASEWORKER = "partner_caseworker", _("Handläggare hos samverkanspart")
    SPECIALIST = "specialist", _("Specialist")
    ANALYST = "analyst", _("Analytiker")
    ADMINISTRATOR = "administrator", _("Systemadministratör")


MANAGER_ROLES = frozenset({Role.DEPUTY_UNIT_MANAGER})
CASEWORK_ROLES = frozenset(
    {
        Role.DEPUTY_UNIT_MANAGER,
        Role.RECEPTION_SOCIAL_WORKER,
        Role.ASSESSMENT_SOCIAL_WORKER,
        Role.COMMUNITY_GUIDE,
        Role.INTEGRATION_SOCIAL_WORKER,
        Role.PROVIDER_STAFF,
        Role.PARTNER_CASEWORKER,
        Role.SPECIALIST,
    }
)
# Roles that may open a case (aktualisering) in their unit.
INTAKE_ROLES = frozenset(
    {
        Role.DEPUTY_UNIT_MANAGER,
        Role.RECEPTION_SOCIAL_WORKER,
        Role.ASSESSMENT_SOCIAL_WORKER,
        Role.INTEGRATION_SOCIAL_WORKER,
    }
)


_SESSION_HASH_SALT = "sia.accounts.models.User.get_session_auth_hash"


class User(AbstractUser):
    """A member of staff. Newcomers are `people.Person`, never users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Raised by "log out everywhere"; every session signed with an older value is refused.
    session_generation = models.PositiveIntegerField(
        _("sessionsgeneration"), default=0, editable=False
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Sign sessions with the password and the session generation.

        Django refuses a session whose stored hash no longer matches, so changing the
        password or raising the generation ends every session of the user.
        """
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret: str | bytes | None) -> str:
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(_SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()


class Membership(TimeStampedModel):
    """A user's role in one unit."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("användare")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("enhet")
    )
    role = models.CharField(_("roll"), max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["unit__name", "role"]
        verbose_name = _("roll i enhet")
        verbose_name_plural = _("roller i enheter")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.unit.name}"
