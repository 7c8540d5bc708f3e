"""Never lose data the demo did not create, and survive interruptions (real doltlite files)."""

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys

import pytest

import demo
from conftest import EXPECTED, ROOT, demo_env, normalise, run_demo


def snapshot(path) -> dict:
    """Everything a user could lose: commits, branches, tables and their rows, on every branch."""
    conn = sqlite3.connect(path)
    state = {"log": conn.execute("SELECT commit_hash, message FROM dolt_log").fetchall()}
    state["branches"] = conn.execute("SELECT name, hash FROM dolt_branches ORDER BY name").fetchall()
    for branch, _ in state["branches"]:
        conn.execute("SELECT dolt_checkout(?)", (branch,))
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall():
            state[(branch, name)] = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
        state[(branch, "status")] = conn.execute("SELECT * FROM dolt_status").fetchall()
    conn.close()
    return state


def someone_writes(path, *statements: str) -> None:
    """Someone else at work on the file, with doltlite directly, each statement in autocommit."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


@pytest.fixture
def someone_elses_file(tmp_path):
    """A doltlite file with a committed table of someone's, and a branch of theirs."""
    path = tmp_path / "theirs.db"
    someone_writes(
        path,
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)",
        "INSERT INTO invoices VALUES (1, 250), (2, 990)",
        "SELECT dolt_add('-A')",
        "SELECT dolt_commit('-m', 'Add invoices')",
        "SELECT dolt_branch('quarterly-report')",
    )
    return path


def refusal(path) -> tuple[str, dict]:
    """Runs the demo on `path`, checks it refused and changed nothing; returns its message and the state."""
    before = snapshot(path)
    run = run_demo("--embedded", str(path))
    assert run.returncode == 1
    assert "Resetting" not in run.stdout
    assert snapshot(path) == before
    [line] = run.stderr.splitlines()
    return line, before


def test_guard_refuses_and_changes_nothing(someone_elses_file):
    line, before = refusal(someone_elses_file)
    assert line == (
        f"error: {someone_elses_file} holds data this demo did not create (table 'invoices', "
        f"branch 'quarterly-report', commit {before['log'][0][0][:8]} 'Add invoices'), so it changed nothing; "
        "use another file (--embedded OTHER.db), or run with --force to reset it anyway"
    )


def test_force_proceeds_and_says_so(someone_elses_file):
    theirs = snapshot(someone_elses_file)["log"][0][0]
    run = run_demo("--embedded", str(someone_elses_file), "--force")
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "--force: resetting main and deleting every other branch, despite table 'invoices', "
        "branch 'quarterly-report', commit " + theirs[:8] + " 'Add invoices'"
    ]
    assert "Merge Complete: modify_schema" in run.stdout
    # The demo never committed here, so it starts from main's head: the invoices survive on main.
    after = snapshot(someone_elses_file)
    assert after[("main", "invoices")] == [(1, 250), (2, 990)]


@pytest.fixture
def demo_file(tmp_path):
    """A file the demo has run on once."""
    path = tmp_path / "demo.db"
    assert run_demo("--embedded", str(path)).returncode == 0
    return path


@pytest.fixture
def commit_on_top(demo_file):
    """A file the demo ran on, with someone's commit on top of the demo's."""
    path = demo_file
    someone_writes(
        path,
        "UPDATE teams SET name = 'Marketing' WHERE id = 1",
        "SELECT dolt_commit('-a', '-m', 'Rename Sales')",
    )
    return path


def test_guard_refuses_a_foreign_commit_on_top_of_the_demo(commit_on_top):
    line, before = refusal(commit_on_top)
    assert f"(commit {before['log'][0][0][:8]} 'Rename Sales')" in line


def test_guard_refuses_work_hidden_below_a_demo_named_commit(demo_file):
    someone_writes(
        demo_file,
        "SELECT dolt_checkout('modify_data')",
        "CREATE TABLE precious (x)",
        "SELECT dolt_commit('-A', '-m', 'my important work')",
        "DROP TABLE precious",
        "SELECT dolt_commit('-A', '-m', 'Modified data on branch')",
    )
    line, _ = refusal(demo_file)
    assert re.search(r"\(commit \w{8} 'my important work' on branch 'modify_data'\)", line)


