"""Shared fixtures: the demo as a subprocess, a real PostgreSQL 15 server, and transcript normalising."""

# doltlite must load before anything imports sqlite3, or it re-executes the interpreter.
import doltlite  # noqa: F401  isort: skip

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_PASSWORD = "pg-test-secret"
# The embedded run's output, with hashes and dates replaced (see tests/expected/DIFFERENCES.md).
EXPECTED = (ROOT / "tests" / "expected" / "embedded-transcript.txt").read_text()


def demo_env(extra: dict | None = None) -> dict:
    """The environment a reader's shell would give demo.py: no connection settings of ours."""
    # doltlite marks its own process as bootstrapped in the environment; a child must load it afresh.
    dropped = ("DOLTGRES_URL", "_DOLTLITE_BOOTSTRAPPED")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k not in dropped}
    env.update(extra or {})
    return env


def run_demo(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None):
    """Runs `python demo.py ARGS` the way a reader does; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, str(ROOT / "demo.py"), *args],
        check=False,
        cwd=cwd,
        env=demo_env(env),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )


def normalise(transcript: str) -> str:
    """Replaces commit hashes by <commit-N> in order of first appearance, and datetimes by <datetime>."""
    names: dict[str, str] = {}

    def name(match: re.Match) -> str:
        return names.setdefault(match.group(0), f"<commit-{len(names) + 1}>")

    transcript = re.sub(r"\b[0-9a-v]{32}\b|\b[0-9a-f]{40}\b", name, transcript)
    return re.sub(r"datetime\.datetime\([0-9, ]+\)", "<datetime>", transcript)


# --------------------------------------------------------------------------- PostgreSQL


def find_pg_bin() -> Path | None:
    """Debian's PostgreSQL server binaries, newest first."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root, and CI runs as root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL 15 cluster on a free loopback port, with password login."""
    bindir = find_pg_bin()
    if bindir is None:
        reason = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the PostgreSQL tests")
        pytest.skip(reason)
    home = Path(tempfile.mkdtemp(prefix="demo-pg-"))
    pwfile = home / "pw"
    pwfile.write_text(PG_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(pwfile, "postgres")
    data, port = home / "data", free_port()
    subprocess.run(
        as_postgres_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={home}"
    subprocess.run(
        as_postgres_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield URL.create(
            "postgresql+psycopg2",
            username="postgres",
            password=PG_PASSWORD,
            host="127.0.0.1",
            port=port,
            database="postgres",
        )
    finally:
        subprocess.run(
            as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)


def admin_engine(server_url: URL):
    return create_engine(server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def database_names(server_url: URL) -> list[str]:
    engine = admin_engine(server_url)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database ORDER BY datname")).scalars().all()
    engine.dispose()
    return names


@pytest.fixture
def scratch_db(pg_server):
    """A fresh database on the PostgreSQL test server, dropped afterwards; yields its URL."""
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    engine = admin_engine(pg_server)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield pg_server.set(database=name)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    engine.dispose()
