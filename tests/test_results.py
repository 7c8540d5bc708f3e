"""Reading dolt_* results in every shape engine-facts lists, and the other pure helpers."""

import datetime

import pytest
from sqlalchemy import exc

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


def test_parse_record_checkout_shape():
    assert parse_record("(0,\"Switched to branch 'b'\")") == ["0", "Switched to branch 'b'"]


@pytest.mark.parametrize(
    ("text", "expected"), [("1.2.0", (1, 2, 0)), ("v0.51.3", (0, 51, 3)), ("0.50.1-rc1", (0, 50, 1))]
)
def test_version_tuple(text, expected):
    assert demo.version_tuple(text) == expected


def test_too_old_doltgres_is_one_sentence(monkeypatch):
    target = demo.DoltgresServer(demo.DEFAULT_URL)
    monkeypatch.setattr(demo, "dolt_version_at", lambda *_: "0.50.0")
    with pytest.raises(
        demo.DemoError, match=r"Doltgres 0\.50\.0 at 127\.0\.0\.1:5432 is too old .* 0\.51 or later"
    ):
        demo.check_doltgres_server(target)


def test_damaged_database_message_gives_the_repair():
    target = demo.DoltgresServer(demo.DEFAULT_URL)
    error = exc.ProgrammingError("select 1", {}, Exception("table not found: pg_type"))
    message = str(demo.explain_connect_error(target, error))
    assert "damaged" in message and "root commit" in message
    assert "DROP DATABASE sql_alchemy_big_demo; CREATE DATABASE sql_alchemy_big_demo;" in message


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


def test_starting_point_is_newest_commit_the_demo_did_not_make():
    # Doltgres: two base commits; the root one must never be the reset target (engine-facts, Must 1).
    log = [
        ("c4", "Inserted data into tables"),
        ("c3", "Created tables"),
        ("c2", "CREATE DATABASE"),
        ("c1", "Initialize data repository"),
    ]
    assert demo.starting_point(log) == "c2"
    assert demo.starting_point(log[2:]) == "c2"
    assert demo.starting_point([("c1", "Initialize data repository")]) == "c1"  # doltlite: one base commit


def test_foreign_things_lists_what_the_demo_did_not_make():
    log = [("c3", "my own work"), ("c2", "Created tables"), ("c1", "Initialize data repository")]
    branches = [
        ("feature", "c9", "wip"),
        ("main", "c3", "my own work"),
        ("modify_data", "c8", "someone else's"),
    ]
    assert demo.foreign_things(log, branches, ["employees", "invoices"]) == [
        "table 'invoices'",
        "branch 'feature'",
        "commit c8 \"someone else's\" on branch 'modify_data'",
        "commit c3 'my own work'",
    ]
    clean_branches = [("main", "c2", "Created tables"), ("modify_data", "c2", "Created tables")]
    assert demo.foreign_things(log[1:], clean_branches, list(demo.DEMO_TABLES)) == []


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
