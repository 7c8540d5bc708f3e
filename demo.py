#!/usr/bin/env python3
"""A runnable companion to DoltHub's article "Getting Started: SQLAlchemy and Doltgres".

    python demo.py                  # against a Doltgres server (see --help for settings)
    python demo.py --embedded       # on doltlite, Dolt's engine inside SQLite: no server

The functions follow the article's sections in order. After them come the few places where Doltgres and
the embedded engine differ, the checks made before anything is changed, and main(), which replays it all.
"""

from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = "interrupted during {}; run again to start over"


def interrupted_while_loading(*_) -> None:
    """Command line: Ctrl-C before main() has started."""
    print(INTERRUPTED.format("start-up"), file=sys.stderr)
    os._exit(130)


if __name__ == "__main__":
    # Loading the libraries takes a good part of a run, so a Ctrl-C then also gets one line, not a
    # traceback. main() hands Ctrl-C back to Python once they are in.
    signal.signal(signal.SIGINT, interrupted_while_loading)

import argparse
import datetime
import functools
import logging
import re
from dataclasses import dataclass, field
from pprint import pprint

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    column,
    create_engine,
    delete,
    event,
    exc,
    func,
    insert,
    inspect,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

# SQLAlchemy logs a traceback when Ctrl-C interrupts a connection on its way back to the pool; the demo
# reports the interruption itself, in one line.
logging.getLogger("sqlalchemy").addHandler(logging.NullHandler())

DEFAULT_DATABASE = "sql_alchemy_big_demo"
DEFAULT_URL = URL.create(
    "postgresql+psycopg2",
    username="postgres",
    password="password",  # Doltgres's documented default login, so the demo works out of the box
    host="127.0.0.1",
    port=5432,
    database=DEFAULT_DATABASE,
)
DEFAULT_FILE = f"{DEFAULT_DATABASE}.db"
CONNECT_TIMEOUT_SECONDS = 5
OLDEST_DOLTGRES = (0, 51)  # SQLAlchemy reflection needs this (doltgresql #1464)

DEMO_TABLES = ("employees", "teams", "employees_teams")
DEMO_BRANCHES = ("main", "modify_data", "modify_schema")
FIRST_COMMIT = "Created tables"
DEMO_COMMITS = (
    FIRST_COMMIT,
    "Inserted data into tables",
    "Modified data on branch",
    "Modified schema on branch",
    "Merge branch 'modify_data' into main",
    "Merge branch 'modify_schema' into main",
)
# Commits a Dolt engine writes itself when it creates a database.
BASE_COMMITS = ("Initialize data repository", "CREATE DATABASE")


class DemoError(Exception):
    """A problem the reader can fix: printed as one sentence, exit code 1."""


class StopRequested(Exception):
    """The reader typed q in --step mode."""


# ===========================================================================
# Connect SQLAlchemy
# ===========================================================================


def dolt_checkout(target: Target, branch: str) -> Engine:
    """Connect SQLAlchemy: an engine on `branch`, the article's way of switching branches."""
    print(f"Using branch: {branch}")
    return target.engine(branch)


def call(conn, function: str, *args):
    """Connect SQLAlchemy: SELECT a Dolt function, every argument a bound parameter."""
    return conn.execute(select(getattr(func, function)(*args))).scalar_one()


def print_active_branch(engine: Engine) -> None:
    """Connect SQLAlchemy: ask the engine which branch this engine is on."""
    with engine.connect() as conn:
        print(f"Active branch: {call(conn, 'active_branch')}")


# ===========================================================================
# Starting over (the article's TLDR: every run resets and deletes branches)
# ===========================================================================

dolt_branches = table("dolt_branches", column("name"), column("hash"), column("latest_commit_message"))
dolt_status = table("dolt_status", column("table_name"), column("status"))

# What the demo writes, so that uncommitted changes of its own (left by an interrupted run) can be told
# from someone's work in progress: the columns of its tables, the rows it writes and removes (by those
# columns), and the start dates it sets.
DEMO_COLUMNS = {
    "employees": ("id", "last_name", "first_name", "start_date"),
    "teams": ("id", "name"),
    "employees_teams": ("employee_id", "team_id"),
}
DEMO_ROWS = {
    "employees": (
        {(0, "Sehn", "Tim"), (0, "Sehn", "Timothy"), (1, "Hendriks", "Brian"), (2, "Son", "Aaron")}
        | {(3, "Fitzgerald", "Brian"), (4, "Wilkins", "Daylon")},
        set(),
    ),
    "teams": ({(0, "Engineering"), (1, "Sales")}, set()),
    "employees_teams": ({(0, 0), (1, 0), (2, 0), (0, 1), (3, 1), (4, 0)}, {(0, 1)}),  # Tim leaves Sales
}
START_DATES = {
    0: datetime.date(2018, 8, 6),
    1: datetime.date(2018, 8, 6),
    2: datetime.date(2018, 8, 6),
    3: datetime.date(2021, 4, 19),
}


@dataclass
class History:
    """Starting over: what the database holds before this run changes anything."""

    log: list[tuple[str, str]]  # main's commits as (hash, message), newest first
    parents: dict[str, list[str]]  # every commit's parents, first parent first
    branches: list[tuple[str, str, str, bool]]  # (name, head, head's message, has uncommitted changes)
    tables: list[str]
    branch_logs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # demo branches off main
    uncommitted: list[str] = field(default_factory=list)  # someone's uncommitted work, described

    @property
    def main_head(self) -> str | None:
        return next((head for name, head, *_ in self.branches if name == "main"), None)

    def ancestors(self, commit: str) -> set[str]:
        """Starting over: `commit` and every commit it descends from."""
        found, todo = set(), [commit]
        while todo:
            commit = todo.pop()
            if commit not in found:
                found.add(commit)
                todo += self.parents.get(commit, [])
        return found


