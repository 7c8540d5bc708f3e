"""The whole article, replayed for real on the embedded Dolt engine (doltlite), twice on one file."""

import datetime
import re

import pytest

from conftest import EXPECTED, normalise, run_demo

BEFORE = [
    "Engineering: Tim Sehn",
    "Engineering: Brian Hendriks",
    "Engineering: Aaron Son",
    "Sales: Tim Sehn",
    "Sales: Brian Fitzgerald",
]
AFTER_DATA = [
    "Engineering: Timothy Sehn",
    "Engineering: Brian Hendriks",
    "Engineering: Aaron Son",
    "Engineering: Daylon Wilkins",
    "Sales: Brian Fitzgerald",
]
AFTER_SCHEMA = [
    "Engineering: Tim Sehn 2018-08-06",
    "Engineering: Brian Hendriks 2018-08-06",
    "Engineering: Aaron Son 2018-08-06",
    "Sales: Tim Sehn 2018-08-06",
    "Sales: Brian Fitzgerald 2021-04-19",
]
FINAL = [
    "Engineering: Timothy Sehn 2018-08-06",
    "Engineering: Brian Hendriks 2018-08-06",
    "Engineering: Aaron Son 2018-08-06",
    "Engineering: Daylon Wilkins",
    "Sales: Brian Fitzgerald 2021-04-19",
]


def blocks(transcript: str, header: str) -> list[list[str]]:
    """The tab-indented lines under each occurrence of `header`."""
    found, current = [], None
    for line in transcript.splitlines():
        if line == header:
            current = []
            found.append(current)
        elif current is not None and line.startswith("\t"):
            current.append(line[1:])
        else:
            current = None
    return found


def diffs(transcript: str) -> dict[str, list[list[dict]]]:
    """Each 'Diffing table: T' with the pretty-printed rows under it, evaluated back to dicts."""
    found: dict[str, list[list[dict]]] = {}
    parts = re.split(r"^Diffing table: (\w+)\n", transcript, flags=re.MULTILINE)
    for name, body in zip(parts[1::2], parts[2::2]):
        rows = re.findall(r"^\{.*?\}$", body, flags=re.MULTILINE | re.DOTALL)
        found.setdefault(name, []).append(
            [eval(row, {"__builtins__": {}, "datetime": datetime}) for row in rows]
        )
    return found


def log_messages(transcript: str) -> list[list[str]]:
    return [[line.split(": ", 1)[1] for line in block] for block in blocks(transcript, "Commit Log:")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs in a row on one fresh doltlite file."""
    folder = tmp_path_factory.mktemp("walkthrough")
    first = run_demo("--embedded", "demo.db", cwd=folder)
    second = run_demo("--embedded", "demo.db", cwd=folder)
    return first, second


def test_both_runs_succeed_quietly(runs):
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""


def test_transcript_matches_the_checked_in_one(runs):
    assert normalise(runs[0].stdout) == EXPECTED


def test_second_run_tells_the_same_story(runs):
    assert normalise(runs[1].stdout) == normalise(runs[0].stdout)
    # Both runs start from the same commit: the state before the demo's first change.
    starts = [re.search(r"Resetting to commit: (\w+)", run.stdout).group(1) for run in runs]
    assert starts[0] == starts[1]


def test_six_team_summaries(runs):
    assert blocks(runs[1].stdout, "Team Summary") == [
        BEFORE,
        AFTER_DATA,
        AFTER_SCHEMA,
        BEFORE,
        AFTER_DATA,
        FINAL,
    ]


def test_statuses(runs):
    assert blocks(runs[1].stdout, "Status") == [
        ["employees: modified", "employees_teams: modified", "teams: modified"],
        ["employees_teams: deleted"],
        ["No tables modified"],
        ["employees: modified", "employees_teams: modified"],
        ["employees: modified"],
    ]


def test_tables_dropped_then_restored(runs):
    all_three = ["employees", "employees_teams", "teams"]
    assert blocks(runs[1].stdout, "Tables in database:") == [all_three, ["employees", "teams"], all_three]
    assert "Resetting to HEAD" in runs[1].stdout


def test_commit_logs(runs):
    init = "Initialize data repository by doltlite"
    created, inserted = "Created tables by Jason", "Inserted data into tables by Aaron"
    data, schema = "Modified data on branch by Brian", "Modified schema on branch by Jason"
    assert log_messages(runs[1].stdout) == [
        [created, init],
        [inserted, created, init],
        [data, inserted, created, init],
        [schema, inserted, created, init],
        [inserted, created, init],
        [data, inserted, created, init],
        # As in the article: the merged branch's commit right after the merge commit.
        ["Merge branch 'modify_schema' into main by doltlite", schema, data, inserted, created, init],
    ]


def test_diffs(runs):
    found = diffs(runs[1].stdout)
    inserted, on_branch, on_schema = found["employees"]
    assert [
        (row["diff_type"], row["to_id"], row["to_first_name"], row["to_last_name"]) for row in inserted
    ] == [
        ("added", 0, "Tim", "Sehn"),
        ("added", 1, "Brian", "Hendriks"),
        ("added", 2, "Aaron", "Son"),
        ("added", 3, "Brian", "Fitzgerald"),
    ]
    assert [(r["diff_type"], r["from_first_name"], r["to_first_name"], r["to_id"]) for r in on_branch] == [
        ("modified", "Tim", "Timothy", 0),
        ("added", None, "Daylon", 4),
    ]
    assert [(r["from_id"], r["from_start_date"], r["to_start_date"]) for r in on_schema] == [
        (0, None, datetime.date(2018, 8, 6)),
        (1, None, datetime.date(2018, 8, 6)),
        (2, None, datetime.date(2018, 8, 6)),
        (3, None, datetime.date(2021, 4, 19)),
    ]
    assert {row["diff_type"] for row in on_schema} == {"modified"}
    [teams] = found["employees_teams"]
    assert [
        (r["diff_type"], r["from_employee_id"], r["from_team_id"], r["to_employee_id"], r["to_team_id"])
        for r in teams
    ] == [
        ("removed", 0, 1, None, None),
        ("added", None, None, 4, 0),
    ]
    for row in inserted + on_branch + on_schema + teams:
        assert row["to_commit"] == "WORKING" and row["to_commit_date"] is None
        assert isinstance(row["from_commit_date"], datetime.datetime)


def test_merges(runs):
    out = runs[1].stdout
    merges = re.findall(
        r"Merge Complete: (\w+)\n\tCommit: (\w+)\n\tFast Forward: (\d)\n\tConflicts: (\d+)", out
    )
    data_commit = re.search(r"(\w+): Modified data on branch", out).group(1)
    merge_commit = re.search(r"(\w+): Merge branch 'modify_schema' into main", out).group(1)
    assert merges == [("modify_data", data_commit, "1", "0"), ("modify_schema", merge_commit, "0", "0")]


def test_branch_steps(runs):
    out = runs[1].stdout
    assert re.findall(r"^(?:Using|Active) branch: \w+|^Created branch: \w+", out, flags=re.MULTILINE) == [
        "Using branch: main",
        "Active branch: main",
        "Created branch: modify_data",
        "Using branch: modify_data",
        "Using branch: main",
        "Created branch: modify_schema",
        "Using branch: modify_schema",
        "Active branch: modify_schema",
        "Using branch: main",
        "Active branch: main",
    ]
