"""Who may see which person. The one door to people.

A person is visible to whoever may see one of the person's cases, to managers of
the unit that registered them, and to the user who registered them until a case
exists. Address and contact details of a person with protected identity are shown
only to users with the explicit permission. A person's register extract (see
`sia.people.extract`) may be produced by a manager of a unit answering for them.
"""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from sia.accounts.models import INTAKE_ROLES, User
from sia.accounts.selectors import managed_unit_ids, unit_ids_with_roles
from sia.cases.access import visible_cases
from sia.cases.models import Case
from sia.core.exceptions import NotFoundOrForbidden
from sia.people.models import Person

PROTECTED_FIELDS = ("street_address", "postal_code", "city", "phone", "email")


def visible_people(user: User) -> QuerySet[Person]:
    """Return the people the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    through_case = Exists(visible_cases(user).filter(person_id=OuterRef("pk")))
    registered_here = Q(registered_unit_id__in=managed_unit_ids(user))
    own_new_registration = Q(registered_by_id=user.pk) & ~Exists(
        Case.objects.filter(person_id=OuterRef("pk"))
    )
    return Person.objects.filter(through_case | registered_here | own_new_registration)


def access_person(user: User, person_id: UUID) -> Person:
    """Return the person if the user may see them."""
    person = visible_people(user).filter(pk=person_id).first()
    if person is None:
        raise NotFoundOrForbidden
    return person


def can_register_person(user: User) -> bool:
    """Tell whether the user may register newcomers (intake roles only)."""
    return bool(unit_ids_with_roles(user, INTAKE_ROLES))


def can_change_person(user: User, person: Person) -> bool:
    """Tell whether the user may change a person they can see: intake roles only."""
    return can_register_person(user)


def can_view_protected_details(user: User, person: Person) -> bool:
    """Tell whether the user may see the person's address and contact details."""
    if not person.protected_identity:
        return True
    return user.has_perm("people.view_protected_details")


def extract_unit_ids(user: User, person: Person) -> set[UUID]:
    """Return the units answering for the person that the user manages."""
    responsible = set(Case.objects.filter(person=person).values_list("owning_unit_id", flat=True))
    responsible.add(person.registered_unit_id)
    return responsible & managed_unit_ids(user)


def can_make_extract(user: User, person: Person) -> bool:
    """Tell whether the user may produce the person's register extract (see
    `sia.people.extract`): a manager of a unit answering for them, who for a person with
    protected identity may also see protected details."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not extract_unit_ids(user, person):
        return False
    return can_view_protected_details(user, person)


def access_person_for_extract(user: User, person_id: UUID) -> Person:
    """Return the person if the user may produce their extract (NotFoundOrForbidden if not)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not can_make_extract(user, person):
        raise NotFoundOrForbidden
    return person