def read_history(engine: Engine, target: Target) -> History:
    """Starting over: main's commits, branches, tables and uncommitted work, and the demo branches' own."""
    with engine.connect() as conn:
        rows, parents = read_commit_graph(conn)
        log = [(commit, rows[commit]["message"]) for commit in topo_order(list(rows), parents)]
        found = conn.execute(
            select(literal_column("*")).select_from(dolt_branches).order_by(dolt_branches.c.name)
        )
        # Servers without a 'dirty' column get every branch checked.
        branches = [
            (b["name"], b["hash"], b["latest_commit_message"], b.get("dirty", True)) for b in found.mappings()
        ]
        tables = sorted(inspect(conn).get_table_names())
        history = History(log, parents, branches, tables)
        if any(name == "main" and dirty for name, *_, dirty in branches):
            history.uncommitted += unexplained_changes(conn, "main")
    for name, head, _message, dirty in branches:
        # A demo branch that has left main's history, or has uncommitted work, is read on the branch itself.
        if name in DEMO_BRANCHES[1:] and (dirty or head not in rows):
            with target.engine(name).connect() as conn:
                history.branch_logs[name] = [
                    (commit, row["message"]) for commit, row in read_commit_graph(conn)[0].items()
                ]
                history.uncommitted += unexplained_changes(conn, name) if dirty else []
            target.release(name)  # about to be deleted: let go of its connections first
    return history


def starting_point(history: History) -> str:
    """Starting over: main before the demo's first commit, or main's head if the demo never committed."""
    # Follow first parents down from main's head: the parent of the oldest "Created tables" is where
    # the demo began. On a new Doltgres database that is the CREATE DATABASE commit, not the root.
    start = commit = history.main_head
    messages = dict(history.log)
    while commit:
        parents = history.parents.get(commit, [])
        if messages.get(commit) == FIRST_COMMIT and parents:
            start = parents[0]
        commit = parents[0] if parents else None
    return start


def foreign_things(history: History) -> list[str]:
    """Starting over: what in the committed database the demo did not create (empty when it may reset)."""
    found = [f"table {name!r}" for name in history.tables if name not in DEMO_TABLES]
    on_main = {commit for commit, _ in history.log}
    for name, *_ in history.branches:
        if name not in DEMO_BRANCHES:
            found.append(f"branch {name!r}")
    for name, commits in history.branch_logs.items():
        found += [
            f"commit {commit[:8]} {message!r} on branch {name!r}"
            for commit, message in commits
            if commit not in on_main and message not in DEMO_COMMITS
        ]
    before_demo = history.ancestors(starting_point(history))
    for commit, message in history.log:
        # Below where the demo began: only the engine's own commits. Above it: only the demo's.
        allowed = BASE_COMMITS if commit in before_demo else DEMO_COMMITS
        if message not in allowed and (commit not in before_demo or history.parents.get(commit)):
            found.append(f"commit {commit[:8]} {message!r}")
    return found + history.uncommitted


def is_demo_row(table_name: str, values: dict, removed: bool) -> bool:
    """Starting over: whether one uncommitted row change is one the demo's own steps make."""
    columns = DEMO_COLUMNS[table_name]
    if not set(values) <= set(columns):
        return False
    written, taken = DEMO_ROWS[table_name]
    key = tuple(values.get(name) for name in columns if name != "start_date")
    start_date = values.get("start_date")
    return key in (taken if removed else written) and start_date in (None, START_DATES.get(values.get("id")))


def unexplained_changes(conn, branch: str) -> list[str]:
    """Starting over: uncommitted changes on this connection's branch that the demo's steps do not make."""
    found = []
    for name, status in conn.execute(select(dolt_status.c.table_name, dolt_status.c.status)).all():
        name = table_label(name)
        if name not in DEMO_COLUMNS:
            what = "triggers or views" if name == "dolt_schemas" else f"table {name!r}"
            found.append(f"uncommitted {what} on branch {branch!r}")
        elif status != "deleted" and not only_demo_changes(conn, name):  # the demo drops a table of its own
            found.append(f"uncommitted changes to {name!r} on branch {branch!r}")
    return found


def only_demo_changes(conn, table_name: str) -> bool:
    """Starting over: whether a table's uncommitted changes, schema and rows, are all the demo's kind."""
    if not {col["name"] for col in inspect(conn).get_columns(table_name)} <= set(DEMO_COLUMNS[table_name]):
        return False
    diff = table(f"dolt_diff_{table_name}", column("to_commit"))
    rows = conn.execute(select(literal_column("*")).select_from(diff).where(diff.c.to_commit == "WORKING"))
    for row in rows.mappings():
        side = "from_" if row["diff_type"] == "removed" else "to_"
        values = {
            key.removeprefix(side): value
            for key, value in decode_dates(dict(row)).items()
            if key.startswith(side) and key not in (side + "commit", side + "commit_date")
        }
        if not is_demo_row(table_name, values, row["diff_type"] == "removed"):
            return False
    return True


def reset_database(engine: Engine, target: Target, force: bool) -> None:
    """Starting over: hard-reset main to where the demo began and delete every other branch."""
    history = read_history(engine, target)
    if history.main_head is None:
        raise DemoError(
            f"{target.label} has no branch 'main', so the demo changed nothing; use {target.guard_hint}"
        )
    found = foreign_things(history)
    if found and not force:
        raise DemoError(
            f"{target.label} holds data this demo did not create ({', '.join(found)}), so it changed nothing; "
            f"use {target.guard_hint}, or run with --force to reset it anyway"
        )
    if found:
        print(
            f"--force: resetting main and deleting every other branch, despite {', '.join(found)}",
            file=sys.stderr,
        )
    dolt_reset_hard(engine, starting_point(history))
    delete_non_main_branches(engine, [name for name, *_ in history.branches])


def delete_non_main_branches(engine: Engine, branches: list[str]) -> None:
    """Starting over: force-delete every branch but main, left by an earlier run."""
    with engine.connect() as conn:
        for name in branches:
            if name != "main":
                call(conn, "dolt_branch", "-D", name)
        conn.commit()


# ===========================================================================
# Create Tables
# ===========================================================================

