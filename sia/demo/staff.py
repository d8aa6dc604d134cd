"""The demo municipality's organisations, units and staff, one persona per role.

Used by the demo loader and by the test suite's personas, so both speak of the
same people: `chef`, `socsek`, `vagledare1`, `vagledare2`, `ug`, `integration`,
`bosattning`, `af`, `analytiker`, `admin` and `annan`.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction

from sia.accounts.models import Membership, Organisation, Role, Unit, User

MUNICIPALITY = "Demokommun"


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    unit: str
    roles: tuple[Role, ...]
    description: str
    is_staff: bool = False
    is_superuser: bool = False


# (organisation, kind) -> [(unit name, unit kind)]
STRUCTURE: dict[tuple[str, Organisation.Kind], list[tuple[str, Unit.Kind]]] = {
    (MUNICIPALITY, Organisation.Kind.MUNICIPALITY): [
        ("Mottagningsgruppen", Unit.Kind.RECEPTION),
        ("Samhällsvägledning", Unit.Kind.COMMUNITY_GUIDANCE),
        ("Utredningsgruppen", Unit.Kind.ASSESSMENT),
        ("Integrationsgruppen", Unit.Kind.INTEGRATION),
        ("Bosättningsenheten", Unit.Kind.SETTLEMENT),
        ("Ekonomiskt bistånd, vuxna", Unit.Kind.OTHER),
        ("Uppföljning och analys", Unit.Kind.ANALYSIS),
    ],
    ("Arbetsförmedlingen", Organisation.Kind.EMPLOYMENT_SERVICE): [
        ("Etablering Demostad", Unit.Kind.PARTNER),
    ],
    ("Försäkringskassan", Organisation.Kind.SOCIAL_INSURANCE): [
        ("Lokalt försäkringscenter Demostad", Unit.Kind.PARTNER),
    ],
    ("Region Demoland", Organisation.Kind.REGION): [
        ("Vårdcentralen Centrum", Unit.Kind.PARTNER),
    ],
}

PERSONAS: tuple[Persona, ...] = (
    Persona("chef", "Cecilia", "Chefsson", "Mottagningsgruppen",
            (Role.DEPUTY_UNIT_MANAGER,), "biträdande enhetschef, mottagningsgruppen"),
    Persona("socsek", "Sara", "Sekreterare", "Mottagningsgruppen",
            (Role.RECEPTION_SOCIAL_WORKER,), "socialsekreterare, mottagningsgruppen"),
    Persona("vagledare1", "Vera", "Vägledare", "Samhällsvägledning",
            (Role.COMMUNITY_GUIDE,), "samhällsvägledare"),
    Persona("vagledare2", "Viktor", "Vägledare", "Samhällsvägledning",
            (Role.COMMUNITY_GUIDE,), "samhällsvägledare"),
    Persona("ug", "Ulf", "Utredare", "Utredningsgruppen",
            (Role.ASSESSMENT_SOCIAL_WORKER,), "socialsekreterare, utredningsgruppen"),
    Persona("integration", "Ines", "Integrationsson", "Integrationsgruppen",
            (Role.INTEGRATION_SOCIAL_WORKER,), "socialsekreterare, integrationsgruppen"),
    Persona("bosattning", "Bo", "Bosättare", "Bosättningsenheten",
            (Role.PROVIDER_STAFF,), "utförare, bosättningsenheten"),
    Persona("af", "Alva", "Förmedlare", "Etablering Demostad",
            (Role.PARTNER_CASEWORKER,), "arbetsförmedlare, Arbetsförmedlingen"),
    Persona("fk", "Fredrik", "Kassasson", "Lokalt försäkringscenter Demostad",
            (Role.PARTNER_CASEWORKER,), "handläggare, Försäkringskassan"),
    Persona("psykolog", "Petra", "Psykologsson", "Vårdcentralen Centrum",
            (Role.SPECIALIST,), "psykolog, Region Demoland"),
    Persona("analytiker", "Anna", "Analytiker", "Uppföljning och analys",
            (Role.ANALYST,), "analytiker (endast aggregerade uppgifter)"),
    Persona("admin", "Adam", "Administratör", "Uppföljning och analys",
            (Role.ADMINISTRATOR,), "systemadministratör (konfiguration, inget ärendeinnehåll)",
            is_staff=True, is_superuser=True),
    Persona("annan", "Ali", "Annansson", "Ekonomiskt bistånd, vuxna",
            (Role.RECEPTION_SOCIAL_WORKER,), "socialsekreterare, annan enhet"),
)  # fmt: skip

# Personas granted the explicit permission to see protected people's address and contact.
PROTECTED_DETAILS_VIEWERS = ("chef",)


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for (org_name, org_kind), unit_specs in STRUCTURE.items():
        organisation, _created = Organisation.objects.get_or_create(
            name=org_name, defaults={"kind": org_kind}
        )
        for unit_name, unit_kind in unit_specs:
            unit, _created = Unit.objects.get_or_create(
                organisation=organisation, name=unit_name, defaults={"kind": unit_kind}
            )
            units[unit_name] = unit
    return units


@transaction.atomic
def create_staff(*, password: str) -> dict[str, User]:
    """Create the demo organisations, units and one user per persona (idempotent)."""
    units = _units()
    permission = Permission.objects.get(
        codename="view_protected_details", content_type__app_label="people"
    )
    users: dict[str, User] = {}
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = User.objects.create_user(
                username=persona.username,
                password=password,
                first_name=persona.first_name,
                last_name=persona.last_name,
                is_staff=persona.is_staff,
                is_superuser=persona.is_superuser,
            )
        for role in persona.roles:
            Membership.objects.get_or_create(user=user, unit=units[persona.unit], role=role)
        if persona.username in PROTECTED_DETAILS_VIEWERS:
            user.user_permissions.add(permission)
        users[persona.username] = user
    return users


def units_by_name() -> dict[str, Unit]:
    """Return the demo units by name."""
    return {unit.name: unit for unit in Unit.objects.select_related("organisation")}
