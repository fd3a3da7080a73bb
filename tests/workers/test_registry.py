from __future__ import annotations

import pytest

from workers import registry
from workers.registry import HandlerNotFound, get_handler, handler


@pytest.fixture(autouse=True)
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_REGISTRY", {})


def test_decorator_registers_a_handler_with_the_contract_payload_model() -> None:
    @handler("exames", "hemograma")
    def h(ctx, payload):  # type: ignore[no-untyped-def]
        return {}

    found = get_handler("exames", "hemograma")
    assert found.fn is h and found.payload_model.__name__ == "HemogramaPayload"


def test_unknown_task_type_raises_handler_not_found() -> None:
    with pytest.raises(HandlerNotFound, match=r"clinico\.cirurgia"):
        get_handler("clinico", "cirurgia")


def test_task_types_outside_the_contract_cannot_be_registered() -> None:
    with pytest.raises(ValueError, match="not a task type"):
        handler("clinico", "cirurgia")


def test_a_second_handler_for_a_type_needs_override() -> None:
    @handler("opme", "material")
    def first(ctx, payload):  # type: ignore[no-untyped-def]
        return {}

    def second(ctx, payload):  # type: ignore[no-untyped-def]
        return {"second": True}

    with pytest.raises(ValueError, match="already registered"):
        handler("opme", "material")(second)
    handler("opme", "material", override=True)(second)
    assert get_handler("opme", "material").fn is second
