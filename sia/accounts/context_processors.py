"""Navigation that matches what the signed-in user may do."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Role
from sia.accounts.selectors import roles_of
from sia.accounts.sessions import second_factor_done
from sia.audit.access import can_review_audit
from sia.establishment.access import can_view_programme_report
from sia.followup.access import can_view_followup
from sia.imports.access import can_import_cases
from sia.people.access import can_register_person
from sia.process.access import can_view_unit_overview
from sia.retention.access import can_view_retention


def navigation(request: HttpRequest) -> dict[str, object]:
    """Offer the menu entries the user's roles allow."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    # Until the second factor, the menu would only lead back to the code step.
    if settings.SIA_REQUIRE_MFA and not second_factor_done(request.session):
        return {"nav": []}
    items = [(reverse("start"), _("Start"))]
    roles = roles_of(user)
    if roles & CASEWORK_ROLES:
        items.append((reverse("my-work"), _("Mitt arbete")))
        items.append((reverse("calendar"), _("Kalender")))
        items.append((reverse("meetings"), _("Möten")))
        items.append((reverse("groups"), _("Grupper")))
        items.append((reverse("consultations"), _("Konsultationer")))
    if can_view_unit_overview(user):
        items.append((reverse("unit-overview"), _("Enhetsöversikt")))
    if Role.PROVIDER_STAFF in roles:
        items.append((reverse("provider-queue"), _("Utförda insatser")))
        items.append((reverse("settlement-worklist"), _("Bosättning")))
    if can_view_programme_report(user):
        items.append((reverse("programme-report"), _("Etableringsrapport")))
    if can_view_followup(user):
        items.append((reverse("followup-index"), _("Uppföljning")))
    if roles - {Role.ANALYST, Role.ADMINISTRATOR}:
        items.append((reverse("case-list"), _("Ärenden")))
    if can_register_person(user):
        items.append((reverse("person-search"), _("Sök eller registrera person")))
    if can_review_audit(user):
        items.append((reverse("audit-list"), _("Loggkontroll")))
    if can_import_cases(user):
        items.append((reverse("import-upload"), _("Importera ärenden")))
    if can_view_retention(user):
        items.append((reverse("retention-dry-run"), _("Gallring")))
    if user.is_staff:
        items.append((reverse("admin:index"), _("Administration")))
    return {"nav": items}