# The article reflects the demo's tables again before every step. The demo keeps what it reflected
# for each branch's engine until a step changes that branch's schema (marked @changes_schema).
_reflected: dict[Engine, dict[str, Table]] = {}


def forget_tables(engine: Engine) -> None:
    """Create Tables: drop what was reflected on this engine."""
    _reflected.pop(engine, None)


def changes_schema(step):
    """Create Tables: marks a step after which this engine's tables must be reflected afresh."""

    @functools.wraps(step)
    def run_then_forget(engine: Engine, *args, **kwargs):
        try:
            return step(engine, *args, **kwargs)
        finally:
            forget_tables(engine)

    return run_then_forget


@changes_schema
def setup_database(engine: Engine) -> None:
    """Create Tables: employees, teams and employees_teams, with the keys the demo writes itself."""
    metadata = MetaData()
    # Auto-increment values are shared across branches, so the demo writes its own keys.
    Table(
        "employees",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("last_name", String(255)),
        Column("first_name", String(255)),
    )
    Table(
        "teams",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("name", String(255)),
    )
    Table(
        "employees_teams",
        metadata,
        Column("employee_id", ForeignKey("employees.id"), primary_key=True, autoincrement=False),
        Column("team_id", ForeignKey("teams.id"), primary_key=True, autoincrement=False),
    )
    metadata.create_all(engine)


def print_tables(engine: Engine) -> None:
    """Create Tables: list the tables on this engine's branch."""
    # The inspector, not information_schema as in the article: doltlite has no information_schema.
    print("Tables in database:")
    for name in sorted(inspect(engine).get_table_names()):
        print(f"\t{name}")


# ===========================================================================
# Make a Doltgres Commit
# ===========================================================================


def dolt_commit(engine: Engine, author: str, message: str) -> None:
    """Make a Doltgres Commit: stage every table and commit, skipping an empty commit."""
    with engine.connect() as conn:
        call(conn, "dolt_add", "-A")
        commit_hash = read_commit_hash(
            call(conn, "dolt_commit", "--skip-empty", "--author", author, "-m", message)
        )
        conn.commit()
    if commit_hash:
        print(f"Created commit: {commit_hash}")


# ===========================================================================
# Examine the Log
# ===========================================================================

dolt_commit_ancestors = table(
    "dolt_commit_ancestors", column("commit_hash"), column("parent_hash"), column("parent_index")
)


def read_commit_graph(conn) -> tuple[dict, dict[str, list[str]]]:
    """Examine the Log: this branch's dolt_log rows by hash, and every commit's parents in order."""
    # SELECT *: Doltgres 1.x adds columns (author among them) that older servers and doltlite lack.
    rows = {
        row["commit_hash"]: row
        for row in conn.execute(select(literal_column("*")).select_from(table("dolt_log"))).mappings()
    }
    edges = select(dolt_commit_ancestors.c.commit_hash, dolt_commit_ancestors.c.parent_hash).order_by(
        dolt_commit_ancestors.c.commit_hash, dolt_commit_ancestors.c.parent_index
    )
    parents: dict[str, list[str]] = {}
    for child, parent in conn.execute(edges):
        if parent is not None:
            parents.setdefault(child, []).append(parent)
    return rows, parents


def topo_order(commits: list[str], parents: dict[str, list[str]]) -> list[str]:
    """Examine the Log: children before parents, a merged branch right after its merge (git's --topo-order)."""
    waiting = dict.fromkeys(commits, 0)  # how many children of each commit are not listed yet
    parents = {commit: [p for p in parents.get(commit, []) if p in waiting] for commit in commits}
    for commit in commits:
        for parent in parents[commit]:
            waiting[parent] += 1
    # Reversed, so that ties keep the engine's own order (it lists the newest first).
    ready = [commit for commit in reversed(commits) if waiting[commit] == 0]
    order = []
    while ready:
        commit = ready.pop()
        order.append(commit)
        for parent in parents[commit]:  # the last parent is popped, and so listed, first
            waiting[parent] -= 1
            if waiting[parent] == 0:
                ready.append(parent)
    return order


def print_commit_log(engine: Engine) -> None:
    """Examine the Log: every commit on this branch, newest first."""
    # Not ORDER BY date: doltlite keeps dates to the second, so commits tie and would swap between runs.
    with engine.connect() as conn:
        rows, parents = read_commit_graph(conn)
    print("Commit Log:")
    for commit in topo_order(list(rows), parents):
        row = rows[commit]
        # Doltgres 1.x records the --author apart from the committer; the article shows the author.
        print(f"\t{commit}: {row['message']} by {row.get('author') or row['committer']}")


# ===========================================================================
# Insert Some Data
# ===========================================================================


def load_tables(engine: Engine) -> dict[str, Table]:
    """Insert Some Data: the demo's own tables, reflected (system tables can't be: see print_status)."""
    if engine not in _reflected:
        metadata = MetaData()
        metadata.reflect(engine, only=lambda name, _: name in DEMO_TABLES)
        _reflected[engine] = dict(metadata.tables)
    return _reflected[engine]


def insert_data(engine: Engine) -> None:
    """Insert Some Data: four employees, two teams, and who is on which team."""
    tables = load_tables(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(tables["employees"]),
            [
                {"id": 0, "last_name": "Sehn", "first_name": "Tim"},
                {"id": 1, "last_name": "Hendriks", "first_name": "Brian"},
                {"id": 2, "last_name": "Son", "first_name": "Aaron"},
                {"id": 3, "last_name": "Fitzgerald", "first_name": "Brian"},
            ],
        )
        conn.execute(insert(tables["teams"]), [{"id": 0, "name": "Engineering"}, {"id": 1, "name": "Sales"}])
        conn.execute(
            insert(tables["employees_teams"]),
            [
                {"employee_id": 0, "team_id": 0},
                {"employee_id": 1, "team_id": 0},
                {"employee_id": 2, "team_id": 0},
                {"employee_id": 0, "team_id": 1},
                {"employee_id": 3, "team_id": 1},
            ],
        )


