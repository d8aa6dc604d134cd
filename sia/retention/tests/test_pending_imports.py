"""The retention job also removes checked import files nobody confirmed in time.

A pending import holds a whole file of personal data; without this, an abandoned one
stayed until someone checked another file.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from sia.accounts.models import User
from sia.imports.models import PendingImport
from sia.retention.models import DisposalRun
from sia.retention.selectors import run_counts

pytestmark = pytest.mark.django_db


def pending(owner: User, *, minutes_left: int) -> PendingImport:
    return PendingImport.objects.create(
        owner=owner,
        kind=PendingImport.Kind.CSV,
        content=b"personnummer;efternamn\r\n",
        digest="0" * 64,
        row_count=1,
        expires_at=timezone.now() + dt.timedelta(minutes=minutes_left),
    )


def test_the_job_removes_expired_pending_imports_and_counts_them(
    staff: dict[str, User],
) -> None:
    expired = [pending(staff["chef"], minutes_left=-1), pending(staff["chef"], minutes_left=-600)]
    waiting = pending(staff["chef"], minutes_left=30)
    out = io.StringIO()

    call_command("gallra", stdout=out)

    assert list(PendingImport.objects.all()) == [waiting]
    assert "  imports.PendingImport: 2 (kept 0)\n" in out.getvalue()
    run = DisposalRun.objects.get()
    assert ("väntande importer", 2, 0) in [(c.name, c.disposed, c.kept) for c in run_counts(run)]
    assert all(str(p.pk) not in out.getvalue() for p in expired)


def test_a_dry_run_counts_expired_pending_imports_but_keeps_them(
    staff: dict[str, User],
) -> None:
    pending(staff["chef"], minutes_left=-1)
    out = io.StringIO()

    call_command("gallra", "--dry-run", stdout=out)

    assert PendingImport.objects.count() == 1
    assert "  imports.PendingImport: 1 (kept 0)\n" in out.getvalue()


def test_nothing_is_counted_when_no_pending_import_has_expired(staff: dict[str, User]) -> None:
    pending(staff["chef"], minutes_left=30)
    out = io.StringIO()

    call_command("gallra", stdout=out)

    assert PendingImport.objects.count() == 1
    assert "PendingImport" not in out.getvalue()
