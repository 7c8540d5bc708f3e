"""Reading dolt_* results in every shape Doltgres versions and doltlite return, and the other pure helpers."""

import datetime

import pytest
from sqlalchemy import exc
from sqlalchemy.engine import make_url

import demo
from demo import MergeResult, parse_record, read_commit_hash, read_merge

HASH = "rntucmt22aemuqb4m99co3r2gl7kirq0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Doltgres 1.x, RECORD text through psycopg2 (observed on 1.2.0)
        (f'({HASH},1,0,"merge successful")', MergeResult(HASH, 1, 0, "merge successful")),
        (f'({HASH},0,0,"merge successful")', MergeResult(HASH, 0, 0, "merge successful")),
        (
            '("",0,0,"cannot fast forward from a to b. a is ahead of b already")',
            MergeResult("", 0, 0, "cannot fast forward from a to b. a is ahead of b already"),
        ),
        # quoted commas, doubled quotes and backslash escapes inside a field
        (
            f'({HASH},0,3,"conflicts in a, b; ""x"" \\\\ y")',
            MergeResult(HASH, 0, 3, 'conflicts in a, b; "x" \\ y'),
        ),
        # an empty unquoted field is NULL
        ("(,0,2,)", MergeResult("", 0, 2, None)),
        # Doltgres before 1.0: text[] arrives as a list of strings
        ([HASH, "1", "0", "merge successful"], MergeResult(HASH, 1, 0, "merge successful")),
        ([HASH, "0", "1"], MergeResult(HASH, 0, 1, None)),
        # SELECT * FROM dolt_merge(...): a row of typed columns
        ((HASH, 1, 0, "merge successful"), MergeResult(HASH, 1, 0, "merge successful")),
        ((HASH, True, 0, "merge successful"), MergeResult(HASH, 1, 0, "merge successful")),
        # doltlite: the resulting commit hash alone; the caller derives the rest
        (
            "9f55ebe5e1bfe28a614591df4c51c437f8d15050",
            MergeResult("9f55ebe5e1bfe28a614591df4c51c437f8d15050", None, None),
        ),
    ],
)
def test_read_merge(value, expected):
    assert read_merge(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HASH, HASH),  # Doltgres 1.x: a bare hash
        (None, None),  # Doltgres 1.x, --skip-empty with nothing to commit
        ([HASH], HASH),  # Doltgres before 1.0: text[]
        ([], None),
        ([""], None),
        (f"({HASH})", HASH),  # a one-field RECORD
        (0, None),  # doltlite, nothing to commit
        ("e8211041a6b8b8c892ab5255bcd1febda8e65a55", "e8211041a6b8b8c892ab5255bcd1febda8e65a55"),  # doltlite
        ((HASH,), HASH),  # a one-column row
    ],
)
def test_read_commit_hash(value, expected):
    assert read_commit_hash(value) == expected


def test_parse_record_survives_a_trailing_backslash():
    assert parse_record('(h,"x\\)') == ["h", "x"]  # cut short after a backslash: no IndexError


def test_parse_record_checkout_shape():
    assert parse_record("(0,\"Switched to branch 'b'\")") == ["0", "Switched to branch 'b'"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.2.0", (1, 2)), ("v0.51.3", (0, 51)), ("0.50.1-rc1", (0, 50)), (["0.50.1"], (0, 50)), ("dev", None)],
)
def test_read_version(value, expected):
    assert demo.read_version(value) == expected


@pytest.mark.parametrize("version", ["0.50.0", ["0.50.0"], "v0.50.0"])
def test_too_old_doltgres_is_one_sentence(monkeypatch, version):
    target = demo.DoltgresServer(demo.DEFAULT_URL)
    monkeypatch.setattr(demo, "dolt_version_at", lambda *_: version)
    with pytest.raises(
        demo.DemoError, match=r"Doltgres 0\.50 at 127\.0\.0\.1:5432 is too old .* 0\.51 or later"
    ):
        demo.check_doltgres_server(target)