def print_summary_table(engine: Engine) -> None:
    """Insert Some Data: the three-table join of teams and their members, with start dates once they exist."""
    tables = load_tables(engine)
    employees, teams, members = tables["employees"], tables["teams"], tables["employees_teams"]
    has_start_date = "start_date" in employees.c
    stmt = (
        select(
            teams.c.name,
            employees.c.first_name,
            employees.c.last_name,
            *([employees.c.start_date] if has_start_date else []),
        )
        .select_from(employees)
        .join(members, employees.c.id == members.c.employee_id)
        .join(teams, teams.c.id == members.c.team_id)
        .order_by(teams.c.name, employees.c.id)
    )
    print("Team Summary")
    with engine.connect() as conn:
        for team, first_name, last_name, *start_date in conn.execute(stmt):
            date = f" {start_date[0]}" if start_date and start_date[0] else ""
            print(f"\t{team}: {first_name} {last_name}{date}")


# ===========================================================================
# Examine the Status and Diff
# ===========================================================================


def print_status(engine: Engine) -> None:
    """Examine the Status and Diff: which tables changed since the last commit."""
    # Dolt's system tables are queried through table()/column(): Doltgres 1.2 cannot reflect them.
    with engine.connect() as conn:
        stmt = select(dolt_status.c.table_name, dolt_status.c.status).order_by(dolt_status.c.table_name)
        rows = conn.execute(stmt).all()
    print("Status")
    for name, status in rows:
        print(f"\t{table_label(name)}: {status}")
    if not rows:
        print("\tNo tables modified")


def print_diff(engine: Engine, table_name: str) -> None:
    """Examine the Status and Diff: the rows of `table_name` changed in the working set."""
    if table_name not in DEMO_TABLES:
        raise DemoError(f"print_diff only knows the demo's tables, not {table_name!r}")
    print(f"Diffing table: {table_name}")
    diff = table(f"dolt_diff_{table_name}", column("to_commit"))
    stmt = select(literal_column("*")).select_from(diff).where(diff.c.to_commit == "WORKING")
    with engine.connect() as conn:
        for row in conn.execute(stmt).mappings():
            pprint(decode_dates(dict(row)))


def print_changes(engine: Engine, *table_names: str) -> None:
    """Examine the Status and Diff: what a branch changed, as the article checks it before committing."""
    print_status(engine)
    for table_name in table_names:
        print_diff(engine, table_name)
    print_summary_table(engine)


# ===========================================================================
# Oh no. I made a mistake.
# ===========================================================================


@changes_schema
def drop_table(engine: Engine, table_name: str) -> None:
    """Oh no. I made a mistake: drop one of the demo's tables."""
    tables = load_tables(engine)
    if table_name not in tables:
        print(f"{table_name}: Not found")
        return
    tables[table_name].drop(engine)


@changes_schema
def dolt_reset_hard(engine: Engine, commit: str | None = None) -> None:
    """Oh no. I made a mistake: throw away the working set, back to HEAD or to `commit`."""
    print(f"Resetting to commit: {commit}" if commit else "Resetting to HEAD")
    with engine.connect() as conn:
        call(conn, "dolt_reset", "--hard", *([commit] if commit else []))
        conn.commit()


# ===========================================================================
# Change data on a branch
# ===========================================================================


def dolt_create_branch(engine: Engine, branch: str) -> None:
    """Change data on a branch: create `branch` from this engine's branch unless it exists."""
    with engine.connect() as conn:
        exists = conn.execute(select(dolt_branches.c.name).where(dolt_branches.c.name == branch)).first()
        if exists:
            print(f"Branch exists: {branch}")
            return
        call(conn, "dolt_branch", branch)
        conn.commit()
    print(f"Created branch: {branch}")


def modify_data(engine: Engine) -> None:
    """Change data on a branch: rename Tim, hire Daylon into Engineering, take Tim off Sales."""
    tables = load_tables(engine)
    employees, members = tables["employees"], tables["employees_teams"]
    with engine.begin() as conn:
        conn.execute(update(employees).where(employees.c.first_name == "Tim").values(first_name="Timothy"))
        conn.execute(insert(employees).values(id=4, last_name="Wilkins", first_name="Daylon"))
        conn.execute(insert(members).values(employee_id=4, team_id=0))
        conn.execute(delete(members).where(members.c.employee_id == 0, members.c.team_id == 1))


# ===========================================================================
# Change schema on another branch
# ===========================================================================


class Base(DeclarativeBase):
    """Change schema on another branch: the ORM's registry."""


class Employee(Base):
    """Change schema on another branch: an employee, with the start date the branch adds."""

    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_name: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(255))
    start_date: Mapped[datetime.date | None] = mapped_column(Date)


@changes_schema
def modify_schema(engine: Engine) -> None:
    """Change schema on another branch: add start_date, then fill it in through the ORM."""
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE employees ADD COLUMN start_date date"))
    # Real dates, not strings: some Doltgres versions reject a string for a date column (doltgresql #2333).
    with Session(engine) as session:
        for employee_id in (0, 1, 2):
            session.get(Employee, employee_id).start_date = datetime.date(2018, 8, 6)
        fitz = session.execute(select(Employee).filter_by(last_name="Fitzgerald")).scalar_one()
        fitz.start_date = datetime.date(2021, 4, 19)
        session.commit()


# ===========================================================================
# Merge it all together
# ===========================================================================


class MergeConflict(DemoError):
    """Merge it all together: the merge stopped on conflicts, and nothing was merged."""

    def __init__(self, branch: str, detail: str) -> None:
        super().__init__(f"merging {branch!r} stopped on conflicts, so nothing was merged: {detail}")


