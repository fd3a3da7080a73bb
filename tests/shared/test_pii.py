"""Personal data masking used by the logs and the /ops console."""

from __future__ import annotations

from shared.pii import MASK, mask, mask_text


def test_cpf_phone_and_email_are_masked_but_ids_dates_and_vitals_are_not() -> None:
    text = (
        "CPF 529.982.247-25 ou 52998224725, tel (11) 98765-4321 / +55 11 98765 4321, "
        "maria@example.com.br; id 3fa85f64-5717-4562-b3fc-2c963f66afa6 em 2026-12-02T20:00:00Z, "
        "PA 120x80, temp 38.5"
    )
    masked = mask_text(text)
    for secret in ("529.982.247-25", "52998224725", "98765-4321", "98765 4321", "maria@example.com.br"):
        assert secret not in masked
    for kept in ("3fa85f64-5717-4562-b3fc-2c963f66afa6", "2026-12-02T20:00:00Z", "120x80", "38.5"):
        assert kept in masked


def test_names_are_masked_whole_and_free_text_only_when_asked() -> None:
    value = {
        "paciente_nome": "José",
        "registros": [{"nome": "Ana", "cpf": "529.982.247-25"}],
        "queixa": "dor",
    }
    assert mask(value) == {
        "paciente_nome": MASK,
        "registros": [{"nome": MASK, "cpf": "[cpf]"}],
        "queixa": "dor",
    }
    assert mask(value, free_text=True)["queixa"] == MASK