def test_guard_refuses_an_engine_named_commit_above_the_demo(demo_file):
    someone_writes(
        demo_file,
        "UPDATE teams SET name = 'Ops' WHERE id = 1",
        "SELECT dolt_commit('-a', '-m', 'CREATE DATABASE')",
    )
    line, before = refusal(demo_file)
    assert f"(commit {before['log'][0][0][:8]} 'CREATE DATABASE')" in line


def test_force_restarts_below_a_commit_stacked_on_the_demo(commit_on_top):
    run = run_demo("--embedded", str(commit_on_top), "--force")
    assert run.returncode == 0, run.stderr
    assert normalise(run.stdout) == EXPECTED


@pytest.mark.parametrize(
    ("branch", "change", "found"),
    [
        (
            "main",
            "INSERT INTO employees VALUES (99, 'Mine', 'Precious', NULL)",
            "uncommitted changes to 'employees' on branch 'main'",
        ),
        (
            "main",
            "UPDATE teams SET name = 'Marketing' WHERE id = 1",
            "uncommitted changes to 'teams' on branch 'main'",
        ),
        (
            "main",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY)",
            "table 'notes', uncommitted table 'notes' on branch 'main'",
        ),
        (
            "modify_data",
            "DELETE FROM teams WHERE id = 1",
            "uncommitted changes to 'teams' on branch 'modify_data'",
        ),
        (
            "main",
            "UPDATE employees SET start_date = '1999-01-01' WHERE id = 3",
            "uncommitted changes to 'employees' on branch 'main'",
        ),
        (
            "main",
            "ALTER TABLE teams ADD COLUMN budget INTEGER",
            "uncommitted changes to 'teams' on branch 'main'",
        ),
        (
            "main",
            "CREATE TRIGGER audit AFTER INSERT ON teams BEGIN SELECT 1; END",
            "uncommitted triggers or views on branch 'main'",
        ),
    ],
)
def test_guard_refuses_someones_uncommitted_work(demo_file, branch, change, found):
    someone_writes(demo_file, f"SELECT dolt_checkout('{branch}')", "PRAGMA foreign_keys = OFF", change)
    line, _ = refusal(demo_file)
    assert f"holds data this demo did not create ({found})" in line


# --------------------------------------------------------------------------- interruptions


def interrupt_after(monkeypatch, function_name: str, nth: int = 1) -> None:
    """Makes demo.<function_name> raise KeyboardInterrupt right after its nth call has done its work."""
    real = getattr(demo, function_name)
    calls = []

    def interrupted(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == nth:
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(demo, function_name, interrupted)


@pytest.mark.parametrize(
    ("function_name", "nth", "section", "left_behind"),
    [
        ("dolt_reset_hard", 1, "Connect SQLAlchemy", "main reset to the start, the old branches still there"),
        ("dolt_commit", 1, "Make a Doltgres Commit", "main with 'Created tables' but not the next commit"),
        ("insert_data", 1, "Insert Some Data", "a dirty working set on main"),
        ("drop_table", 1, "Oh no. I made a mistake.", "a dropped table"),
        ("dolt_create_branch", 1, "Change data on a branch", "a branch without its commit"),
        ("modify_data", 1, "Change data on a branch", "a dirty working set on a branch"),
        ("modify_schema", 1, "Change schema on another branch", "a schema change, uncommitted"),
        ("dolt_merge", 1, "Merge it all together", "one merge done, not the other"),
    ],
)
def test_interrupted_run_then_full_rerun(
    tmp_path, monkeypatch, capsys, function_name, nth, section, left_behind
):
    path = str(tmp_path / "demo.db")
    assert demo.main(["--embedded", path]) == 0  # a previous, complete run
    capsys.readouterr()

    interrupt_after(monkeypatch, function_name, nth)
    assert demo.main(["--embedded", path]) == 130, left_behind
    captured = capsys.readouterr()
    assert captured.err == f"interrupted during {section}; run again to start over\n"
    assert "Traceback" not in captured.out

    monkeypatch.undo()
    assert demo.main(["--embedded", path]) == 0
    captured = capsys.readouterr()
    assert normalise(captured.out) == EXPECTED
    assert captured.err == ""


def test_ctrl_c_in_a_real_process(tmp_path):
    """A real SIGINT, sent while --step waits before a known section, so it lands at a known point."""
    path = str(tmp_path / "demo.db")
    assert run_demo("--embedded", path).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "demo.py"), "--embedded", path, "--step"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=demo_env(),
    )
    for line in process.stdout:
        if line == "=== Change data on a branch ===\n":
            process.send_signal(signal.SIGINT)  # the demo is waiting for Enter, or about to
            break
        if line.startswith("==="):
            process.stdin.write("\n")
            process.stdin.flush()
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert stderr == "interrupted during Change data on a branch; run again to start over\n"
    assert "Created branch" not in stdout
    rerun = run_demo("--embedded", path)
    assert rerun.returncode == 0, rerun.stderr
    assert normalise(rerun.stdout) == EXPECTED


