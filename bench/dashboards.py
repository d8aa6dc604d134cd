"""Benchmark: time every follow-up dashboard page on a database filled by generate_data.py.

Usage: .venv/bin/python bench/dashboards.py [--repeat R] [--database-url URL]

Reads the database named in --database-url or DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/sia_bench, as bench/generate_data.py leaves it; the
name must start with "sia_bench"). Signs in, through django.test.Client, as the deputy
manager whose unit owns the most generated cases and as an analyst of the generated
municipality (created here when there is none: the bench database only), then, for every
dashboard in sia.followup.dashboards.DASHBOARDS, with the default filters and split by
gender (`per_kon=1`), requests the page R times (the first run reported apart, as a
warm-up) and prints the median and the slowest of the others, the number of SQL queries,
and the time of one CSV download, one Excel download and one committee PDF. Prints a
Markdown table. On PostgreSQL it runs ANALYZE first, so the planner has statistics for
the bulk-written rows, as autovacuum would have given a database in use. Every page view
is audited as it would be for a user, so the audit log of the bench database grows. Not
a test: timings never assert anything.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sia_bench"
DEFAULT_REPEAT = 5
SLOW_SECONDS = 1.0
ORGANISATION = "Storkommun"  # sia.demo.generate_data.ORGANISATION, before Django is set up
ANALYST = "stor.analytiker"
ANALYSIS_UNIT = "Uppföljning och analys"

if TYPE_CHECKING:
    from django.test import Client

    from sia.accounts.models import User


def refuse_unless_bench(url: str) -> None:
    """Stop unless the database is clearly a benchmark database."""
    parts = urlsplit(url)
    name = Path(parts.path).name if parts.scheme == "sqlite" else parts.path.lstrip("/")
    if not name.startswith("sia_bench"):
        sys.exit(f"Refusing {name!r}: the benchmark database name must start with sia_bench.")


def set_up_django(url: str) -> None:
    """Point Django at the benchmark database with the settings generate_data.py uses."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["SIA_DEMO"] = "1"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def analyze() -> None:
    """Give PostgreSQL's planner statistics for the freshly written rows, as autovacuum
    would have on a database in use."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def busiest_manager() -> tuple["User", int]:
    """The deputy manager of the generated unit that owns the most cases, and that count."""
    from django.db.models import Count

    from sia.accounts.models import Membership, Role
    from sia.cases.models import Case

    biggest = (
        Case.objects.filter(owning_unit__organisation__name=ORGANISATION)
        .values("owning_unit")
        .annotate(cases=Count("pk"))
        .order_by("-cases")
        .first()
    )
    if biggest is None:
        sys.exit("No generated cases: run bench/generate_data.py first.")
    membership = (
        Membership.objects.filter(unit_id=biggest["owning_unit"], role=Role.DEPUTY_UNIT_MANAGER)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is None:
        sys.exit("The busiest generated unit has no deputy manager.")
    return membership.user, biggest["cases"]


def analyst() -> tuple["User", int]:
    """An analyst of the generated municipality (created if missing) and its case count."""
    from sia.accounts.models import Membership, Organisation, Role, Unit, User
    from sia.cases.models import Case

    organisation = Organisation.objects.get(name=ORGANISATION)
    existing = Membership.objects.filter(
        unit__organisation=organisation, role=Role.ANALYST
    ).select_related("user")
    membership = existing.order_by("user__username").first()
    if membership is None:
        unit, _ = Unit.objects.get_or_create(
            organisation=organisation, name=ANALYSIS_UNIT, defaults={"kind": Unit.Kind.ANALYSIS}
        )
        user, _ = User.objects.get_or_create(
            username=ANALYST, defaults={"first_name": "Analys", "last_name": "Bench"}
        )
        membership = Membership.objects.create(user=user, unit=unit, role=Role.ANALYST)
    cases = Case.objects.filter(owning_unit__organisation=organisation).count()
    return membership.user, cases


@dataclass
class Timing:
    """One dashboard's figures for one user and one set of filters."""

    who: str
    slug: str
    filters: str
    warm_up: float
    median: float
    slowest: float
    queries: int
    sql_seconds: float
    slowest_query: tuple[float, str]


def timed_get(client: "Client", path: str, query: dict[str, str]) -> float:
    """GET the path and return the seconds it took; stop unless it answered 200."""
    started = time.perf_counter()
    response = client.get(path, query)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"GET {path} {query} answered {response.status_code}.")
    return seconds


