"""Two people ticking the requested-documents list at once: the second gets the conflict."""

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.core.tests.pages import hidden_values
from sia.meetings.models import DocumentRequest
from sia.meetings.tests import test_alignment
from sia.meetings.tests.test_alignment import documents, form_data

Login = Callable[[str], Client]

# The fixture of the alignment tests: a case with a guide on its team.
case = test_alignment.case


def as_shown(case: Case) -> dict[str, str]:
    """Each item's status select as the page shows it now."""
    rows = DocumentRequest.objects.filter(case=case)
    return {f"status_{row.item_id}": row.status for row in rows}


def test_a_status_someone_else_changed_is_not_set_back_by_the_second_save(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    login("socsek").post(f"/arenden/{case.pk}/avstamning/", form_data(staff))
    personbevis, hyreskontrakt = documents("personbevis", "hyreskontrakt")
    url = f"/arenden/{case.pk}/handlingar/"
    first, second = login("socsek"), login("vagledare1")
    first_loaded = hidden_values(first.get(url).content.decode(), carrying="action")
    second_loaded = hidden_values(second.get(url).content.decode(), carrying="action")
    today = timezone.localdate().isoformat()
    shown = as_shown(case)
    audited = AuditEvent.objects.filter(action=AuditAction.DOCUMENTS_UPDATED).count()

    saved = first.post(
        url,
        {
            **first_loaded,
            **shown,
            "on": today,
            f"status_{personbevis.pk}": "received",
            f"status_{hyreskontrakt.pk}": "requested",
        },
    )
    # The guide only meant to mark the lease, but her page still shows the
    # old status of the civil registration certificate.
    refused = second.post(
        url,
        {
            **second_loaded,
            **shown,
            "on": today,
            f"status_{personbevis.pk}": "requested",
            f"status_{hyreskontrakt.pk}": "received",
        },
    )

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Någon annan har ändrat listan över begärda handlingar medan du arbetade." in page
    assert personbevis.label in page
    assert "Inlämnad" in page
    statuses = dict(DocumentRequest.objects.filter(case=case).values_list("item__key", "status"))
    assert statuses["personbevis"] == "received"
    assert statuses["hyreskontrakt"] == "requested"
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENTS_UPDATED).count() == audited + 1
