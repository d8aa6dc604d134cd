"""Who may see and change the housing tasks, through the pages and the API."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.consent.models import Consent
from sia.settlement.models import HousingTask
from sia.settlement.services import start_checklist
from sia.settlement.tests.conftest import OrderSettlement

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def _status_url(case: Case, task: HousingTask) -> str:
    return reverse("housing-task-status", args=[case.pk, task.pk])


def test_settlement_staff_see_and_write_only_when_their_unit_is_ordered(
    make_case: CaseFactory, login: Login, order_settlement: OrderSettlement
) -> None:
    case = make_case()
    client = login("bosattning")
    page = reverse("case-housing", args=[case.pk])

    assert client.get(page).status_code == 404
    assert client.post(reverse("housing-start", args=[case.pk])).status_code == 404
    assert not HousingTask.objects.filter(household=case.person).exists()

    order_settlement(case)
    response = client.get(page)
    assert response.status_code == 200
    assert "Starta checklistan" in response.content.decode()

    response = client.post(reverse("housing-start", args=[case.pk]), follow=True)
    assert response.redirect_chain[-1][0] == page
    assert "Checklistan för bostaden är startad." in response.content.decode()
    task = HousingTask.objects.filter(household=case.person).first()
    assert task is not None

    response = client.post(
        _status_url(case, task),
        {"status": "in_progress", "status_date": "", "note": "Visning bokad", "lock_version": 1},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.note) == ("in_progress", "Visning bokad")


def test_the_reception_social_worker_on_the_team_writes_and_sees_a_bad_date_refused(
    staff: dict[str, User], make_case: CaseFactory, login: Login
) -> None:
    case = make_case()
    task = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)[0]
    client = login("socsek")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        _status_url(case, task),
        {"status": "done", "status_date": tomorrow.isoformat(), "note": "x", "lock_version": 1},
        follow=True,
    )

    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.note) == ("not_started", "")

    client.post(
        _status_url(case, task),
        {
            "status": "done",
            "status_date": timezone.localdate().isoformat(),
            "note": "",
            "lock_version": 1,
        },
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_a_settlement_worker_cannot_change_another_households_task(
    staff: dict[str, User],
    make_case: CaseFactory,
    login: Login,
    order_settlement: OrderSettlement,
) -> None:
    ordered, other = make_case(), make_case()
    order_settlement(ordered)
    foreign = start_checklist(actor=staff["socsek"], case_id=other.pk, channel=Channel.SYSTEM)[0]

    client = login("bosattning")
    assert client.post(reverse("housing-start", args=[ordered.pk])).status_code == 302
    # The other household's task through the ordered case: not found.
    response = client.post(
        _status_url(ordered, foreign), {"status": "in_progress", "note": "", "lock_version": 1}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "not_started"


def test_a_partner_with_a_consent_reads_but_never_writes(
    staff: dict[str, User], make_case: CaseFactory, login: Login, api_as: ApiAs
) -> None:
    case = make_case(team=("vagledare1", "af"))
    task = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)[0]
    page = reverse("case-housing", args=[case.pk])
    api_list = reverse("api-housing-task-list", args=[case.pk])
    api_detail = reverse("api-housing-task-detail", args=[case.pk, task.pk])

    assert login("af").get(page).status_code == 404  # no consent yet

    consent = Consent.objects.create(
        person=case.person,
        kind="general",
        data_kinds=["case"],
        given_on=timezone.localdate(),
        form="written",
        purpose="x",
        recorded_by=staff["socsek"],
    )
    consent.recipient_organisations.set([Organisation.objects.get(name="Arbetsförmedlingen")])

    client = login("af")
    response = client.get(page)
    assert response.status_code == 200
    assert _status_url(case, task) not in response.content.decode()
    assert (
        client.post(_status_url(case, task), {"status": "done", "lock_version": 1}).status_code
        == 404
    )
    api = api_as("af")
    assert api.get(api_list).status_code == 200
    assert api.post(api_list).status_code == 404
    change = {"status": "in_progress", "lock_version": 1}
    assert api.patch(api_detail, change, format="json").status_code == 404
    task.refresh_from_db()
    assert task.status == "not_started"


def test_the_worklist_shows_the_units_ordered_households_with_open_tasks(
    staff: dict[str, User],
    make_case: CaseFactory,
    login: Login,
    order_settlement: OrderSettlement,
) -> None:
    served, not_ordered, finished = make_case(), make_case(), make_case()
    for case in (served, finished):
        order_settlement(case)
    for case in (served, not_ordered, finished):
        start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)
    HousingTask.objects.filter(household=finished.person).update(status="not_needed")

    html = login("bosattning").get(reverse("settlement-worklist")).content.decode()

    assert reverse("case-housing", args=[served.pk]) in html
    assert reverse("case-housing", args=[not_ordered.pk]) not in html
    assert reverse("case-housing", args=[finished.pk]) not in html
    socsek_page = login("socsek").get(reverse("settlement-worklist"))
    assert "Inga hushåll har öppna bostadsuppgifter." in socsek_page.content.decode()


def test_api_round_trip(
    make_case: CaseFactory, api_as: ApiAs, order_settlement: OrderSettlement
) -> None:
    case = make_case()
    order_settlement(case)
    api = api_as("bosattning")
    url = reverse("api-housing-task-list", args=[case.pk])

    created = api.post(url)
    assert created.status_code == 201
    assert api.post(url).json() == api.get(url).json()
    tasks = api.get(url).json()
    assert tasks[0]["item"] == "hyresavtal"
    detail = reverse("api-housing-task-detail", args=[case.pk, tasks[0]["id"]])

    refused = api.patch(detail, {"status": "done", "lock_version": 1}, format="json")
    assert refused.status_code == 400
    today = timezone.localdate().isoformat()
    changed = api.patch(
        detail,
        {"status": "done", "status_date": today, "note": "Kontrakt påskrivet", "lock_version": 1},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "done"
    assert changed.json()["lock_version"] == 2
    again = api.patch(detail, {"note": "Kopia i akten", "lock_version": 2}, format="json")
    assert again.json()["status"] == "done"
    assert api.get(url).json()[0]["note"] == "Kopia i akten"
