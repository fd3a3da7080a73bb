"""shared/ids.py: ids of the same form as uuid4() and secrets.token_hex(), never repeating bytes, and
time-ordered version 7 task ids."""

from __future__ import annotations

import os
import uuid

from shared import ids


def test_uuid4_is_a_version_4_uuid() -> None:
    for _ in range(600):  # past one 4 KiB pool
        value = ids.uuid4()
        assert value.version == 4 and value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value and hash(value) == hash(uuid.UUID(value.hex))
        assert value.is_safe is uuid.SafeUUID.unknown


def test_uuid4_hex_is_the_hex_of_a_uuid4() -> None:
    for _ in range(600):
        text = ids.uuid4_hex()
        assert len(text) == 32 and uuid.UUID(text).version == 4 and uuid.UUID(text).hex == text
        assert uuid.UUID(text).variant == uuid.RFC_4122


def test_bytes_are_handed_out_once() -> None:
    seen = {ids.random_bytes(16) for _ in range(2000)}
    assert len(seen) == 2000
    assert len(ids.token_hex(16)) == 32 and len(ids.token_hex(8)) == 16


def test_a_forked_child_does_not_reuse_the_parent_s_pool() -> None:
    ids.random_bytes(16)  # the pool holds bytes now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next bytes and leave at once
        os.write(write, ids.random_bytes(16))
        os._exit(0)
    os.close(write)
    child = os.read(read, 16)
    os.close(read)
    os.waitpid(pid, 0)
    assert child != ids.random_bytes(16)


def test_uuid7_is_a_version_7_uuid_that_sorts_in_creation_order() -> None:
    first = [ids.uuid7() for _ in range(600)]  # past one 4 KiB pool
    for value in first:
        assert value.version == 7 and value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value and hash(value) == hash(uuid.UUID(value.hex))
    assert len(set(first)) == 600
    later = first[-1]
    while later.int >> 80 == first[-1].int >> 80:  # the next millisecond (polled, no sleep)
        later = ids.uuid7()
    # The task table's key is the id as text: a later task's id sorts after an earlier one's.
    assert all(str(value) < str(later) for value in first)
