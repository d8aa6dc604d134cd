"""Writing, correcting and objecting in the journal: dated twice, signed, append-only,
audited, and only by the municipality's caseworkers on the open case."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sia.accounts.models import Role, Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.journal import services
from sia.journal.models import JournalEntry, Objection
from sia.journal.selectors import entry_history
from sia.journal.tests.conftest import GiveConsent, WriteEntry, hours_ago


def correct(
    case: Case, entry: JournalEntry, user: User, text: str = "Rättad text."
) -> JournalEntry:
    return services.correct_entry(
        case_id=case.pk,
        entry_id=entry.pk,
        text=text,
        reason="Fel datum i första versionen.",
        written_by=user,
        channel=Channel.WEB,
    )


def object_to(case: Case, entry: JournalEntry, user: User, **overrides: object) -> Objection:
    data: dict[str, object] = {
        "text": "Jag sa inte att jag tackade nej.",
        "received_as": "written",
        "received_on": timezone.localdate(),
    }
    data.update(overrides)
    return services.record_objection(
        case_id=case.pk,
        entry_id=entry.pk,
        recorded_by=user,
        channel=Channel.WEB,
        **data,  # type: ignore[arg-type]
    )


def test_a_note_is_dated_twice_signed_and_numbered(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    occurred = hours_ago(26)
    with time_machine.travel(timezone.now(), tick=False):
        first = write(case, "  Hembesök, allt lugnt.  ", occurred_at=occurred, kind="home_visit")
        assert first.written_at == timezone.now()
    second = write(case, by="vagledare1")
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.occurred_at == occurred
    assert first.text == "Hembesök, allt lugnt."
    assert first.kind == JournalEntry.Kind.HOME_VISIT
    assert first.author == staff["socsek"]
    assert first.author_role == Role.RECEPTION_SOCIAL_WORKER
    assert first.author_unit == Unit.objects.get(name="Mottagningsgruppen")
    assert second.author_role == Role.COMMUNITY_GUIDE


def test_the_manager_writes_in_the_role_of_the_unit_the_case_belongs_to(
    case: Case, write: WriteEntry
) -> None:
    entry = write(case, by="chef")
    assert entry.author_role == Role.DEPUTY_UNIT_MANAGER
    assert entry.author_unit_id == case.owning_unit_id


def test_a_personnummer_in_a_note_is_allowed_it_is_a_journal(case: Case, write: WriteEntry) -> None:
    entry = write(case, "Barnets personnummer 20200101-1234 stämmer nu.")
    assert "20200101-1234" in entry.text


def test_a_correction_is_a_new_note_and_the_old_one_stays(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    old = write(case, "Ringde den 3 maj.")
    new = correct(case, old, staff["vagledare1"], "Ringde den 4 maj.")
    old.refresh_from_db()
    assert old.text == "Ringde den 3 maj."
    assert new.corrects == old
    assert new.occurred_at == old.occurred_at
    assert new.kind == old.kind
    assert new.correction_reason == "Fel datum i första versionen."
    assert JournalEntry.objects.get(pk=old.pk).correction == new
    newest = correct(case, new, staff["socsek"], "Ringde den 4 maj kl. 10.")
    assert [e.number for e in entry_history(case, old)] == [1, 2, 3]
    assert [e.pk for e in entry_history(case, newest)] == [old.pk, new.pk, newest.pk]


def test_correcting_a_note_already_corrected_is_refused_and_names_the_newest(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    old = write(case)
    correct(case, old, staff["socsek"])
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition, match="anteckning 2"):
        correct(case, old, staff["socsek"], "Ännu en version.")
    assert JournalEntry.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_a_correction_needs_a_reason(case: Case, staff: dict[str, User], write: WriteEntry) -> None:
    old = write(case)
    with pytest.raises(ValidationFailed) as error:
        services.correct_entry(
            case_id=case.pk,
            entry_id=old.pk,
            text="Ny text.",
            reason="   ",
            written_by=staff["socsek"],
            channel=Channel.WEB,
        )
    assert error.value.field == "reason"
    assert JournalEntry.objects.count() == 1


def test_an_objection_is_attached_to_the_note(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    entry = write(case)
    objection = object_to(case, entry, staff["vagledare1"], received_as="oral")
    assert list(entry.objections.all()) == [objection]
    assert objection.recorded_by == staff["vagledare1"]
    assert objection.get_received_as_display() == "Muntligt"


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("received_on", {"received_on": dt.date(2000, 1, 1)}),
        ("received_on", {"received_on": dt.date.today() + dt.timedelta(days=2)}),  # noqa: DTZ011
        ("received_as", {"received_as": "email"}),
        ("text", {"text": " "}),
    ],
)
def test_a_bad_objection_is_refused(
    case: Case, staff: dict[str, User], write: WriteEntry, field: str, overrides: dict[str, object]
) -> None:
    entry = write(case)
    with pytest.raises(ValidationFailed) as error:
        object_to(case, entry, staff["socsek"], **overrides)
    assert error.value.field == field
    assert not Objection.objects.exists()


def test_every_write_is_audited_without_the_text(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    entry = write(case, "Hemlig detalj om hälsan.", channel=Channel.API)
    new = correct(case, entry, staff["socsek"])
    objection = object_to(case, new, staff["socsek"])
    events = list(AuditEvent.objects.filter(case_id=case.pk, action__startswith="journal."))
    by_action = {event.action: event for event in events}
    assert set(by_action) == {
        AuditAction.JOURNAL_WRITTEN,
        AuditAction.JOURNAL_CORRECTED,
        AuditAction.JOURNAL_OBJECTION,
    }
    written = by_action[AuditAction.JOURNAL_WRITTEN]
    assert written.channel == Channel.API
    assert written.person_id == case.person_id
    assert written.changes["entry"] == str(entry.pk)
    assert by_action[AuditAction.JOURNAL_CORRECTED].changes["corrects"] == str(entry.pk)
    assert by_action[AuditAction.JOURNAL_OBJECTION].changes["objection"] == str(objection.pk)
    for event in events:
        assert "Hemlig" not in str(event.changes)
        assert "tackade nej" not in str(event.changes)


@pytest.mark.parametrize(
    ("occurred_at", "message"),
    [
        (lambda: timezone.now() + dt.timedelta(minutes=5), "framtiden"),
        (lambda: timezone.now() - dt.timedelta(days=5 * 365 + 1), "fem år"),
    ],
)
def test_an_event_time_in_the_future_or_too_far_back_is_refused(
    case: Case, write: WriteEntry, occurred_at: object, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message) as error:
        write(case, occurred_at=occurred_at())  # type: ignore[operator]
    assert error.value.field == "occurred_at"
    assert not JournalEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.JOURNAL_WRITTEN).exists()


@pytest.mark.parametrize(
    ("text", "field"), [("", "text"), ("   \n ", "text"), ("x" * 10_001, "text")]
)
def test_an_empty_or_overlong_text_is_refused(
    case: Case, write: WriteEntry, text: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        write(case, text)
    assert error.value.field == field
    assert not JournalEntry.objects.exists()


def test_an_unknown_kind_is_refused(case: Case, write: WriteEntry) -> None:
    with pytest.raises(ValidationFailed) as error:
        write(case, kind="rumour")
    assert error.value.field == "kind"


# Append-only at the model level


def test_a_saved_note_cannot_be_saved_again(case: Case, write: WriteEntry) -> None:
    entry = write(case)
    entry.text = "Ändrad i efterhand."
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.save(update_fields=["text"])
    assert JournalEntry.objects.get(pk=entry.pk).text == "Ringde om bostaden."


def test_a_note_cannot_be_deleted_one_by_one_or_in_bulk(case: Case, write: WriteEntry) -> None:
    entry = write(case)
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        JournalEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        JournalEntry.objects.filter(pk=entry.pk).update(text="Ändrad.")
    assert JournalEntry.objects.get(pk=entry.pk).text == "Ringde om bostaden."


def test_an_objection_cannot_be_changed_or_deleted(
    case: Case, staff: dict[str, User], write: WriteEntry
) -> None:
    objection = object_to(case, write(case), staff["socsek"])
    objection.text = "Annat."
    with pytest.raises(PermissionError):
        objection.save()
    with pytest.raises(PermissionError):
        objection.delete()
    with pytest.raises(PermissionError):
        Objection.objects.all().update(text="Annat.")
    with pytest.raises(PermissionError):
        Objection.objects.all().delete()
    assert Objection.objects.get().text == "Jag sa inte att jag tackade nej."


# Who writes


@pytest.mark.parametrize("username", ["af", "ug", "annan", "analytiker", "admin", "bosattning"])
def test_only_the_municipalitys_caseworkers_on_the_case_write(
    case: Case,
    staff: dict[str, User],
    give_consent: GiveConsent,
    write: WriteEntry,
    username: str,
) -> None:
    give_consent(case, list(DataKind.values))  # even a consent of every kind lets af only read
    entry = write(case)
    with pytest.raises(NotFoundOrForbidden):
        write(case, by=username)
    with pytest.raises(NotFoundOrForbidden):
        correct(case, entry, staff[username])
    with pytest.raises(NotFoundOrForbidden):
        object_to(case, entry, staff[username])
    assert JournalEntry.objects.count() == 1
    assert not Objection.objects.exists()


def test_a_closed_case_takes_no_new_notes(case: Case, write: WriteEntry) -> None:
    entry = write(case)
    Case.objects.filter(pk=case.pk).update(
        stage="closed", closed_on=timezone.localdate(), closing_reason="moved"
    )
    with pytest.raises(NotFoundOrForbidden):
        write(case)
    assert list(JournalEntry.objects.all()) == [entry]


def test_a_note_of_another_case_cannot_be_corrected_through_this_one(
    case: Case, staff: dict[str, User], make_case: object, write: WriteEntry
) -> None:
    other = make_case()  # type: ignore[operator]
    theirs = write(other)
    with pytest.raises(NotFoundOrForbidden):
        correct(case, theirs, staff["socsek"])
    with pytest.raises(NotFoundOrForbidden):
        object_to(case, theirs, staff["socsek"])
