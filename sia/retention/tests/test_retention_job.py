"""The retention job on a hand-built data set: exactly the expected records go.

Each person's data is built in the past (time-machine) through the services, and the rows
it adds are measured table by table as it is built: so what a person "has" is known
without asking the registry under test. The rule is then applied as on `TODAY`.
"""

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from sia.accounts.models import Organisation, Unit, User
from sia.assessments.models import Barrier
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, EmergencyAccess, case_reference
from sia.consent import services as consent_services
from sia.consent.models import Consent, DataKind
from sia.demo.synthetic import personal_number
from sia.establishment.models import ConcernReport
from sia.journal import services as journal_services
from sia.journal.models import JournalEntry
from sia.people.models import HouseholdLink, Person, PersonIdentifier
from sia.retention import services
from sia.retention.models import DisposalCount, DisposalRun
from sia.retention.rules import RetentionRule

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
LONG_AGO = dt.datetime(2018, 3, 10, 10, 0, tzinfo=dt.UTC)
AUDIT_LONG_AGO = dt.datetime(2015, 2, 1, 10, 0, tzinfo=dt.UTC)
RECENTLY = dt.datetime(2022, 9, 1, 10, 0, tzinfo=dt.UTC)
LOG_TABLES = {"retention.DisposalRun", "retention.DisposalCount"}

Snapshot = dict[str, set[Any]]


def snapshot() -> Snapshot:
    """Every row of every table, by model label (the audit trail and disposal log apart)."""
    rows: Snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in LOG_TABLES or label == "audit.AuditEvent":
            continue
        rows[label] = set(model._base_manager.values_list("pk", flat=True))
    return rows


def diff(after: Snapshot, before: Snapshot) -> Snapshot:
    return {
        label: ids - before.get(label, set())
        for label, ids in after.items()
        if ids - before.get(label, set())
    }


@contextmanager
def measured(into: Snapshot) -> Iterator[None]:
    before = snapshot()
    yield
    for label, ids in diff(snapshot(), before).items():
        into.setdefault(label, set()).update(ids)


class DataSet:
    """The hand-built people, the rows each one added, and the audit events by age."""

    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.rows: dict[str, Snapshot] = {}
        self.cases: dict[str, Case] = {}
        self.old_audit: set[int] = set()

    def secrets(self) -> list[str]:
        """Every name, number and reference of the people that must never be logged."""
        found: list[str] = []
        for person in self.people.values():
            found += [person.given_name, person.family_name, str(person.pk)]
            for identifier in PersonIdentifier.objects.filter(person=person):
                found += [identifier.value, identifier.formatted, identifier.value[2:]]
        for case in Case.objects.filter(person__in=self.people.values()):
            found += [str(case.pk), case_reference(case.pk)]
        return found


def _close(case: Case, on: dt.date) -> None:
    case.stage = Case.Stage.CLOSED
    case.closed_on = on
    case.closing_reason = Case.ClosingReason.SELF_SUFFICIENT
    case.save()


def _note(case: Case, user: User, text: str) -> JournalEntry:
    return journal_services.write_entry(
        case_id=case.pk,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="note",
        text=text,
        written_by=user,
        channel=Channel.SYSTEM,
    )