def test_ten_runs_tell_the_same_story(tmp_path):
    transcripts = {normalise(run_demo("--embedded", "demo.db", cwd=tmp_path).stdout) for _ in range(10)}
    assert transcripts == {EXPECTED}


def test_merge_conflict_is_reported_not_completed(tmp_path, capsys):
    """A real conflict on doltlite: the merge stops, says so, and exits non-zero."""
    path = str(tmp_path / "conflict.db")
    assert demo.main(["--embedded", path]) == 0
    capsys.readouterr()
    target = demo.EmbeddedDoltlite(path)
    try:
        main = demo.dolt_checkout(target, "main")
        demo.dolt_create_branch(main, "modify_data")
        for branch, name in (("main", "Marketing"), ("modify_data", "Support")):
            engine = target.engine(branch)
            with engine.begin() as conn:
                conn.exec_driver_sql("UPDATE teams SET name = ? WHERE id = 1", (name,))
            demo.dolt_commit(engine, "Test <t@example.com>", f"Rename Sales on {branch}")
        head_before = snapshot(path)["branches"]
        capsys.readouterr()
        with pytest.raises(
            demo.MergeConflict, match="merging 'modify_data' stopped on conflicts, so nothing was merged"
        ):
            demo.dolt_merge(main, "modify_data")
        assert "Merge Complete" not in capsys.readouterr().out
        assert snapshot(path)["branches"] == head_before
    finally:
        target.dispose()


def test_merge_conflict_exits_one_with_one_line(tmp_path, monkeypatch, capsys):
    """Doltgres reports conflicts in its result instead of raising: no Merge Complete, exit 1."""
    monkeypatch.setattr(demo, "call", _conflicting_merge(demo.call))
    assert demo.main(["--embedded", str(tmp_path / "demo.db")]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "error: merging 'modify_data' stopped on conflicts, so nothing was merged: see dolt_conflicts"
    ]
    assert "Merge Complete" not in captured.out


def _conflicting_merge(real_call):
    """The real dolt_* calls, except that dolt_merge answers as Doltgres does for a conflict."""

    def call(conn, function, *args):
        if function == "dolt_merge":
            return '("",0,1,"conflicts")'
        return real_call(conn, function, *args)

    return call


def stock_sqlite_file(path) -> None:
    """An ordinary SQLite database, written by a Python that has not loaded doltlite."""
    script = (
        f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute('CREATE TABLE notes (x)'); c.commit()"
    )
    subprocess.run([sys.executable, "-c", script], check=True, env={"PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is not a file path the demo can use"),
        (
            lambda p: p.write_text("hello"),
            "holds something other than a database, which the demo won't overwrite",
        ),
        (
            lambda p: p.write_text("x"),
            "holds something other than a database, which the demo won't overwrite",
        ),
        (
            lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84),
            "can't be used as a doltlite database",
        ),
        (
            stock_sqlite_file,
            "can't be used as a doltlite database (dolt version-control features are not available",
        ),
        (lambda p: sqlite3.connect(p).close(), None),  # an empty doltlite database is fine
    ],
)
def test_unusable_files_are_one_line(tmp_path, make, expected):
    path = tmp_path / "thing.db"
    make(path)
    before = None if path.is_dir() else path.read_bytes()
    run = run_demo("--embedded", str(path))
    if expected is None:
        assert run.returncode == 0, run.stderr
        return
    assert run.returncode == 1
    assert len(run.stderr.splitlines()) == 1 and expected in run.stderr
    assert "Traceback" not in run.stderr
    assert path.is_dir() or path.read_bytes() == before  # nothing lost