def connect_error(message: str) -> exc.DBAPIError:
    return exc.OperationalError("connect", {}, Exception(message))


@pytest.mark.parametrize(
    ("message", "starts"),
    [
        ("table not found: pg_type", "the database 'My-Db' on Doltgres at db.example:5432 is damaged"),
        ('FATAL:  database "My-Db" does not exist', "there is no database 'My-Db'"),
        (
            'FATAL:  password authentication failed for user "postgres"',
            "Doltgres at db.example:5432 refused the login",
        ),
        ('FATAL:  role "payroll" does not exist', "Doltgres at db.example:5432 refused the login"),
        (
            'could not translate host name "parole-db.invalid" to address',
            "Doltgres isn't reachable at db.example:5432",
        ),
        (
            'connection to server on socket "/run/pg/.s.PGSQL.5432" failed: No such file or directory',
            "Doltgres isn't",
        ),
        (
            "something else entirely\nsecond line",
            "could not use Doltgres at db.example:5432: something else entirely",
        ),
    ],
)
def test_connect_errors_are_classified(message, starts):
    target = demo.DoltgresServer(make_url("postgresql+psycopg2://postgres:pw@db.example:5432/My-Db"))
    error = demo.explain_connect_error(target, connect_error(message))
    assert str(error).startswith(starts)
    assert isinstance(error, demo.DatabaseMissing) == message.startswith("FATAL:  database")


def test_damaged_database_message_gives_the_repair_with_quoted_names():
    target = demo.DoltgresServer(make_url("postgresql+psycopg2://postgres:pw@db.example:5432/My-Db"))
    message = str(demo.explain_connect_error(target, connect_error("table not found: pg_type")))
    assert "root commit" in message
    assert message.endswith('DROP DATABASE "My-Db"; CREATE DATABASE "My-Db";')


def test_missing_other_database_is_not_ours_to_create():
    target = demo.DoltgresServer(demo.DEFAULT_URL)
    error = demo.explain_connect_error(target, connect_error('FATAL:  database "postgres" does not exist'))
    assert not isinstance(error, demo.DatabaseMissing)


def test_decode_dates_turns_doltlite_text_into_python_dates():
    row = {
        "from_commit_date": "2026-12-03 15:54:06",
        "to_start_date": "2018-08-06",
        "to_commit_date": None,
        "to_id": 1,
    }
    assert demo.decode_dates(row) == {
        "from_commit_date": datetime.datetime(2026, 12, 3, 15, 54, 6),
        "to_start_date": datetime.date(2018, 8, 6),
        "to_commit_date": None,
        "to_id": 1,
    }


def test_table_label():
    assert demo.table_label("public.employees") == "employees"
    assert demo.table_label("employees") == "employees"


# --------------------------------------------------------------------------- where a run starts over


def history(log, parents, branches=None, tables=()):
    branches = branches if branches is not None else [("main", log[0][0], log[0][1], False)]
    return demo.History(log, parents, branches, list(tables))


DOLTGRES_BASE = [("c2", "CREATE DATABASE"), ("c1", "Initialize data repository")]
STORY = [("c4", "Inserted data into tables"), ("c3", "Created tables"), *DOLTGRES_BASE]
STORY_PARENTS = {"c4": ["c3"], "c3": ["c2"], "c2": ["c1"]}


def test_starting_point_is_where_the_demo_began():
    # Doltgres: two base commits. The root must never be the reset target: resetting to it damages the database.
    assert demo.starting_point(history(STORY, STORY_PARENTS)) == "c2"
    assert demo.starting_point(history(DOLTGRES_BASE, {"c2": ["c1"]})) == "c2"  # nothing committed yet: HEAD
    assert demo.starting_point(history([("c1", "Initialize data repository")], {})) == "c1"  # doltlite