@pytest.fixture
def data_set(
    staff: dict[str, User],
    reception: Unit,
    make_person: Callable[..., Person],
    make_case: Callable[..., Case],
) -> DataSet:
    data = DataSet()
    socsek = staff["socsek"]

    def person(key: str, **fields: Any) -> Person:
        data.people[key] = make_person(given_name=f"Gallra{key.title()}", **fields)
        return data.people[key]

    def old_case(key: str) -> Case:
        data.cases[key] = make_case(data.people[key], team=("vagledare1",))
        _note(data.cases[key], socsek, f"Första samtalet med {key}.")
        return data.cases[key]

    with time_machine.travel(LONG_AGO, tick=False):
        # Someone whose last record is recent: nothing of theirs goes (built first, so
        # whatever the services create once is not counted as anyone's record).
        data.rows["recent"] = {}
        with measured(data.rows["recent"]):
            person("recent", date_of_birth=dt.date(1981, 2, 3))
            _close(old_case("recent"), LONG_AGO.date())
        for key, birth in (
            ("due", dt.date(1980, 1, 2)),
            ("open", dt.date(1982, 6, 7)),
            ("research", dt.date(1985, 3, 15)),
            ("kept", dt.date(1983, 8, 9)),
        ):
            data.rows[key] = {}
            with measured(data.rows[key]):
                person(key, date_of_birth=birth)
                case = old_case(key)
                if key != "open":
                    _close(case, LONG_AGO.date() + dt.timedelta(days=20))
        # The samordningsnummer's stored day is 85: the real day, 25, is a research day.
        data.rows["coordination"] = {}
        with measured(data.rows["coordination"]):
            coordinated = person(
                "coordination", date_of_birth=dt.date(1990, 4, 24), with_identifier=False
            )
            PersonIdentifier.objects.create(
                person=coordinated,
                kind=PersonIdentifier.Kind.SAMORDNINGSNUMMER,
                value=personal_number(dt.date(1990, 4, 25), serial=990, coordination=True),
            )
            _close(old_case("coordination"), LONG_AGO.date())
        # The due person's records of every awkward kind: a correction and an objection
        # (append-only), a consent with recipients (join tables), an emergency access
        # (which protects its case) and a household link to someone who stays.
        with measured(data.rows["due"]):
            case = data.cases["due"]
            case.stage = Case.Stage.INTAKE
            case.closed_on = None
            case.closing_reason = ""
            case.save()
            first = JournalEntry.objects.get(case=case)
            correction = journal_services.correct_entry(
                case_id=case.pk,
                entry_id=first.pk,
                occurred_at=first.occurred_at,
                text="Första samtalet, rättat.",
                reason="Fel datum.",
                written_by=socsek,
                channel=Channel.SYSTEM,
            )
            journal_services.record_objection(
                case_id=case.pk,
                entry_id=correction.pk,
                text="Jag håller inte med.",
                received_as="oral",
                received_on=LONG_AGO.date(),
                recorded_by=socsek,
                channel=Channel.SYSTEM,
            )
            consent_services.record_consent(
                actor=socsek,
                person_id=data.people["due"].pk,
                case_id=case.pk,
                kind=Consent.Kind.GENERAL,
                given_by=Consent.GivenBy.PERSON,
                given_by_name="",
                recipient_organisation_ids=[Organisation.objects.get(name="Försäkringskassan").pk],
                recipient_unit_ids=[],
                data_kinds=[DataKind.IDENTITY],
                purpose="Samordna ersättningen.",
                form=Consent.Form.WRITTEN,
                given_on=LONG_AGO.date(),
                valid_until=None,
                channel=Channel.SYSTEM,
            )
            EmergencyAccess.objects.create(
                user=staff["ug"],
                case=case,
                reason="Akut ärende.",
                granted_at=timezone.now(),
                expires_at=timezone.now() + dt.timedelta(hours=4),
            )
            HouseholdLink.objects.create(
                person=data.people["due"],
                relative=data.people["recent"],
                relation=HouseholdLink.Relation.SIBLING,
            )
            # A link between two due people is one record, counted once.
            HouseholdLink.objects.create(
                person=data.people["kept"],
                relative=data.people["due"],
                relation=HouseholdLink.Relation.SIBLING,
            )
            _close(case, LONG_AGO.date() + dt.timedelta(days=30))
        with measured(data.rows["kept"]):
            ConcernReport.objects.create(
                case=data.cases["kept"], received_on=LONG_AGO.date(), recorded_by=socsek
            )

    with time_machine.travel(AUDIT_LONG_AGO, tick=False):
        # Audit events older than their own period go, whoever they are about.
        for person_id in (data.people["recent"].pk, None):
            event = AuditEvent(
                actor=socsek,
                actor_username=socsek.username,
                action=AuditAction.PERSON_VIEWED,
                channel=Channel.WEB,
                person_id=person_id,
            )
            event.save()
            data.old_audit.add(event.pk)

    with time_machine.travel(RECENTLY, tick=False), measured(data.rows["recent"]):
        Barrier.objects.create(
            case=data.cases["recent"],
            kind=Barrier.Kind.HOUSING,
            noted_on=RECENTLY.date(),
            recorded_by=socsek,
        )
    return data


