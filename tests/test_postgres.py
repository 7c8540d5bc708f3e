"""The Doltgres path, against a real PostgreSQL 15 server: everything PostgreSQL and Doltgres share.

No Doltgres binary can be installed here. These tests cover the preflight (plain PostgreSQL, a closed
port, a wrong password, database creation), the PostgreSQL-dialect parts of the walkthrough, and how
psycopg2 decodes the return types Doltgres declares. Nothing here pretends to branch, commit or merge.
"""

import datetime

import pytest
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url

import demo
from conftest import PG_PASSWORD, admin_engine, database_names, free_port, run_demo


def one_error_line(run) -> str:
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert run.stdout == ""
    return lines[0]


def table_names(url) -> list[str]:
    engine = create_engine(url)
    names = sorted(inspect(engine).get_table_names())
    engine.dispose()
    return names


# --------------------------------------------------------------------------- preflight


@pytest.fixture
def someone_elses_db(scratch_db):
    """An ordinary PostgreSQL database with a table of someone's, named like the demo's."""
    engine = create_engine(scratch_db)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE employees (id int primary key, name text)"))
        conn.execute(text("INSERT INTO employees VALUES (1, 'keep me')"))
    engine.dispose()
    return scratch_db


def assert_untouched(url, databases_before):
    assert database_names(url.set(database="postgres")) == databases_before
    assert table_names(url) == ["employees"]
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, name FROM employees")).all() == [(1, "keep me")]
    engine.dispose()


def test_plain_postgresql_by_url_is_refused_and_untouched(someone_elses_db):
    before = database_names(someone_elses_db.set(database="postgres"))
    line = one_error_line(run_demo("--url", someone_elses_db.render_as_string(hide_password=False)))
    assert line.startswith(f"error: the server at 127.0.0.1:{someone_elses_db.port} is PostgreSQL 15")
    assert "not Doltgres" in line and "changed nothing" in line
    assert PG_PASSWORD not in line
    assert_untouched(someone_elses_db, before)


def test_plain_postgresql_by_pg_variables_is_refused_and_untouched(someone_elses_db):
    before = database_names(someone_elses_db.set(database="postgres"))
    env = {
        "PGHOST": "127.0.0.1",
        "PGPORT": str(someone_elses_db.port),
        "PGUSER": "postgres",
        "PGPASSWORD": PG_PASSWORD,
        "PGDATABASE": someone_elses_db.database,
    }
    line = one_error_line(run_demo(env=env))
    assert "is PostgreSQL 15" in line and "not Doltgres" in line
    assert_untouched(someone_elses_db, before)


def test_plain_postgresql_missing_database_is_not_created(pg_server):
    before = database_names(pg_server)
    url = pg_server.set(database="sql_alchemy_big_demo")
    line = one_error_line(run_demo("--url", url.render_as_string(hide_password=False)))
    assert "is PostgreSQL 15" in line and "not Doltgres" in line
    assert database_names(pg_server) == before


def test_doltgres_url_variable_is_used(someone_elses_db):
    line = one_error_line(
        run_demo(env={"DOLTGRES_URL": someone_elses_db.render_as_string(hide_password=False)})
    )
    assert "is PostgreSQL 15" in line


def test_closed_port_says_doltgres_is_not_reachable():
    port = free_port()
    line = one_error_line(
        run_demo("--url", f"postgresql+psycopg2://postgres:password@127.0.0.1:{port}/sql_alchemy_big_demo")
    )
    assert line == (
        f"error: Doltgres isn't reachable at 127.0.0.1:{port}: start it with `doltgres` "
        "(or fix --url / PGHOST / PGPORT), or run `python demo.py --embedded` to use the embedded engine instead"
    )


def test_default_settings_point_at_doltgres_default_port():
    # Nothing listens on 5432 on the test machines; the default must aim there with Doltgres's login.
    url = demo.server_url(demo.parse_arguments([]), {})
    assert url.render_as_string(hide_password=False) == (
        "postgresql+psycopg2://postgres:password@127.0.0.1:5432/sql_alchemy_big_demo"
    )
    assert demo.server_url(demo.parse_arguments([]), {"PGPORT": "6543", "PGDATABASE": "x"}).port == 6543
    assert (
        demo.server_url(demo.parse_arguments(["--url", "postgresql://u:p@h/db"]), {"PGPORT": "1"}).port
        is None
    )


