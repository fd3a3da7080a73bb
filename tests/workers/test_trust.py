"""The tenant a message may claim (workers/trust.py): the store's word first, then the
broker-validated publisher."""

from __future__ import annotations

from pathlib import Path

from shared import topology
from tests.conftest import make_settings
from workers.trust import KnownTask, TenantVerifier


def _verifier(tmp_path: Path) -> TenantVerifier:
    return TenantVerifier(
        make_settings(
            tmp_path,
            rabbitmq_api_url="amqp://gateway-api:x@rabbit:5672/",
            broker_producers="hl7-a=hospital_a",
        )
    )


def test_a_task_the_store_holds_must_carry_its_tenant(tmp_path: Path) -> None:
    v = _verifier(tmp_path)
    mine = KnownTask("hospital_a", 0)
    assert v.untrusted("hospital_a", {}, mine) is None
    assert v.untrusted("hospital_b", {topology.H_VERIFIED_USER: "gateway-api"}, mine) is not None


def test_an_unknown_task_needs_a_verified_publisher_for_its_tenant(tmp_path: Path) -> None:
    v = _verifier(tmp_path)
    assert v.untrusted("tenant-evil", {}, None) is not None
    assert v.untrusted("tenant-evil", {topology.H_VERIFIED_USER: "someone"}, None) is not None
    assert v.untrusted("hospital_b", {topology.H_VERIFIED_USER: "hl7-a"}, None) is not None
    assert v.untrusted("hospital_a", {topology.H_VERIFIED_USER: "hl7-a"}, None) is None
    assert v.untrusted("hospital_b", {topology.H_VERIFIED_USER: "gateway-api"}, None) is None


def test_a_replay_generation_counts_only_when_the_store_issued_it(tmp_path: Path) -> None:
    assert TenantVerifier.generation(2, KnownTask("hospital_a", 2)) == 2
    assert TenantVerifier.generation(3, KnownTask("hospital_a", 2)) == 0
    assert TenantVerifier.generation(1, None) == 0
    assert TenantVerifier.generation(0, KnownTask("hospital_a", 5)) == 0
