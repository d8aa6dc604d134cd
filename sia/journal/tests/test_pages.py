"""The journal pages: what a caseworker sees and writes, the correction chain, objections
under their note, recorded reads, and a partner who reads only with consent."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.consent.models import DataKind, Disclosure
from sia.journal import services
from sia.journal.models import JournalEntry, Objection
from sia.journal.tests.conftest import GiveConsent, WriteEntry, hours_ago

Login = Callable[[str], Client]


def journal_url(case: Case) -> str:
    return reverse("journal", kwargs={"case_id": case.pk})


def entry_url(case: Case, entry: JournalEntry) -> str:
    return reverse("journal-entry", kwargs={"case_id": case.pk, "entry_id": entry.pk})


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def correct(case: Case, entry: JournalEntry, staff: dict[str, User]) -> JournalEntry:
    return services.correct_entry(
        case_id=case.pk,
        entry_id=entry.pk,
        text="Ringde den 4 maj, inte den 3.",
        reason="Fel dag.",
        written_by=staff["socsek"],
        channel=Channel.WEB,
    )


def test_the_journal_lists_notes_newest_event_first_with_both_times_and_the_author(
    case: Case, login: Login, write: WriteEntry
) -> None:
    write(case, "Första samtalet.", occurred_at=hours_ago(48))
    write(case, "Hembesök i dag.", occurred_at=hours_ago(1), kind="home_visit", by="vagledare1")
    response = login("socsek").get(journal_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Hembesök i dag.") < page.index("Första samtalet.")
    for text in ["Händelsetid", "Dokumentationstid", "Samhällsvägledare", "Mottagningsgruppen"]:
        assert text in page
    assert "Anteckning 2" in page
    assert "Hembesök" in page
    assert "Skriv anteckning" in page


def test_writing_a_note_signs_it_and_shows_it(case: Case, login: Login) -> None:
    client = login("vagledare1")
    occurred = hours_ago(3)
    response = client.post(
        journal_url(case),
        {"occurred_at": local(occurred), "kind": "meeting", "text": "Möte om SFI-start."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == journal_url(case)
    page = response.content.decode()
    assert "Anteckningen är signerad." in page
    assert "Möte om SFI-start." in page
    entry = JournalEntry.objects.get()
    assert entry.author.username == "vagledare1"
    assert local(entry.occurred_at) == local(occurred)
    assert (
        AuditEvent.objects.filter(action=AuditAction.JOURNAL_WRITTEN, case_id=case.pk).count() == 1
    )


def test_a_note_in_the_future_or_empty_is_shown_again_with_the_error(
    case: Case, login: Login
) -> None:
    future = timezone.now() + dt.timedelta(days=1)
    response = login("socsek").post(
        journal_url(case), {"occurred_at": local(future), "kind": "note", "text": "Ska hända."}
    )
    assert response.status_code == 200
    assert "Händelsetiden kan inte ligga i framtiden." in response.content.decode()
    response = login("socsek").post(
        journal_url(case), {"occurred_at": local(hours_ago(1)), "kind": "note", "text": "  "}
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_corrected_note_stays_readable_and_points_to_its_correction(
    case: Case, staff: dict[str, User], login: Login, write: WriteEntry
) -> None:
    old = write(case, "Ringde den 3 maj.")
    new = correct(case, old, staff)
    page = login("vagledare1").get(journal_url(case)).content.decode()
    assert "Ringde den 3 maj." in page
    assert "Ringde den 4 maj, inte den 3." in page
    assert "Rättad – se" in page
    assert entry_url(case, new) in page
    old_page = login("vagledare1").get(entry_url(case, old)).content.decode()
    assert "Ringde den 3 maj." in old_page
    assert "Anteckningens historik" in old_page
    assert "Anteckningen är redan rättad. Rätta den senaste versionen:" in old_page
    new_page = login("vagledare1").get(entry_url(case, new)).content.decode()
    assert "Fel dag." in new_page
    assert entry_url(case, old) in new_page
    assert 'action="' + reverse("journal-correct", args=[case.pk, new.pk]) in new_page


def test_correcting_on_the_page_makes_a_new_note_and_goes_to_it(
    case: Case, login: Login, write: WriteEntry
) -> None:
    old = write(case, "Fel text.")
    response = login("socsek").post(
        reverse("journal-correct", args=[case.pk, old.pk]),
        {
            "occurred_at": local(old.occurred_at),
            "kind": "phone_call",
            "text": "Rätt text.",
            "reason": "Skrev fel.",
        },
        follow=True,
    )
    new = JournalEntry.objects.get(corrects=old)
    assert response.redirect_chain[-1][0] == entry_url(case, new)
    assert (
        "Rättelsen är signerad. Den tidigare anteckningen finns kvar." in response.content.decode()
    )
    assert JournalEntry.objects.get(pk=old.pk).text == "Fel text."


def test_correcting_twice_on_the_page_is_refused_with_a_message(
    case: Case, staff: dict[str, User], login: Login, write: WriteEntry
) -> None:
    old = write(case)
    correct(case, old, staff)
    response = login("socsek").post(
        reverse("journal-correct", args=[case.pk, old.pk]),
        {"occurred_at": local(old.occurred_at), "kind": "note", "text": "X", "reason": "Y"},
    )
    assert response.status_code == 200
    assert "Anteckningen är redan rättad. Rätta den senaste versionen, anteckning 2." in (
        response.content.decode()
    )
    assert JournalEntry.objects.count() == 2


def test_a_correction_without_a_reason_is_refused(
    case: Case, login: Login, write: WriteEntry
) -> None:
    old = write(case)
    response = login("socsek").post(
        reverse("journal-correct", args=[case.pk, old.pk]),
        {"occurred_at": local(old.occurred_at), "kind": "note", "text": "Ny", "reason": ""},
    )
    assert response.status_code == 200
    assert "Skäl till rättelsen" in response.content.decode()
    assert 'class="error"' in response.content.decode()
    assert JournalEntry.objects.count() == 1


def test_an_objection_is_shown_under_its_note(case: Case, login: Login, write: WriteEntry) -> None:
    entry = write(case, "Personen tackade nej till SFI.")
    response = login("socsek").post(
        reverse("journal-objection", args=[case.pk, entry.pk]),
        {
            "text": "Jag tackade inte nej, jag bad om en senare start.",
            "received_as": "written",
            "received_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == entry_url(case, entry)
    assert "Den avvikande meningen är registrerad." in response.content.decode()
    page = login("vagledare1").get(journal_url(case)).content.decode()
    note = page.index("Personen tackade nej till SFI.")
    objection = page.index("Jag tackade inte nej, jag bad om en senare start.")
    assert note < objection
    assert "Avvikande mening" in page
    assert "skriftligt" in page
    assert Objection.objects.get().recorded_by.username == "socsek"


def test_every_read_of_the_journal_is_recorded(case: Case, login: Login, write: WriteEntry) -> None:
    entry = write(case)
    before = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=case.pk).count()
    login("vagledare1").get(journal_url(case))
    login("vagledare1").get(entry_url(case, entry))
    reads = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=case.pk)
    assert reads.count() == before + 2
    assert {event.actor_username for event in reads.order_by("-id")[:2]} == {"vagledare1"}


def test_a_refused_write_records_no_read(case: Case, login: Login, write: WriteEntry) -> None:
    entry = write(case)
    before = AuditEvent.objects.count()
    for url in [
        journal_url(case),
        reverse("journal-correct", args=[case.pk, entry.pk]),
        reverse("journal-objection", args=[case.pk, entry.pk]),
    ]:
        assert login("af").post(url, {"text": "x"}).status_code == 404
        assert login("annan").post(url, {"text": "x"}).status_code == 404
    assert AuditEvent.objects.count() == before
    assert not Disclosure.objects.exists()


def test_the_partner_reads_the_journal_only_with_a_consent_sharing_the_case(
    case: Case, login: Login, give_consent: GiveConsent, write: WriteEntry
) -> None:
    entry = write(case, "Har börjat SFI.")
    assert login("af").get(journal_url(case)).status_code == 404
    give_consent(case, [DataKind.IDENTITY])
    assert login("af").get(journal_url(case)).status_code == 404
    assert login("af").get(entry_url(case, entry)).status_code == 404
    assert not Disclosure.objects.exists()
    consent = give_consent(case, [DataKind.IDENTITY, DataKind.CASE])
    response = login("af").get(journal_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Har börjat SFI." in page
    assert "Skriv anteckning" not in page
    assert "Rätta anteckningen" not in login("af").get(entry_url(case, entry)).content.decode()
    disclosures = Disclosure.objects.filter(recipient__username="af")
    assert disclosures.count() == 2
    assert {d.consent_id for d in disclosures} == {consent.pk}


def test_the_case_page_links_to_the_journal(
    case: Case, login: Login, give_consent: GiveConsent
) -> None:
    link = f'href="{journal_url(case)}"'
    assert link in login("vagledare1").get(f"/arenden/{case.pk}/").content.decode()
    give_consent(case, [DataKind.IDENTITY])
    assert link not in login("af").get(f"/arenden/{case.pk}/").content.decode()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_pages_take_no_other_method_than_get_and_post(
    case: Case, login: Login, write: WriteEntry, method: str
) -> None:
    entry = write(case)
    client = login("socsek")
    for url in [
        reverse("journal-correct", args=[case.pk, entry.pk]),
        reverse("journal-objection", args=[case.pk, entry.pk]),
    ]:
        assert getattr(client, method)(url).status_code == 405
    assert JournalEntry.objects.count() == 1