def test_wrong_password_is_refused_without_showing_it(pg_server):
    url = pg_server.set(password="not-the-password")
    line = one_error_line(run_demo("--url", url.render_as_string(hide_password=False)))
    assert line.startswith(
        f"error: Doltgres at 127.0.0.1:{pg_server.port} refused the login for user 'postgres'"
    )
    assert "not-the-password" not in line and PG_PASSWORD not in line


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--url", "not a url"], {}, "error: the connection URL is not valid"),
        (["--url", "sqlite:///x.db"], {}, "error: the URL must start with postgresql+psycopg2://"),
        (
            ["--url", "postgresql://postgres@127.0.0.1/db/main"],
            {},
            "error: the URL must name one database, without a branch",
        ),
        ([], {"PGPORT": "five"}, "error: PGPORT must be a port number, not 'five'"),
    ],
)
def test_bad_settings_are_one_line(args, env, expected):
    assert one_error_line(run_demo(*args, env=env)).startswith(expected)


# --------------------------------------------------------------------------- database creation


@pytest.mark.parametrize("name", ["Demo-Database", "sql_alchemy_big_demo_x"])
def test_create_database_with_awkward_name(pg_server, name, capsys):
    target = demo.DoltgresServer(pg_server.set(database=name))
    try:
        demo.create_database(target)
        assert name in database_names(pg_server)
        assert capsys.readouterr().out == f"Created database: {name}\n"
        # The missing-database test only fires for a database that is really missing.
        with pytest.raises(demo.DemoError) as raised:
            demo.dolt_version_at(target, target.url)
        assert not isinstance(raised.value, demo.DatabaseMissing)
        assert "not Doltgres" in str(raised.value)
    finally:
        engine = admin_engine(pg_server)
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        engine.dispose()


def test_missing_database_is_recognised(pg_server):
    target = demo.DoltgresServer(pg_server.set(database="Not-There"))
    with pytest.raises(demo.DatabaseMissing, match="there is no database 'Not-There'"):
        demo.dolt_version_at(target, target.url)
    assert "Not-There" not in database_names(pg_server)


# --------------------------------------------------------------------------- the walkthrough's SQL on PostgreSQL


def test_walkthrough_sql_on_postgresql(scratch_db, capsys):
    engine = create_engine(scratch_db)
    try:
        demo.setup_database(engine)
        inspector = inspect(engine)
        assert sorted(inspector.get_table_names()) == ["employees", "employees_teams", "teams"]
        assert inspector.get_pk_constraint("employees_teams")["constrained_columns"] == [
            "employee_id",
            "team_id",
        ]
        assert sorted(
            (fk["constrained_columns"][0], fk["referred_table"])
            for fk in inspector.get_foreign_keys("employees_teams")
        ) == [
            ("employee_id", "employees"),
            ("team_id", "teams"),
        ]

        demo.insert_data(engine)
        demo.print_summary_table(engine)
        demo.modify_data(engine)
        demo.print_summary_table(engine)
        demo.modify_schema(engine)
        demo.print_summary_table(engine)
        with engine.connect() as conn:
            dates = conn.execute(text("SELECT id, start_date FROM employees ORDER BY id")).all()
        assert dates == [
            (0, datetime.date(2018, 8, 6)),
            (1, datetime.date(2018, 8, 6)),
            (2, datetime.date(2018, 8, 6)),
            (3, datetime.date(2021, 4, 19)),
            (4, None),
        ]
        demo.drop_table(engine, "employees_teams")
        demo.print_tables(engine)
        assert capsys.readouterr().out == (
            "Team Summary\n\tEngineering: Tim Sehn\n\tEngineering: Brian Hendriks\n\tEngineering: Aaron Son\n"
            "\tSales: Tim Sehn\n\tSales: Brian Fitzgerald\n"
            "Team Summary\n\tEngineering: Timothy Sehn\n\tEngineering: Brian Hendriks\n\tEngineering: Aaron Son\n"
            "\tEngineering: Daylon Wilkins\n\tSales: Brian Fitzgerald\n"
            "Team Summary\n\tEngineering: Timothy Sehn 2018-08-06\n\tEngineering: Brian Hendriks 2018-08-06\n"
            "\tEngineering: Aaron Son 2018-08-06\n\tEngineering: Daylon Wilkins\n\tSales: Brian Fitzgerald 2021-04-19\n"
            "Tables in database:\n\temployees\n\tteams\n"
        )
    finally:
        demo.forget_tables(engine)
        engine.dispose()


# --------------------------------------------------------------------------- decoding Doltgres's return types

