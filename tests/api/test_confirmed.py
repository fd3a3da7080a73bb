"""api/confirmed.py encodes the content header frame itself: byte for byte what pamqp marshals
for the same `Basic.Properties` (the frame aio-pika's `Exchange.publish` used to send)."""

from __future__ import annotations

import datetime

import pytest
from pamqp import commands as spec
from pamqp.frame import marshal
from pamqp.header import ContentHeader

from api.confirmed import FixedProperties, content_header

NOW = datetime.datetime(2026, 12, 7, 5, 30, 1, 987654, tzinfo=datetime.UTC)
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def fixed(user_id: str = "gateway") -> FixedProperties:
    return FixedProperties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        priority=0,
        app_id="clinical-task-gateway",
        user_id=user_id,
    )


def pamqp_frame(channel: int, body_size: int, user_id: str = "gateway", **values: object) -> bytes:
    properties = spec.Basic.Properties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        priority=0,
        app_id="clinical-task-gateway",
        user_id=user_id,
        **values,  # type: ignore[arg-type]
    )
    return marshal(ContentHeader(properties=properties, body_size=body_size), channel)


CASES = [
    {"headers": {"x-tenant-id": "hospital_a", "traceparent": TRACEPARENT}, "correlation_id": "c" * 32},
    {
        "headers": {"x-tenant-id": "hospital_a"},
        "correlation_id": "abc",
        "reply_to": "amq.rabbitmq.reply-to.g1h2",
    },
    {"headers": {"x-tenant-id": "clínica_são_joão", "traceparent": TRACEPARENT}, "correlation_id": "é" * 100},
    {"headers": {"x-tenant-id": "t", "tracestate": "vendor=1", "baggage": "k=v"}, "correlation_id": "x"},
    {"headers": {"x-tenant-id": "t", "x-retries": 3, "nested": {"a": "b"}}, "correlation_id": "y"},
    {"headers": {}, "correlation_id": None, "reply_to": ""},
    {"headers": None, "correlation_id": "z"},
]


@pytest.mark.parametrize("values", CASES)
@pytest.mark.parametrize("channel", [1, 7])
def test_the_content_header_is_the_frame_pamqp_marshals(values: dict[str, object], channel: int) -> None:
    common = {"message_id": "7d0b6f9e-25a1-4c7e-9d9e-2f4c1e0b9a11", "message_type": "clinico.consulta"}
    ours = content_header(
        channel,
        494,
        fixed(),
        headers=values["headers"],  # type: ignore[arg-type]
        correlation_id=values.get("correlation_id"),  # type: ignore[arg-type]
        reply_to=values.get("reply_to"),  # type: ignore[arg-type]
        timestamp=NOW,
        **common,
    )
    theirs = pamqp_frame(
        channel,
        494,
        headers=values["headers"],
        correlation_id=values.get("correlation_id"),
        reply_to=values.get("reply_to"),
        timestamp=NOW,
        **common,
    )
    assert ours == theirs


def test_a_naive_timestamp_and_no_user_id_encode_as_pamqp_encodes_them() -> None:
    naive = datetime.datetime(2026, 1, 2, 3, 4, 5)
    ours = content_header(
        1,
        10,
        fixed(user_id=""),
        headers={"x-tenant-id": "t"},
        correlation_id="c",
        reply_to=None,
        message_id="m",
        timestamp=naive,
        message_type="exames.hemograma",
    )
    theirs = pamqp_frame(
        1,
        10,
        user_id="",
        headers={"x-tenant-id": "t"},
        correlation_id="c",
        message_id="m",
        timestamp=naive,
        message_type="exames.hemograma",
    )
    assert ours == theirs


def test_a_correlation_id_longer_than_a_short_string_is_refused_as_pamqp_refuses_it() -> None:
    too_long = "é" * 128  # 256 bytes in UTF-8
    with pytest.raises(TypeError):
        pamqp_frame(
            1, 1, headers={"x-tenant-id": "t"}, correlation_id=too_long, message_id="m", timestamp=NOW
        )
    with pytest.raises(TypeError):
        content_header(
            1,
            1,
            fixed(),
            headers={"x-tenant-id": "t"},
            correlation_id=too_long,
            reply_to=None,
            message_id="m",
            timestamp=NOW,
            message_type="t",
        )
