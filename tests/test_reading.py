"""Reading alongside the article: --step, and the cost of a run counted in statements and connections."""

import os
import pty
import subprocess
import sys

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

import demo
from conftest import EXPECTED, ROOT, demo_env, normalise, run_demo

SECTIONS = [
    "Connect SQLAlchemy",
    "Create Tables",
    "Make a Doltgres Commit",
    "Examine the Log",
    "Insert Some Data",
    "Examine the Status and Diff",
    "Oh no. I made a mistake.",
    "Change data on a branch",
    "Change schema on another branch",
    "Merge it all together",
]
PROMPT = "[Enter: continue, q: quit] "


def without_step_lines(transcript: str) -> str:
    """The transcript with --step's headings and prompts taken out."""
    kept = []
    for line in transcript.splitlines(keepends=True):
        if line.startswith(("=== ", PROMPT)) or line == "\n":
            continue
        kept.append(line)
    return "".join(kept)


def test_step_with_piped_enters_shows_every_heading_and_the_same_story(tmp_path):
    run = run_demo("--embedded", "demo.db", "--step", cwd=tmp_path, stdin="\n" * len(SECTIONS))
    assert run.returncode == 0, run.stderr
    assert [line[4:-4] for line in run.stdout.splitlines() if line.startswith("=== ")] == SECTIONS
    assert run.stdout.count(PROMPT) == len(SECTIONS)
    assert normalise(without_step_lines(run.stdout)) == EXPECTED


def test_step_q_stops_cleanly(tmp_path):
    run = run_demo("--embedded", "demo.db", "--step", cwd=tmp_path, stdin="\n\nq\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("Stopped before Make a Doltgres Commit; run again to start over.")
    assert "Created commit" not in run.stdout
    assert run.stderr == ""


def test_step_end_of_input_runs_to_the_end(tmp_path):
    run = run_demo("--embedded", "demo.db", "--step", cwd=tmp_path, stdin="\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count(PROMPT) == 2  # the second prompt meets the end of input, and no more come
    assert normalise(without_step_lines(run.stdout)) == EXPECTED


def test_without_step_there_are_no_headings(tmp_path):
    run = run_demo("--embedded", "demo.db", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert normalise(run.stdout) == EXPECTED  # which has no headings or prompts
    assert "===" not in run.stdout and PROMPT not in run.stdout


def test_step_on_a_terminal(tmp_path):
    """Answers typed on a real terminal (a pseudo-terminal), not a pipe."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "demo.py"), "--embedded", "demo.db", "--step"],
        cwd=tmp_path,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=demo_env(),
    )
    os.close(terminal)
    os.write(controller, b"\n" * len(SECTIONS))
    stdout, stderr = process.communicate(timeout=120)
    os.close(controller)
    assert process.returncode == 0, stderr
    # On a terminal the Enter key echoes there, so the prompt's line is not ended a second time.
    assert stdout.count(PROMPT) == len(SECTIONS)
    assert PROMPT + "\n" not in stdout
    assert "Merge Complete: modify_schema" in stdout


# --------------------------------------------------------------------------- cost, by counting


@pytest.fixture
def counters():
    """Counts SQL statements and DBAPI connections opened and closed, for every engine and pool."""
    counts = {"statements": 0, "opened": 0, "closed": 0}

    def statement(*_):
        counts["statements"] += 1

    def opened(dbapi_connection, _record):
        counts["opened"] += 1

    def closed(dbapi_connection, _record):
        counts["closed"] += 1

    listeners = [
        (Engine, "before_cursor_execute", statement),
        (Pool, "connect", opened),
        (Pool, "close", closed),
    ]
    for target, name, function in listeners:
        event.listen(target, name, function)
    yield counts
    for target, name, function in listeners:
        event.remove(target, name, function)


@pytest.mark.parametrize("run", ["first run on a new file", "re-run on the same file"])
def test_statements_and_connections(tmp_path, capsys, counters, run):
    path = str(tmp_path / "demo.db")
    if run.startswith("re-run"):
        assert demo.main(["--embedded", path]) == 0
        capsys.readouterr()
        counters.update(statements=0, opened=0, closed=0)
    assert demo.main(["--embedded", path]) == 0
    assert normalise(capsys.readouterr().out) == EXPECTED
    # Each new connection also runs one dolt_checkout outside SQLAlchemy's statement events.
    statements = counters["statements"] + counters["opened"]
    print(f"{run}: {statements} statements, {counters['opened']} connections")
    assert statements <= 400
    assert counters["opened"] <= 8
    assert counters["opened"] == counters["closed"]  # none left open


def test_own_tables_are_reflected_once_per_schema(tmp_path, capsys, monkeypatch):
    reflections = []
    real = demo.MetaData.reflect
    monkeypatch.setattr(
        demo.MetaData,
        "reflect",
        lambda self, bind, **kw: (reflections.append(bind), real(self, bind, **kw))[1],
    )
    assert demo.main(["--embedded", str(tmp_path / "demo.db")]) == 0
    capsys.readouterr()
    # main: after the inserts, before the merges, after each merge; each branch once.
    assert len(reflections) == 6
