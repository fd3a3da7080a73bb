"""The message body the API publishes."""

from __future__ import annotations

import orjson

from shared.messages import Envelope


def test_a_body_built_with_the_payload_already_encoded_is_the_same_message() -> None:
    env = Envelope(
        domain="clinico",
        task_type="consulta",
        tenant_id="hospital_a",
        payload={"paciente_id": "p-1", "queixa": "falta de ar, febre 38,5 °C", "sinais": [1, 2.5, None]},
    )
    spliced = env.to_json_bytes(orjson.dumps(env.payload))

    assert Envelope.model_validate_json(spliced) == env
    assert orjson.loads(spliced) == orjson.loads(env.to_json_bytes())
