"""shared/store/driver.py writes SQLite timestamps itself: the same text as SQLAlchemy's own
DATETIME bind processor, for every kind of value the store is given."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import sqlite

from shared.store.driver import ManyInsert, sqlite_datetime_processor
from shared.store.schema import tasks

BRT = dt.timezone(dt.timedelta(hours=-3))
VALUES = [
    dt.datetime(2026, 12, 8, 2, 5, 7, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 8, 2, 5, 7, tzinfo=dt.UTC),  # no microseconds: still six digits
    dt.datetime(2026, 12, 8, 23, 59, 59, 999999, tzinfo=BRT),  # the wall clock, as SQLAlchemy
    dt.datetime(1, 1, 1, 0, 0, 0, 1),  # naive, year 1
    dt.datetime(999, 3, 4, 5, 6, 7),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.date(2026, 12, 8),
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_timestamp_is_written_as_sqlalchemy_writes_it(value: object) -> None:
    default = sqlite.DATETIME(timezone=True).bind_processor(sqlite.dialect())
    assert sqlite_datetime_processor(default)(value) == default(value)


def test_the_task_insert_uses_it_for_both_timestamps() -> None:
    insert = ManyInsert(sqlite.insert(tasks).on_conflict_do_nothing())
    compiled = insert.compiled(sqlite.dialect(), tuple(c.name for c in tasks.c))
    row = {c.name: None for c in tasks.c} | {"created_at": VALUES[0], "updated_at": VALUES[2]}
    params = dict(zip(compiled.names or (), compiled.params(row), strict=True))
    assert params["created_at"] == "2026-12-08 02:05:07.123456"
    assert params["updated_at"] == "2026-12-08 23:59:59.999999"


def test_the_same_datetime_twice_and_then_another() -> None:
    default = sqlite.DATETIME(timezone=True).bind_processor(sqlite.dialect())
    process = sqlite_datetime_processor(default)
    first, second = VALUES[0], VALUES[0].replace(microsecond=5)
    assert [process(v) for v in (first, first, second, first, None)] == [
        default(v) for v in (first, first, second, first, None)
    ]