# Return types as Doltgres declares them (doltgresql's dolt_* functions, 1.x and before 1.0). The bodies return fixed values: they model
# what psycopg2 receives, not what the functions do.
DOLTGRES_1X = """
CREATE SCHEMA v1;
CREATE FUNCTION v1.dolt_merge(VARIADIC args text[], OUT hash text, OUT fast_forward bigint,
                              OUT conflicts bigint, OUT message text)
  AS $$ SELECT 'rntucmt22aemuqb4m99co3r2gl7kirq0'::text, 1::bigint, 0::bigint, 'merge successful, "quoted", too'::text $$
  LANGUAGE sql;
CREATE FUNCTION v1.dolt_checkout(VARIADIC args text[], OUT status bigint, OUT message text)
  AS $$ SELECT 0::bigint, 'Switched to branch ''' || args[1] || '''' $$ LANGUAGE sql;
CREATE FUNCTION v1.dolt_commit(VARIADIC args text[]) RETURNS text
  AS $$ SELECT CASE WHEN args[1] = '--skip-empty' THEN NULL ELSE 'fp0q9g2btfblddq5vh5p5g20vldjbj3o' END $$
  LANGUAGE sql;
CREATE SCHEMA v0;
CREATE FUNCTION v0.dolt_merge(VARIADIC args text[]) RETURNS text[]
  AS $$ SELECT ARRAY['0o07b2f3r788t9nn2vg139maviu49fd4', '0', '2', 'conflicts'] $$ LANGUAGE sql;
CREATE FUNCTION v0.dolt_commit(VARIADIC args text[]) RETURNS text[]
  AS $$ SELECT ARRAY['lf30j7u2pmrna1h4ld3gg7j9gpn9etho'] $$ LANGUAGE sql;
"""


@pytest.fixture
def typed_functions(scratch_db):
    engine = create_engine(scratch_db)
    with engine.begin() as conn:
        conn.exec_driver_sql(DOLTGRES_1X)
    yield engine
    engine.dispose()


def test_psycopg2_decodes_doltgres_1x_records(typed_functions):
    with typed_functions.connect() as conn:
        conn.execute(text("SET search_path TO v1"))
        raw = demo.call(conn, "dolt_merge", "modify_data")
        assert isinstance(raw, str)  # psycopg2 has no RECORD decoder
        assert demo.read_merge(raw) == demo.MergeResult(
            "rntucmt22aemuqb4m99co3r2gl7kirq0", 1, 0, 'merge successful, "quoted", too'
        )
        checkout = demo.call(conn, "dolt_checkout", "b")
        assert checkout == "(0,\"Switched to branch 'b'\")"
        assert demo.parse_record(checkout) == ["0", "Switched to branch 'b'"]
        assert demo.read_commit_hash(demo.call(conn, "dolt_commit", "--skip-empty", "-m", "x")) is None
        assert (
            demo.read_commit_hash(demo.call(conn, "dolt_commit", "-m", "x"))
            == "fp0q9g2btfblddq5vh5p5g20vldjbj3o"
        )
        row = conn.execute(text("SELECT * FROM dolt_merge('b')")).one()
        assert demo.read_merge(tuple(row)).fast_forward == 1


def test_psycopg2_decodes_pre_1_0_text_arrays(typed_functions):
    with typed_functions.connect() as conn:
        conn.execute(text("SET search_path TO v0"))
        raw = demo.call(conn, "dolt_merge", "modify_data")
        assert raw == ["0o07b2f3r788t9nn2vg139maviu49fd4", "0", "2", "conflicts"]
        assert demo.read_merge(raw) == demo.MergeResult("0o07b2f3r788t9nn2vg139maviu49fd4", 0, 2, "conflicts")
        assert (
            demo.read_commit_hash(demo.call(conn, "dolt_commit", "-m", "x"))
            == "lf30j7u2pmrna1h4ld3gg7j9gpn9etho"
        )


def test_arguments_are_bound_not_pasted(typed_functions):
    statements = []
    event.listen(
        typed_functions,
        "before_cursor_execute",
        lambda c, cur, stmt, params, *a: statements.append((stmt, params)),
    )
    with typed_functions.connect() as conn:
        conn.execute(text("SET search_path TO v1"))
        demo.call(conn, "dolt_commit", "-m", "it's; DROP TABLE x --")
    stmt, params = statements[-1]
    assert "DROP TABLE" not in stmt and "it's; DROP TABLE x --" in params.values()


def test_url_with_branch_is_built_by_sqlalchemy():
    target = demo.DoltgresServer(make_url("postgresql+psycopg2://postgres:s3cret@db.example:5433/my-db"))
    engine = target.new_engine("modify_data")
    assert engine.url.database == "my-db/modify_data"
    assert (
        engine.url.render_as_string(hide_password=True)
        == "postgresql+psycopg2://postgres:***@db.example:5433/my-db/modify_data"
    )
    engine.dispose()