@changes_schema
def dolt_merge(engine: Engine, branch: str) -> None:
    """Merge it all together: merge `branch` into this engine's branch and report how it went."""
    with engine.connect() as conn:
        try:
            result = read_merge(call(conn, "dolt_merge", branch))
        except exc.DBAPIError as error:
            if "conflict" not in str(error.orig).lower():
                raise
            raise MergeConflict(branch, first_line(error.orig)) from None
        if result.conflicts:
            detail = describe_conflicts(conn)
            conn.rollback()  # leave the branch as it was: a half-done merge is nobody's data
            raise MergeConflict(branch, detail)
        result = complete_merge_result(conn, branch, result)
        conn.commit()
    print(f"Merge Complete: {branch}")
    print(f"\tCommit: {result.commit or f'(none: {result.message})'}")
    print(f"\tFast Forward: {result.fast_forward}")
    print(f"\tConflicts: {result.conflicts}")


def describe_conflicts(conn) -> str:
    """Merge it all together: the tables dolt_conflicts lists, with their conflict counts."""
    conflicts = table("dolt_conflicts", column("table"), column("num_conflicts"))
    try:
        rows = conn.execute(select(conflicts.c.table, conflicts.c.num_conflicts)).all()
    except exc.DBAPIError:
        return "see dolt_conflicts"  # the conflict itself matters more than this detail
    return ", ".join(f"{name} ({count} conflicting rows)" for name, count in rows) or "see dolt_conflicts"


# ===========================================================================
# ENGINE DIFFERENCES. Everything that differs between Doltgres (and its
# versions) and the embedded doltlite is in this section:
#   - how an engine for a branch is made, and how each is checked first;
#   - table names in dolt_status, and dates;
#   - the shapes dolt_* functions return:
#       Doltgres >= 1.0: a bare value, or a RECORD that psycopg2 hands over as text;
#       Doltgres < 1.0:  a text[] that psycopg2 hands over as a list of strings;
#       doltlite:        a bare value (dolt_merge: only the resulting commit hash).
# ===========================================================================


class Target:
    """Connect SQLAlchemy: one engine per branch, made once and disposed at exit."""

    name: str  # for messages: "Doltgres" or "doltlite"
    label: str  # the database, for messages
    guard_hint: str  # where else the reader can point the demo

    def __init__(self) -> None:
        self.engines: dict[str, Engine] = {}

    def new_engine(self, branch: str) -> Engine:
        raise NotImplementedError

    def prepare(self) -> None:
        raise NotImplementedError

    def engine(self, branch: str) -> Engine:
        """Connect SQLAlchemy: the engine whose connections are on `branch`."""
        if branch not in self.engines:
            self.engines[branch] = self.new_engine(branch)
        return self.engines[branch]

    def release(self, branch: str) -> None:
        """Connect SQLAlchemy: close the connections to one branch."""
        engine = self.engines.pop(branch)
        forget_tables(engine)
        engine.dispose()

    def dispose(self) -> None:
        """Connect SQLAlchemy: close every connection the demo opened."""
        for branch in list(self.engines):
            self.release(branch)


class DoltgresServer(Target):
    """Connect SQLAlchemy: Doltgres picks the branch from the database name, <database>/<branch>."""

    name = "Doltgres"

    def __init__(self, url: URL) -> None:
        super().__init__()
        self.url = url
        # libpq's defaults when the URL leaves them out: its local socket, and port 5432.
        self.where = f"{url.host or 'the local socket'}:{5432 if url.port is None else url.port}"
        self.label = f"the database {url.database!r} at {self.where}"
        self.guard_hint = "another database (--url or PGDATABASE)"

    def new_engine(self, branch: str) -> Engine:
        """Connect SQLAlchemy: the branch goes in the URL, as the article does."""
        return server_engine(self.url.set(database=f"{self.url.database}/{branch}"))

    def prepare(self) -> None:
        """Connect SQLAlchemy: make sure the server is a usable Doltgres with our database."""
        check_doltgres_server(self)


class EmbeddedDoltlite(Target):
    """Connect SQLAlchemy: doltlite has no branch in the URL, so each connection checks its branch out."""

    name = "doltlite"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.label = path
        self.guard_hint = "another file (--embedded OTHER.db)"

    def new_engine(self, branch: str) -> Engine:
        """Connect SQLAlchemy: a checkout lasts for one connection, so do it on every connect."""
        engine = create_engine(URL.create("sqlite", database=self.path))

        @event.listens_for(engine, "connect")
        def check_out_branch(dbapi_connection, _record):
            """Connect SQLAlchemy: put each new connection on this engine's branch."""
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT dolt_checkout(?)", (branch,))
            cursor.close()

        return engine

    def prepare(self) -> None:
        """Connect SQLAlchemy: load doltlite and make sure the file is a doltlite database."""
        check_doltlite_file(self)


def table_label(name: str) -> str:
    """Examine the Status and Diff: 'public.employees' (Doltgres) and 'employees' (doltlite) both as 'employees'."""
    return name.removeprefix("public.")


def decode_dates(row: dict) -> dict:
    """Examine the Status and Diff: doltlite returns dates as text; show them as Doltgres does."""
    decoded = {}
    for key, value in row.items():
        if key.endswith("_date") and isinstance(value, str) and value:
            parsed = datetime.datetime.fromisoformat(value)
            value = parsed.date() if len(value) == 10 else parsed
        decoded[key] = value
    return decoded


@dataclass(frozen=True)
class MergeResult:
    """Merge it all together: what one dolt_merge reported."""

    commit: str
    fast_forward: int | None
    conflicts: int | None
    message: str | None = None


def parse_record(value: str) -> list[str | None]:
    """Merge it all together: split PostgreSQL's text form of a RECORD, e.g. '(h,1,0,"a, b")'."""
    fields: list[str | None] = []
    body, i = value[1:-1], 0
    while i <= len(body):
        if i < len(body) and body[i] == '"':
            chars, i = [], i + 1
            while i < len(body):
                # Inside quotes, PostgreSQL escapes a quote by doubling it, and any character by a backslash.
                if body[i] == "\\" or (body[i] == '"' and body[i + 1 : i + 2] == '"'):
                    chars.append(body[i + 1 : i + 2])
                    i += 2
                elif body[i] == '"':
                    i += 1
                    break
                else:
                    chars.append(body[i])
                    i += 1
            fields.append("".join(chars))
        else:
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            fields.append(body[i:end] or None)  # an empty unquoted field is NULL
            i = end
        i += 1  # past the comma
    return fields


