"""Benchmark: time `generate_data --cases N` on a fresh PostgreSQL database.

Usage: .venv/bin/python bench/generate_data.py [N]   (default 50000)

Drops and recreates the database named in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/sia_bench; the name must start with "sia_bench"
so a real database can never be dropped), migrates it, loads the demo, then times
the command and prints the figure. Not a test: timings never assert anything.
"""

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


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database, connecting to the server's maintenance db."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("sia_bench"):
        sys.exit(
            f"Refusing to drop {name!r}: the benchmark database name must start with sia_bench."
        )
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
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES
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
    print(f"generate_data --cases {cases}: {seconds:.1f} s wall clock (including Django start-up)")


if __name__ == "__main__":
    main()