def _rule(**overrides: Any) -> RetentionRule:
    return RetentionRule(
        today=overrides.get("today", TODAY),
        years=5,
        audit_years=10,
        keep=frozenset(overrides.get("keep", {"establishment.ConcernReport"})),
    )


def _gone(before: Snapshot, after: Snapshot) -> Snapshot:
    return {label: ids - after[label] for label, ids in before.items() if ids - after[label]}


def _expected_gone(data: DataSet) -> Snapshot:
    """The due person's rows, and the kept person's rows but the report, its case, the person."""
    expected: Snapshot = {label: set(ids) for label, ids in data.rows["due"].items()}
    stays = {
        "establishment.ConcernReport": set(ConcernReport.objects.values_list("pk", flat=True)),
        "cases.Case": {data.cases["kept"].pk},
        "people.Person": {data.people["kept"].pk},
    }
    for label, ids in data.rows["kept"].items():
        going = ids - stays.get(label, set())
        if going:
            expected.setdefault(label, set()).update(going)
    return expected


def test_exactly_the_expected_records_go_and_exceptions_stay(data_set: DataSet) -> None:
    before = snapshot()
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))

    run = services.run_retention(rule=_rule(), dry_run=False)

    after = snapshot()
    assert _gone(before, after) == _expected_gone(data_set)
    # The person with a recent record, the open case, and both research days stay whole.
    for key in ("recent", "open", "research", "coordination"):
        for label, ids in data_set.rows[key].items():
            assert ids <= after[label], (key, label)
    assert ConcernReport.objects.filter(case=data_set.cases["kept"]).exists()
    assert not JournalEntry.objects.filter(case_id=data_set.cases["kept"].pk).exists()
    assert not PersonIdentifier.objects.filter(person_id=data_set.people["kept"].pk).exists()
    # Audit events: only those older than their own period went; the disposed person's
    # newer events stay.
    audit_after = set(AuditEvent.objects.values_list("pk", flat=True))
    assert audit_before - audit_after == data_set.old_audit
    assert AuditEvent.objects.filter(person_id=data_set.people["due"].pk).exists()
    assert run.persons_disposed == 2
    assert run.persons_research == 2
    assert run.persons_failed == 0
    counts = {c.record_type: (c.disposed, c.kept) for c in run.counts.all()}
    expected = _expected_gone(data_set)
    for label, ids in expected.items():
        assert counts[label][0] == len(ids), label
    assert counts["establishment.ConcernReport"] == (0, 1)
    assert counts["audit.AuditEvent"] == (len(data_set.old_audit), 0)


def test_the_log_and_the_output_hold_no_names_numbers_or_cases(
    data_set: DataSet, settings: SettingsWrapper
) -> None:
    settings.SIA_RETENTION_KEEP = ("establishment.ConcernReport",)
    secrets = data_set.secrets()
    out = io.StringIO()
    call_command("gallra", "--dry-run", f"--today={TODAY}", stdout=out)
    call_command("gallra", f"--today={TODAY}", stdout=out)

    runs = list(DisposalRun.objects.values())
    counts = list(DisposalCount.objects.values("record_type", "disposed", "kept"))
    events = list(
        AuditEvent.objects.filter(
            action__in=[AuditAction.RETENTION_RUN, AuditAction.RETENTION_DRY_RUN]
        ).values("person_id", "case_id", "changes")
    )
    logged = json.dumps([runs, counts, events], default=str) + out.getvalue()
    assert "  people.Person: 1 (kept 1)\n" in out.getvalue()
    assert "  journal.JournalEntry: 3 (kept 0)\n" in out.getvalue()
    for secret in secrets:
        assert secret not in logged, "personal data in the disposal log or the output"
    assert all(e["person_id"] is None and e["case_id"] is None for e in events)


