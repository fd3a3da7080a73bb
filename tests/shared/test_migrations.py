"""Alembic migrations of the task store on SQLite and PostgreSQL: fresh databases, databases made by
the old `create_all`, processes starting together, and models that must match the revisions."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared import migrate
from shared.store import Store
from shared.store.schema import make_engine, metadata, tasks
from tests.support.legacy_schema import legacy_metadata, legacy_task_alerts, legacy_tasks

ROOT = Path(__file__).resolve().parents[2]


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return migrate.current_revision(conn)
    finally:
        engine.dispose()


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return migrate.model_differences(conn)
    finally:
        engine.dispose()


def test_fresh_database_is_created_by_the_migrations_alone(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_create_all(*_a: object, **_k: object) -> None:
        raise AssertionError("create_all must never build the task store")

    monkeypatch.setattr(sa.MetaData, "create_all", no_create_all)
    assert migrate.upgrade(store_url).startswith("created the schema")
    assert _revision(store_url) == migrate.head_revision()
    assert _differences(store_url) == []


def test_models_and_migrations_describe_the_same_schema(store_url: str) -> None:
    migrate.upgrade(store_url)
    diffs = _differences(store_url)
    assert diffs == [], (
        "shared/store/schema.py and shared/migrations differ; write a revision with "
        f"`python -m shared.migrate revision -m '...'`: {diffs}"
    )


def test_database_made_by_the_old_create_all_is_adopted_with_its_rows(store_url: str) -> None:
    engine = make_engine(store_url)
    ts = datetime.now(UTC)
    task_id = str(uuid.uuid4())
    with engine.begin() as conn:
        legacy_metadata.create_all(conn)
        conn.execute(
            legacy_tasks.insert().values(
                task_id=task_id, tenant_id="hospital_a", domain="exames", task_type="hemograma",
                status="completed", progress=10**12 - 1, generation=0, attempts=1, created_at=ts,
                updated_at=ts, result={"resumo": "ok"}, correlation_id="c1",
            )
        )  # fmt: skip
        conn.execute(
            legacy_task_alerts.insert().values(
                task_id=task_id, alert_key="k1", type="exame_critico", severity="alta",
                message="Potássio crítico", body={"x": 1}, delivery="delivered", attempts=1,
                backend_alert_id="b-1", parked=False, created_at=ts, updated_at=ts,
            )
        )  # fmt: skip
    engine.dispose()

    outcome = migrate.upgrade(store_url)

    assert outcome.startswith("adopted the existing tables")
    assert _revision(store_url) == migrate.head_revision()
    assert _differences(store_url) == []
    store = Store(store_url)
    try:
        task = store.get_task_view(task_id)
        assert task is not None and task["status"] == "completed" and task["result"] == {"resumo": "ok"}
        assert [a["backend_alert_id"] for a in task["alerts"]] == ["b-1"]
    finally:
        store.close()


def test_tables_that_are_not_the_old_schema_are_not_adopted(store_url: str) -> None:
    engine = make_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE tasks (id INTEGER PRIMARY KEY, name TEXT)"))
    engine.dispose()
    with pytest.raises(migrate.MigrationError, match="refusing to adopt"):
        migrate.upgrade(store_url)
    assert _revision(store_url) is None


def test_processes_starting_together_migrate_once_without_errors(store_url: str) -> None:
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcomes.append(migrate.upgrade(store_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(o.startswith("created the schema") for o in outcomes) == 1
    assert _revision(store_url) == migrate.head_revision()


def test_migrate_command_upgrades_and_then_reports_the_database_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shared.migrate", *args, "--database-url", url],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    behind = cli("check")
    assert behind.returncode == 1 and "latest revision is" in behind.stdout
    assert "created the schema" in cli().stdout
    current = cli("check")
    assert current.returncode == 0, current.stdout + current.stderr
    assert "models match" in current.stdout
    assert metadata.tables.keys() <= set(sa.inspect(make_engine(url)).get_table_names())


def test_database_at_the_previous_revision_is_upgraded_with_its_rows_and_no_payload(store_url: str) -> None:
    from alembic import command

    engine = make_engine(store_url)
    ts = datetime.now(UTC)
    task_id = str(uuid.uuid4())
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0002")
        conn.execute(
            legacy_tasks.insert().values(
                task_id=task_id, tenant_id="hospital_a", domain="clinico", task_type="consulta",
                status="completed", progress=10**12 - 1, generation=0, attempts=1, created_at=ts,
                updated_at=ts, result={"resumo": "ok"}, correlation_id="c1",
            )
        )  # fmt: skip
    engine.dispose()

    assert migrate.upgrade(store_url) == f"upgraded from 0002 to {migrate.head_revision()}"

    assert _differences(store_url) == []
    engine = make_engine(store_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.select(tasks).where(tasks.c.task_id == task_id)).one()
        assert (row.status, row.result, row.payload) == ("completed", {"resumo": "ok"}, None)
    finally:
        engine.dispose()
