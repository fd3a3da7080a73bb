"""SQLite's WAL checkpoints run beside the writer's group commit (shared/store/checkpoint.py):
what a stored task looks like in the database file, and a WAL that stays bounded under writes."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Connection

from shared.store import Store, tasks
from shared.store import checkpoint as checkpoint_module
from tests.support.task_rows import task_row


def _row() -> dict:
    return task_row(payload={"texto": "x" * 300})


def _ids_in_file_alone(db: Path, tmp: Path) -> set[str]:
    """The task ids a copy of the database file holds without its WAL (what a file copy keeps)."""
    copy = tmp / "copy.db"
    shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tasks'").fetchone() is None:
            return set()  # the schema itself is still in the WAL
        return {r[0] for r in conn.execute("SELECT task_id FROM tasks")}


def test_a_stored_task_reaches_the_database_file_while_the_store_keeps_running(tmp_path: Path) -> None:
    db = tmp_path / "tasks.db"
    store = Store(f"sqlite:///{db}")
    try:
        row = _row()
        assert store.create_task(row).kind == "created"
        deadline = time.monotonic() + 10
        while row["task_id"] not in _ids_in_file_alone(db, tmp_path):
            assert time.monotonic() < deadline, "the task never left the WAL for the database file"
            time.sleep(0.02)
        assert store.get_task(row["task_id"])["status"] == "queued"
    finally:
        store.close()


def test_the_wal_stays_bounded_under_continuous_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small bound (800 KiB), so that these writes would take an unbounded WAL far past it (to
    # about 44 MB). The WAL is restarted between passive checkpoints, so it overshoots the bound
    # by what the writes add in between.
    monkeypatch.setattr(checkpoint_module, "WAL_RESTART_PAGES", 200)
    db = tmp_path / "tasks.db"
    store = Store(f"sqlite:///{db}")
    written: list[str] = []
    try:
        for _ in range(300):
            futures = []
            for _ in range(20):
                row = _row()
                written.append(row["task_id"])
                futures.append(store._writer.submit(_creation(store, row)))
            for fut in futures:
                assert fut.result(30).kind == "created"
        wal = Path(f"{db}-wal")
        # The WAL file keeps its high-water mark.
        assert wal.stat().st_size < 16 * 1024 * 1024
        assert store.get_task(written[0]) is not None and store.get_task(written[-1]) is not None
    finally:
        store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == len(written)


def _creation(store: Store, row: dict) -> Callable[[Connection], tasks.CreateOutcome]:
    """A task creation as the writer runs it: submitted 20 at a time, they share group commits."""
    return tasks.create(store._stmts, row)