def test_a_dry_run_changes_nothing_and_a_rerun_disposes_of_nothing_more(data_set: DataSet) -> None:
    before = snapshot()
    audit_before = AuditEvent.objects.count()
    dry = services.run_retention(rule=_rule(), dry_run=True)
    assert snapshot() == before
    # Only the dry run's own event was added to the audit trail.
    assert AuditEvent.objects.count() == audit_before + 1
    assert dry.dry_run
    assert dry.persons_disposed == 2

    real = services.run_retention(rule=_rule(), dry_run=False)
    gone = _gone(before, snapshot())
    assert {label: len(ids) for label, ids in gone.items()} == {
        c.record_type: c.disposed
        for c in dry.counts.all()
        if c.disposed and c.record_type != "audit.AuditEvent"
    }
    assert real.persons_disposed == 2

    after_first = snapshot()
    again = services.run_retention(rule=_rule(), dry_run=False)
    assert snapshot() == after_first
    assert again.persons_disposed == 0
    assert not again.counts.filter(disposed__gt=0).exists()


def test_nothing_goes_before_five_years_have_passed(data_set: DataSet) -> None:
    # The due person's case closed on 2018-04-09; a day short of five years, it stays.
    due = data_set.people["due"].pk
    services.run_retention(rule=_rule(today=dt.date(2023, 4, 8)), dry_run=False)
    assert Person.objects.filter(pk=due).exists()
    assert JournalEntry.objects.filter(case=data_set.cases["due"]).count() == 2
    run = services.run_retention(rule=_rule(today=dt.date(2023, 4, 9)), dry_run=False)
    assert not Person.objects.filter(pk=due).exists()
    assert run.persons_disposed == 1


def test_a_failure_midway_leaves_the_person_whole(
    data_set: DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()
    real = services._raw_delete
    calls = {"n": 0}

    def failing(model: Any, ids: list[Any]) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise DatabaseError("disk full")
        real(model, ids)

    monkeypatch.setattr(services, "_raw_delete", failing)
    shared = _shared_link(data_set)
    run = services.run_retention(rule=_rule(keep=set()), dry_run=False)

    after = snapshot()
    gone = _gone(before, after)
    # One of the two due people failed and is whole; the other went entirely.
    assert run.persons_failed == 1
    assert run.persons_disposed == 1
    due, kept = data_set.rows["due"], data_set.rows["kept"]
    failed = due if due["people.Person"] <= after["people.Person"] else kept
    for label, ids in _without(failed, shared).items():
        assert ids <= after[label], label
    # The link between the two went with whichever of them went.
    went = kept if failed is due else due
    assert gone == {
        **went,
        "people.HouseholdLink": went.get("people.HouseholdLink", set()) | shared,
    }


def test_a_record_left_behind_fails_the_person_whole(
    data_set: DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keys are checked before the transaction ends: a type the job failed to remove
    (here the objections) would dangle, so the person stays whole instead."""
    before = snapshot()
    real = services._delete_rows

    def skipping(kind: Any, ids: Any) -> None:
        if kind.label != "journal.Objection":
            real(kind, ids)

    monkeypatch.setattr(services, "_delete_rows", skipping)
    shared = _shared_link(data_set)
    run = services.run_retention(rule=_rule(keep=set()), dry_run=False)
    assert run.persons_failed == 1
    after = snapshot()
    for label, ids in _without(data_set.rows["due"], shared).items():
        assert ids <= before[label] & after[label], label
    # The link between the two people was the other person's record too, and went with it.
    assert not shared & after["people.HouseholdLink"]


def _shared_link(data: DataSet) -> set[Any]:
    return set(
        HouseholdLink.objects.filter(
            person=data.people["kept"], relative=data.people["due"]
        ).values_list("pk", flat=True)
    )


def _without(rows: Snapshot, link: set[Any]) -> Snapshot:
    return {label: ids - link for label, ids in rows.items()}


def test_the_command_refuses_a_bad_date(data_set: DataSet) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("gallra", "--today=1 juni")
    with pytest.raises(CommandError, match="future"):
        call_command("gallra", f"--today={timezone.localdate() + dt.timedelta(days=1)}")
    assert not DisposalRun.objects.exists()


def test_settings_name_real_record_types(settings: SettingsWrapper) -> None:
    from sia.retention.checks import check_retention_settings

    settings.SIA_RETENTION_KEEP = ("decisions.SupportDecision",)
    assert check_retention_settings() == []
    settings.SIA_RETENTION_KEEP = ("decisions.Nothing",)
    assert [e.id for e in check_retention_settings()] == ["sia.retention.E001"]
