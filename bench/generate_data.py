"""Benchmark: time `generate_data --cases N` on a fresh database.

Usage: .venv/bin/python bench/generate_data.py [--cases N]   (default 50000)

Drops and recreates the database named in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/sia_bench; the name must start with "sia_bench"
so a real database can never be dropped), migrates it, loads the demo, then times
the command and prints the figure. A sqlite:/// URL whose file name starts with
"sia_bench" works too, for a quick run without PostgreSQL. Not a test: timings
never assert anything.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sia_bench"
DEFAULT_CASES = 50_000


def refuse_unless_bench(name: str) -> None:
    """Stop unless the database is clearly a benchmark database."""
    if not name.startswith("sia_bench"):
        sys.exit(
            f"Refusing to drop {name!r}: the benchmark database name must start with sia_bench."
        )


def recreate_sqlite(url: str) -> None:
    """Delete the benchmark SQLite file; migrate creates it again."""
    path = Path(urlsplit(url).path[1:])  # sqlite:///relative or sqlite:////absolute
    refuse_unless_bench(path.name)
    for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database, connecting to the server's maintenance db."""
    if url.startswith("sqlite:"):
        recreate_sqlite(url)
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    refuse_unless_bench(name)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> float:
    """Run a manage.py command and return the wall-clock seconds it took."""
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, env=env, check=True, stdout=output)  # noqa: S603
    return time.perf_counter() - started


def main() -> None:
    """Recreate the database, prepare it and time generate_data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="number of cases")
    cases: int = parser.parse_args().cases
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
        "SIA_DEMO": "1",
    }
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", quiet=True)
    seconds = manage(env, "generate_data", "--cases", str(cases))
    engine = urlsplit(url).scheme
    print(
        f"generate_data --cases {cases} on {engine}: {seconds:.1f} s wall clock "
        "(including Django start-up)"
    )


if __name__ == "__main__":
    main()
