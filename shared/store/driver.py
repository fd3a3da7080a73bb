"""Statements compiled once and run through the driver: what `conn.execute` does per call (compile
the parameters of every row, look the statement up in the cache) without doing it per call.

`DriverStatement`: a Core statement compiled for one dialect. `ManyInsert`: an INSERT run over a
list of rows as one driver executemany, compiled once per dialect and set of columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Connection


def sqlite_datetime_processor(default: Any) -> Any:
    """SQLite's DATETIME bind processor, the same text for a datetime with less CPU: SQLAlchemy's
    formats a dict of seven fields with `%` (~13,000 instructions per timestamp, two per task
    row); `isoformat` writes the same `YYYY-MM-DD HH:MM:SS.ffffff` (the wall-clock fields, an
    offset after them cut off, as SQLAlchemy ignores it) in ~11,000, and the text of the last
    datetime is kept: a task row's `updated_at` is its `created_at`, the same object, processed
    right after it. Dates and anything else stay SQLAlchemy's."""
    last: tuple[Any, str] = (None, "")  # replaced whole, never mutated: safe across threads

    def process(value: Any) -> Any:
        nonlocal last
        seen = last
        if seen[0] is value and value is not None:
            return seen[1]
        if type(value) is datetime:
            text = value.isoformat(" ", "microseconds")[:26]
            last = (value, text)  # holds the datetime: its identity cannot be reused meanwhile
            return text
        return default(value)

    return process


def _fast_processors(compiled: Any, dialect: Any) -> dict[str, Any]:
    processors = dict(compiled._bind_processors)
    if dialect.name != "sqlite":
        return processors
    for name, proc in processors.items():
        impl = compiled.binds[name].type.dialect_impl(dialect)
        # Only SQLAlchemy's own default format: a custom storage_format keeps its processor.
        if type(impl) is SQLITE_DATETIME and impl._storage_format == SQLITE_DATETIME._storage_format:
            processors[name] = sqlite_datetime_processor(proc)
    return processors


class DriverStatement:
    """A Core statement compiled once for a dialect and run with `exec_driver_sql`: the same SQL
    and the same bind processing (JSON, timestamps) as `conn.execute`, without SQLAlchemy
    compiling the parameters of every row again (`construct_params` per row cost more CPU than
    SQLite's executemany itself)."""

    def __init__(self, stmt: Any, dialect: Any, column_keys: list[str] | None = None) -> None:
        # `column_keys`: the columns an INSERT without values sets (those of its rows).
        compiled = stmt.compile(dialect=dialect, column_keys=column_keys)
        self.sql = compiled.string
        self.names: list[str] | None = list(compiled.positiontup or ()) if compiled.positional else None
        # Literal binds of the statement itself (`attempts + 1`); the callers' are named `b_*`.
        # Those the rows set themselves (`column_keys`) are left out: nothing to merge per row.
        given = set(column_keys or ())
        self.fixed = {
            name: bp.value
            for name, bp in compiled.binds.items()
            if not name.startswith("b_") and name not in given
        }
        self.processors = _fast_processors(compiled, dialect)
        proc = self.processors
        # Positional (SQLite): each parameter's name and its bind processor, or None.
        self.plan = [(n, proc.get(n)) for n in self.names] if self.names is not None else None

    def params(self, row: dict[str, Any]) -> Any:
        values = {**self.fixed, **row} if self.fixed else row
        if self.plan is not None:
            return tuple([p(values[n]) if p is not None else values[n] for n, p in self.plan])
        proc = self.processors
        return {n: (proc[n](v) if n in proc else v) for n, v in values.items()}

    def executemany(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        conn.exec_driver_sql(self.sql, [self.params(r) for r in rows])


class ManyInsert:
    """`executemany(conn, rows)`: the INSERT `stmt` over `rows` (dicts with the same keys), compiled
    for their columns the first time. Rows with differing keys go through `conn.execute`, which
    sorts that out itself."""

    __slots__ = ("_compiled", "stmt")

    def __init__(self, stmt: Any) -> None:
        self.stmt = stmt
        self._compiled: dict[tuple[str, tuple[str, ...]], DriverStatement] = {}

    def executemany(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        keys = tuple(rows[0])
        if any(tuple(r) != keys for r in rows):
            conn.execute(self.stmt, rows)
            return
        self.compiled(conn.dialect, keys).executemany(conn, rows)

    def compiled(self, dialect: Any, keys: tuple[str, ...]) -> DriverStatement:
        """The INSERT compiled for `dialect` and rows with the columns `keys`."""
        key = (dialect.name, keys)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = DriverStatement(self.stmt, dialect, column_keys=list(keys))
        return compiled