def result_fields(value) -> list | None:
    """Merge it all together: the fields of a multi-column result, or None for a bare value."""
    if isinstance(value, str) and value.startswith("(") and value.endswith(")"):
        return parse_record(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return None


def as_int(value) -> int:
    """Merge it all together: a count or flag, whether it came as int, bool or text."""
    if isinstance(value, str) and value.lower() in ("t", "true", "f", "false"):
        return int(value.lower() in ("t", "true"))
    return int(value)


def read_merge(value) -> MergeResult:
    """Merge it all together: a MergeResult from any shape of dolt_merge's answer."""
    fields = result_fields(value)
    if fields is None:  # doltlite: the commit hash alone
        return MergeResult(commit=str(value), fast_forward=None, conflicts=None)
    commit, fast_forward, conflicts, message = (fields + [None] * 4)[:4]
    return MergeResult(commit or "", as_int(fast_forward or 0), as_int(conflicts or 0), message)


def complete_merge_result(conn, branch: str, result: MergeResult) -> MergeResult:
    """Merge it all together: fill in what doltlite's hash-only answer leaves out, from the commit graph."""
    if result.fast_forward is not None:
        return result
    # A fast-forward is exactly when main now points at the branch's head. doltlite raises on a
    # conflict, so a merge that returned had none.
    head = conn.execute(select(dolt_branches.c.hash).where(dolt_branches.c.name == branch)).scalar_one()
    return MergeResult(result.commit, int(result.commit == head), 0)


def read_commit_hash(value) -> str | None:
    """Make a Doltgres Commit: the new commit's hash, or None when there was nothing to commit."""
    fields = result_fields(value)
    if fields is not None:
        value = fields[0] if fields else None
    if value in (None, "", 0, "0"):  # doltlite answers 0 where Doltgres answers NULL
        return None
    return str(value)


def read_version(value) -> tuple[int, int] | None:
    """Connect SQLAlchemy: dolt_version()'s answer ('1.2.0', 'v0.51.3', or a text[]) as (major, minor)."""
    fields = result_fields(value)
    match = re.match(r"v?(\d+)\.(\d+)", str(fields[0] if fields else value))
    return (int(match.group(1)), int(match.group(2))) if match else None


# ===========================================================================
# Before anything changes: is the engine there, is it Dolt, is it usable?
# ===========================================================================


def first_line(error) -> str:
    """Connect SQLAlchemy (preflight): the first line of an engine's error message."""
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


class DatabaseMissing(DemoError):
    """Connect SQLAlchemy (preflight): the server is up but the database does not exist yet."""


# What libpq says when the login is refused, or when no server answers.
LOGIN_REFUSED = re.compile(
    r"authentication failed|no password supplied|role \".*\" does not exist", re.IGNORECASE
)
UNREACHABLE = re.compile(
    r"could not connect|connection refused|timeout expired|could not translate|no route|no such file or directory",
    re.IGNORECASE,
)


def explain_connect_error(target: DoltgresServer, error: exc.DBAPIError) -> DemoError:
    """Connect SQLAlchemy (preflight): turn a failed connection into one sentence that says what to do."""
    message = str(error.orig)
    if "table not found: pg_" in message:
        quoting = server_engine(target.url).dialect.identifier_preparer  # creating an engine connects nothing
        db = quoting.quote(target.url.database)
        return DemoError(
            f"the database {target.url.database!r} on Doltgres at {target.where} is damaged: it was reset to its "
            f"root commit, which removes PostgreSQL's catalog (the article's original script does this); "
            f"recreate it from another database with: DROP DATABASE {db}; CREATE DATABASE {db};"
        )
    if f'database "{target.url.database}" does not exist' in message:
        return DatabaseMissing(f"there is no database {target.url.database!r} at {target.where}")
    if LOGIN_REFUSED.search(message):
        return DemoError(
            f"Doltgres at {target.where} refused the login for user {target.url.username or '(libpq default)'!r}: "
            f"check the user and password (--url, DOLTGRES_URL or PGUSER/PGPASSWORD); "
            f"a new Doltgres accepts postgres / password"
        )
    if UNREACHABLE.search(message):
        return DemoError(
            f"Doltgres isn't reachable at {target.where}: start it with `doltgres` (or fix --url / PGHOST / PGPORT), "
            f"or run `python demo.py --embedded` to use the embedded engine instead"
        )
    return DemoError(f"could not use Doltgres at {target.where}: {first_line(message)}")


def server_engine(url: URL, **options) -> Engine:
    """Connect SQLAlchemy: an engine that gives up on an unresponsive server instead of hanging."""
    return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}, **options)


def dolt_version_at(target: DoltgresServer, url: URL) -> str:
    """Connect SQLAlchemy (preflight): dolt_version() at `url`; one sentence if the server isn't Doltgres."""
    engine = server_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            server = conn.execute(select(func.version())).scalar_one()
            try:
                return call(conn, "dolt_version")
            except exc.DBAPIError as error:
                if getattr(error.orig, "pgcode", None) != "42883":  # anything but "no such function"
                    raise
                raise DemoError(
                    f"the server at {target.where} is {server.split(' on ')[0]}, not Doltgres, so the demo "
                    f"changed nothing there; start Doltgres (`doltgres`) and point --url at it, or use --embedded"
                ) from None
    except exc.DBAPIError as error:
        raise explain_connect_error(target, error) from None
    finally:
        engine.dispose()