def test_missing_folder_is_one_line(tmp_path):
    run = run_demo("--embedded", str(tmp_path / "no" / "such" / "demo.db"))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: '{tmp_path}/no/such/demo.db' is not a file path the demo can use: name a .db file in an existing folder"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--bogus"], "error: unrecognized arguments: --bogus (see --help)"),
        (
            ["--url", "postgresql://h/db", "--embedded"],
            "error: choose either --url or --embedded (see --help)",
        ),
    ],
)
def test_command_line_mistakes_are_one_line(args, expected):
    run = run_demo(*args)
    assert (run.returncode, run.stderr, run.stdout) == (2, expected + "\n", "")


# --------------------------------------------------------------------------- odd inputs, still one line


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["--url", "postgresql://postgres:p@ssw0rd@127.0.0.1:1/db"],
            {},
            "error: the URL has more than one '@'",
        ),
        (
            ["--url", "postgresql://u:s3cr%00et@127.0.0.1:1/db"],
            {},
            "error: the connection settings contain a NUL",
        ),
        ([], {"PGPORT": "²"}, "error: PGPORT must be a port number, not '²'"),
        (["--embedded", ""], {}, "error: --embedded needs a file"),
        (["--embedded", ":memory:"], {}, "error: --embedded needs a file"),
        (["--embedded", "/dev/null"], {}, "error: '/dev/null' is not a file path the demo can use"),
        (
            ["postgresql+psycopg2://postgres:hunter2@127.0.0.1/db"],
            {},
            "error: unrecognized arguments: postgresql",
        ),
        (
            ["--embedded", "postgresql://postgres:hunter2@h/db"],
            {},
            "error: 'postgresql://postgres:***@h/db' is not",
        ),
    ],
)
def test_odd_settings_are_one_line_without_secrets(tmp_path, args, env, expected):
    run = run_demo(*args, env=env, cwd=tmp_path)
    assert run.returncode in (1, 2)
    [line] = run.stderr.splitlines()
    assert line.startswith(expected)
    assert "ssw0rd" not in line and "s3cr" not in line and "hunter2" not in line
    assert list(tmp_path.iterdir()) == []  # no file was created


def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    run = run_demo("--embedded", str(fifo))
    assert (run.returncode, run.stderr) == (
        1,
        f"error: '{fifo}' is not a file path the demo can use: name a .db file in an existing folder\n",
    )


def test_a_full_disk_behind_the_output_is_one_line(tmp_path):
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, str(ROOT / "demo.py"), "--embedded", "demo.db"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=demo_env(),
            check=False,
        )
    assert run.returncode == 1
    assert run.stderr == "error: could not write the demo's output: No space left on device\n"


def test_step_without_any_stdin_runs_through(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "demo.py"), "--embedded", "demo.db", "--step"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=demo_env(),
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert run.returncode == 0, run.stderr
    assert "Merge Complete: modify_schema" in run.stdout


def test_step_answer_that_is_not_text_counts_as_enter():
    answers = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n"), encoding="utf-8")
    sections = demo.Sections(step=True, answers=answers)
    sections.enter("Create Tables")  # neither stops nor raises
    assert sections.step and sections.current == "Create Tables"


STOP_WHILE_LOADING = """
import os, signal, sys

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy.orm":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
"""


def test_ctrl_c_while_the_libraries_load(tmp_path):
    """SIGINT delivered while demo.py imports SQLAlchemy's ORM: still one line and exit 130."""
    (tmp_path / "sitecustomize.py").write_text(STOP_WHILE_LOADING)
    run = run_demo("--embedded", "demo.db", cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert (run.returncode, run.stdout) == (130, "")
    assert run.stderr == "interrupted during start-up; run again to start over\n"


def test_a_merge_with_nothing_to_merge_says_so(demo_file, monkeypatch, capsys):
    """Doltgres 1.2 answers an up-to-date merge with an empty hash and a message; show the message."""
    answer = '("",0,0,"cannot fast forward from a to b. a is ahead of b already")'
    monkeypatch.setattr(demo, "call", lambda conn, function, *args: answer)
    target = demo.EmbeddedDoltlite(str(demo_file))
    try:
        demo.dolt_merge(target.engine("main"), "modify_data")
    finally:
        target.dispose()
    assert capsys.readouterr().out == (
        "Merge Complete: modify_data\n"
        "\tCommit: (none: cannot fast forward from a to b. a is ahead of b already)\n"
        "\tFast Forward: 0\n\tConflicts: 0\n"
    )