def time_page(client: "Client", who: str, slug: str, query: dict[str, str], repeat: int) -> Timing:
    """Request the page `repeat` times; count the queries of one more, not timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/uppfoljning/{slug}/"
    seconds = [timed_get(client, path, query) for _ in range(repeat)]
    with CaptureQueriesContext(connection) as captured:
        timed_get(client, path, query)
    slowest = max(
        ((float(q["time"]), q["sql"]) for q in captured.captured_queries), default=(0.0, "")
    )
    rest = seconds[1:] or seconds
    return Timing(
        who=who,
        slug=slug,
        filters="per kön" if query else "standard",
        warm_up=seconds[0],
        median=statistics.median(rest),
        slowest=max(rest),
        queries=len(captured.captured_queries),
        sql_seconds=sum(float(q["time"]) for q in captured.captured_queries),
        slowest_query=slowest,
    )


def first_table_key(user: "User", slug: str) -> str:
    """The key of the dashboard's first table (its CSV download), built outside the clock."""
    from django.utils import timezone

    from sia.followup.access import scope_of
    from sia.followup.dashboards import get_dashboard
    from sia.followup.filters import Filters, default_period

    kind = get_dashboard(slug)
    assert kind is not None
    today = timezone.localdate()
    start, end = default_period(today)
    dashboard = kind.build(scope_of(user), Filters(date_from=start, date_to=end), today)
    return dashboard.sections[0].table.key


def time_exports(client: "Client", user: "User", slugs: list[str]) -> list[tuple[str, float]]:
    """One CSV and one Excel download per dashboard and one committee PDF, timed once."""
    rows: list[tuple[str, float]] = []
    for slug in slugs:
        key = first_table_key(user, slug)
        csv = timed_get(client, f"/uppfoljning/{slug}/export.csv", {"tabell": key})
        rows.append((f"{slug} CSV (`{key}`)", csv))
        rows.append((f"{slug} Excel", timed_get(client, f"/uppfoljning/{slug}/export.xlsx", {})))
    rows.append(("committee PDF", timed_get(client, "/uppfoljning/rapport.pdf", {})))
    return rows


def main() -> None:
    """Sign in as a manager and an analyst and time every dashboard and export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="requests per page")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    repeat: int = max(1, args.repeat)
    refuse_unless_bench(args.database_url)
    set_up_django(args.database_url)
    from django.test import Client

    from sia.followup.dashboards import DASHBOARDS

    slugs = [kind.slug for kind in DASHBOARDS]
    analyze()
    load_before = os.getloadavg()[0]
    users = [busiest_manager(), analyst()]
    timings: list[Timing] = []
    exports: list[tuple[str, str, float]] = []
    for user, cases in users:
        client = Client()
        client.force_login(user)
        who = f"{user.username} ({cases:,} cases)"
        print(f"Timing {len(slugs)} dashboards as {who}, {repeat} requests each ...", flush=True)
        for slug in slugs:
            for query in ({}, {"per_kon": "1"}):
                timings.append(time_page(client, who, slug, query, repeat))
        exports += [(who, what, seconds) for what, seconds in time_exports(client, user, slugs)]
    print_tables(timings, exports, repeat)
    print(f"\nLoad average (1 min) before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}.")


def print_tables(timings: list[Timing], exports: list[tuple[str, str, float]], repeat: int) -> None:
    print()
    columns = ("first (s)", "median (s)", "max (s)", "queries", "SQL (s)", "slowest query (s)")
    print(f"| user | dashboard | filters | {' | '.join(columns)} |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for t in timings:
        print(
            f"| {t.who} | {t.slug} | {t.filters} | {t.warm_up:.2f} | {t.median:.2f} "
            f"| {t.slowest:.2f} | {t.queries} | {t.sql_seconds:.2f} | {t.slowest_query[0]:.2f} |"
        )
    print(
        f"\nMedian and max over requests 2..{repeat} (the first is the warm-up); queries, "
        "their total time and the slowest of them from one more request.\n"
    )
    print("| user | download | seconds |")
    print("|---|---|---|")
    for who, what, seconds in exports:
        print(f"| {who} | {what} | {seconds:.2f} |")
    slow = [t for t in timings if t.median > SLOW_SECONDS]
    for t in slow:
        seconds, sql = t.slowest_query
        print(
            f"\nSlower than {SLOW_SECONDS:.0f} s: {t.slug} ({t.filters}) as {t.who}, "
            f"{t.queries} queries; the slowest took {seconds:.2f} s:\n{sql[:3000]}"
        )


if __name__ == "__main__":
    main()