def test_starting_point_does_not_depend_on_log_order():
    main = [("main", "c4", "Inserted data into tables", False)]
    assert demo.starting_point(history(list(reversed(STORY)), STORY_PARENTS, main)) == "c2"


def test_starting_point_skips_commits_stacked_on_the_demo():
    # With --force, someone's commit on top of the demo's goes too: the demo restarts where it began.
    log = [("c5", "Rename Sales"), *STORY]
    parents = {"c5": ["c4"], **STORY_PARENTS}
    assert demo.starting_point(history(log, parents)) == "c2"
    assert demo.foreign_things(history(log, parents)) == ["commit c5 'Rename Sales'"]


def test_starting_point_after_both_merges_follows_main():
    log = [("m", "Merge branch 'modify_schema' into main"), ("s", "Modified schema on branch")]
    log += [
        ("d", "Modified data on branch"),
        ("i", "Inserted data into tables"),
        ("c", "Created tables"),
        *DOLTGRES_BASE,
    ]
    parents = {"m": ["d", "s"], "s": ["i"], "d": ["i"], "i": ["c"], "c": ["c2"], "c2": ["c1"]}
    assert demo.starting_point(history(log, parents)) == "c2"
    assert demo.foreign_things(history(log, parents)) == []


def test_foreign_things_lists_what_the_demo_did_not_make():
    log = [("c3", "my own work"), ("c2", "Created tables"), ("c1", "Initialize data repository")]
    parents = {"c3": ["c2"], "c2": ["c1"]}
    branches = [
        ("feature", "c9", "wip", False),
        ("main", "c3", "my own work", True),
        ("modify_data", "c8", "someone else's", False),
    ]
    found = history(log, parents, branches, ["employees", "invoices"])
    # modify_data has left main's history: its own log was read on the branch.
    found.branch_logs["modify_data"] = [("c8", "someone else's"), ("c7", "Modified data on branch"), *log]
    found.uncommitted = ["uncommitted changes to 'teams' on branch 'main'"]
    assert demo.foreign_things(found) == [
        "table 'invoices'",
        "branch 'feature'",
        "commit c8 \"someone else's\" on branch 'modify_data'",
        "commit c3 'my own work'",
        "uncommitted changes to 'teams' on branch 'main'",
    ]
    clean = [("main", "c2", "Created tables", False), ("modify_data", "c2", "Created tables", True)]
    assert demo.foreign_things(history(log[1:], parents, clean, demo.DEMO_TABLES)) == []


def test_demo_branches_left_behind_by_an_interrupted_reset_are_the_demos():
    # Interrupted between the hard reset of main and the deletion of the branches: main is back at the
    # start, and modify_data still holds the demo's commits on top of it.
    found = history(DOLTGRES_BASE, {"c2": ["c1"]}, [("main", "c2", "CREATE DATABASE", False)])
    found.branches.append(("modify_data", "d", "Modified data on branch", False))
    found.branch_logs["modify_data"] = [("d", "Modified data on branch"), *STORY[:2], *DOLTGRES_BASE]
    assert demo.foreign_things(found) == []
    assert demo.starting_point(found) == "c2"


def test_a_root_commit_with_any_message_is_the_engines():
    assert demo.foreign_things(history([("r", "Initialise the repo")], {})) == []


# --------------------------------------------------------------------------- log order


def test_topo_order_lists_a_merged_branch_right_after_its_merge():
    parents = {
        "merge": ["data", "schema"],
        "data": ["inserted"],
        "schema": ["inserted"],
        "inserted": ["init"],
    }
    # Whatever order the engine listed them in (dates can tie), the result is the same.
    for listed in (
        ["merge", "data", "schema", "inserted", "init"],
        ["init", "inserted", "schema", "data", "merge"],
    ):
        assert demo.topo_order(listed, parents) == ["merge", "schema", "data", "inserted", "init"]


def test_topo_order_keeps_the_engines_order_without_edges():
    assert demo.topo_order(["m", "c2", "c1"], {}) == ["m", "c2", "c1"]