def create_database(target: DoltgresServer) -> None:
    """Connect SQLAlchemy (preflight): create the demo's database, which a new Doltgres does not have."""
    # CREATE DATABASE cannot run inside a transaction.
    admin = server_engine(
        target.url.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            name = admin.dialect.identifier_preparer.quote(target.url.database)
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except exc.DBAPIError as error:
        raise explain_connect_error(target, error) from None
    finally:
        admin.dispose()
    print(f"Created database: {target.url.database}")


def check_doltgres_server(target: DoltgresServer) -> None:
    """Connect SQLAlchemy (preflight): a reachable Doltgres, new enough, with the demo's database."""
    try:
        version = dolt_version_at(target, target.url)
    except DatabaseMissing:
        version = dolt_version_at(target, target.url.set(database="postgres"))  # proves it's Doltgres first
        create_database(target)
    found = read_version(version)
    if found is not None and found < OLDEST_DOLTGRES:
        raise DemoError(
            f"Doltgres {found[0]}.{found[1]} at {target.where} is too old for SQLAlchemy reflection: upgrade to "
            f"{'.'.join(map(str, OLDEST_DOLTGRES))} or later (doltgresql issue #1464)"
        )


def check_doltlite_file(target: EmbeddedDoltlite) -> None:
    """Connect SQLAlchemy (preflight): doltlite is loaded and the file is (or will become) a doltlite database."""
    load_doltlite()
    path = target.path
    if path in ("", ":memory:"):
        raise DemoError(
            "--embedded needs a file: each of the demo's connections would get an empty database of its own"
        )
    try:
        folder = os.path.dirname(os.path.abspath(path))
    except OSError:  # the current folder was deleted under us
        raise DemoError(f"can't tell where {path!r} is: the current folder no longer exists") from None
    if not os.path.isdir(folder) or (os.path.exists(path) and not os.path.isfile(path)):
        raise DemoError(
            f"{path!r} is not a file path the demo can use: name a .db file in an existing folder"
        )
    if not looks_like_a_database(path):
        raise DemoError(
            f"{path} holds something other than a database, which the demo won't overwrite; pick another file"
        )
    try:
        # Connecting checks out main; stock SQLite files answer dolt_version() but refuse that.
        with target.engine("main").connect() as conn:
            conn.execute(select(func.count()).select_from(table("dolt_log"))).scalar_one()
    except exc.DBAPIError as error:
        raise DemoError(
            f"{path} can't be used as a doltlite database ({first_line(error.orig)}); pick another file"
        ) from None


def looks_like_a_database(path: str) -> bool:
    """Connect SQLAlchemy (preflight): a missing or empty file, or one that starts as a database does."""
    # doltlite turns a small file of any other kind into a new database, losing what it held.
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except FileNotFoundError:
        return True
    except OSError as error:
        raise DemoError(f"can't read {path}: {error.strerror}") from None
    return start == b"" or start.startswith((b"CTLD", b"SQLite format 3\x00"))


def load_doltlite() -> None:
    """Connect SQLAlchemy (preflight): make Python's sqlite3 run doltlite, before any file is touched."""
    try:
        import doltlite  # noqa: F401  (imported for its side effect: sqlite3 now runs Dolt's engine)
    except (ImportError, OSError, RuntimeError) as error:  # RuntimeError: doltlite's loader
        raise DemoError(
            f"the embedded engine is not available ({first_line(error)}): `pip install -r requirements.txt`; "
            f"doltlite has wheels for Linux x86_64/aarch64 and macOS arm64"
        ) from None
    probe = create_engine("sqlite://", poolclass=NullPool)  # in memory: nothing is written anywhere
    try:
        with probe.connect() as conn:
            conn.execute(select(func.dolt_version())).scalar_one()
    except exc.DBAPIError:
        raise DemoError(
            "doltlite did not load into this Python's sqlite3: use a Python that links SQLite dynamically "
            "(not uv's standalone builds), and don't export _DOLTLITE_BOOTSTRAPPED"
        ) from None
    finally:
        probe.dispose()


# ===========================================================================
# The walkthrough, in the article's order
# ===========================================================================


class Sections:
    """The article's sections: which one the walkthrough is in, and with --step, a pause before each."""

    def __init__(self, step: bool = False, answers=None) -> None:
        self.step = step
        self.answers = answers if answers is not None else sys.stdin
        self.current = "start-up"

    def enter(self, title: str) -> None:
        """Names the section, and in --step mode waits for Enter (q stops)."""
        self.current = title
        if not self.step:
            return
        print(f"\n=== {title} ===")
        print("[Enter: continue, q: quit] ", end="", flush=True)
        try:
            answer = self.answers.readline() if self.answers else ""  # no stdin at all: as at its end
        except KeyboardInterrupt:
            print()  # so the interruption's message starts on a line of its own
            raise
        except UnicodeDecodeError:
            answer = "\n"  # whatever was typed, it was not q
        if not (self.answers and self.answers.isatty()):
            print()  # piped answers are not echoed, so end the prompt's line ourselves
        if not answer:  # end of input: no one is left to press Enter, so run to the end
            self.step = False
        elif answer.strip().lower() in ("q", "quit"):
            raise StopRequested


def walkthrough(target: Target, sections: Sections, force: bool = False) -> None:
    """The whole article, section by section."""
    sections.enter("Connect SQLAlchemy")
    engine = dolt_checkout(target, "main")
    print_active_branch(engine)
    reset_database(engine, target, force)

    sections.enter("Create Tables")
    setup_database(engine)
    print_tables(engine)

    sections.enter("Make a Doltgres Commit")
    dolt_commit(engine, "Jason <jason@dolthub.com>", "Created tables")

    sections.enter("Examine the Log")
    print_commit_log(engine)

    sections.enter("Insert Some Data")
    insert_data(engine)
    print_summary_table(engine)

    sections.enter("Examine the Status and Diff")
    print_status(engine)
    print_diff(engine, "employees")
    dolt_commit(engine, "Aaron <aaron@dolthub.com>", "Inserted data into tables")
    print_commit_log(engine)

    sections.enter("Oh no. I made a mistake.")
    drop_table(engine, "employees_teams")
    print_status(engine)
    print_tables(engine)
    dolt_reset_hard(engine)
    print_status(engine)
    print_tables(engine)

    sections.enter("Change data on a branch")
    dolt_create_branch(engine, "modify_data")
    engine = dolt_checkout(target, "modify_data")
    modify_data(engine)
    print_changes(engine, "employees", "employees_teams")
    dolt_commit(engine, "Brian <brian@dolthub.com>", "Modified data on branch")
    print_commit_log(engine)

    sections.enter("Change schema on another branch")
    engine = dolt_checkout(target, "main")
    dolt_create_branch(engine, "modify_schema")
    engine = dolt_checkout(target, "modify_schema")
    print_active_branch(engine)
    modify_schema(engine)
    print_changes(engine, "employees")
    dolt_commit(engine, "Jason <jason@dolthub.com>", "Modified schema on branch")
    print_commit_log(engine)

    sections.enter("Merge it all together")
    engine = dolt_checkout(target, "main")
    print_active_branch(engine)
    print_commit_log(engine)
    print_summary_table(engine)
    dolt_merge(engine, "modify_data")
    print_summary_table(engine)
    print_commit_log(engine)
    dolt_merge(engine, "modify_schema")
    print_commit_log(engine)
    print_summary_table(engine)


# ===========================================================================
# Command line
# ===========================================================================


class ArgumentParser(argparse.ArgumentParser):
    """Command line: argparse, except that a mistake is one line, like every other error here."""

    def error(self, message: str):
        self.exit(2, f"error: {without_secrets(message)} (see --help)\n")


def without_secrets(text: str) -> str:
    """Command line: any URL's password in a message, masked, wherever it came from."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def server_url(arguments: argparse.Namespace, environ) -> URL:
    """Command line: --url, else DOLTGRES_URL, else the PG* variables over the default."""
    raw = arguments.url or environ.get("DOLTGRES_URL")
    if raw:
        if raw.count("@") > 1:  # else the password's tail would be read as the host, and printed
            raise DemoError("the URL has more than one '@': write an '@' inside the password as %40")
        try:
            url = make_url(raw)
        except (exc.ArgumentError, ValueError):
            raise DemoError(
                "the connection URL is not valid: write it as postgresql+psycopg2://USER:PASSWORD@HOST:PORT/DATABASE"
            ) from None
    else:
        port = environ.get("PGPORT")
        if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
            raise DemoError(f"PGPORT must be a port number, not {port!r}")
        url = DEFAULT_URL.set(
            host=environ.get("PGHOST") or DEFAULT_URL.host,
            port=int(port) if port else DEFAULT_URL.port,
            username=environ.get("PGUSER") or DEFAULT_URL.username,
            password=environ.get("PGPASSWORD") or DEFAULT_URL.password,
            database=environ.get("PGDATABASE") or DEFAULT_URL.database,
        )
    if url.get_backend_name() != "postgresql":
        raise DemoError(
            f"the URL must start with postgresql+psycopg2:// (for a local file, use --embedded), not {url.drivername}://"
        )
    if not url.database or "/" in url.database:
        raise DemoError("the URL must name one database, without a branch: the demo chooses branches itself")
    if any("\x00" in str(part) for part in (url.username, url.password, url.host, url.database)):
        raise DemoError("the connection settings contain a NUL character (%00), which libpq cannot take")
    return url.set(drivername="postgresql+psycopg2")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Command line: the options, documented in --help."""
    parser = ArgumentParser(
        description="Replay DoltHub's 'Getting Started: SQLAlchemy and Doltgres' walkthrough.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Doltgres connection settings, most specific first:\n"
            "  --url, then the DOLTGRES_URL variable, then the libpq variables PGHOST, PGPORT,\n"
            "  PGUSER, PGPASSWORD and PGDATABASE over the default\n"
            f"  {DEFAULT_URL.render_as_string(hide_password=False)}\n"
            "The database is created if it is missing and the server is Doltgres.\n\n"
            "Each run hard-resets main to where it was before the demo's first commit and deletes\n"
            "every other branch. It refuses, changing nothing, if the database holds anything the\n"
            "demo did not make, unless you pass --force."
        ),
    )
    parser.add_argument("--url", help="SQLAlchemy URL of the Doltgres database (see below)")
    parser.add_argument(
        "--embedded",
        nargs="?",
        const=DEFAULT_FILE,
        metavar="FILE",
        help=f"run on the embedded doltlite engine, in FILE (default {DEFAULT_FILE}); no server needed",
    )
    parser.add_argument(
        "--step",
        action="store_true",
        help="pause before each section of the article (Enter goes on, q quits)",
    )
    parser.add_argument(
        "--force", action="store_true", help="reset even a database that holds data the demo did not create"
    )
    arguments = parser.parse_args(argv)
    if arguments.url and arguments.embedded is not None:
        parser.error("choose either --url or --embedded")
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Command line: run the walkthrough and turn every failure into one line and an exit code."""
    callers_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    sections = Sections()
    target: Target | None = None
    try:
        arguments = parse_arguments(argv)
        sections.step = arguments.step
        if arguments.embedded is not None:
            target = EmbeddedDoltlite(arguments.embedded)
        else:
            target = DoltgresServer(server_url(arguments, os.environ))
        target.prepare()
        walkthrough(target, sections, arguments.force)
        return 0
    except StopRequested:
        print(f"Stopped before {sections.current}; run again to start over.")
        return 0
    except DemoError as error:
        print(f"error: {without_secrets(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader piped the output into something that stopped reading (`| head`): end quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one Ctrl-C is enough; a second must not cut this short
        print(INTERRUPTED.format(sections.current), file=sys.stderr)
        return 130
    except exc.DBAPIError as error:
        engine_name = target.name if target else "the database"
        reason = without_secrets(first_line(error.orig))
        print(f"error: {engine_name} stopped the demo during {sections.current}: {reason}", file=sys.stderr)
        return 1
    except OSError as error:  # the output itself failed, e.g. a full disk behind `> file`
        print(f"error: could not write the demo's output: {error.strerror}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up must not be cut short either
        if target is not None:
            target.dispose()
        # A script has nothing left to interrupt; a caller such as pytest gets its own handler back.
        restore = signal.SIG_IGN if callers_handler is interrupted_while_loading else callers_handler
        signal.signal(signal.SIGINT, restore)


if __name__ == "__main__":
    sys.exit(main())
