"""Personal data (shared/pii.py): masking for logs and the /ops console, redaction for prompts."""

from __future__ import annotations

import pytest

from shared.pii import MASK, mask, mask_text
from workers.redaction import redact

# One row per input: what a log line or the /ops console shows (loose patterns: a false positive
# only hides a number) and what a prompt to a remote LLM carries (precise patterns: lab values and
# year ranges stay readable). See shared/pii.py.
CASES = [
    ("CPF 529.982.247-25 ou 123.456.789/09", "CPF [cpf] ou [cpf]", "CPF [CPF] ou [CPF]"),
    ("cpf:12345678909, 12345678909. (12345678909)", "cpf:[cpf], [cpf]. ([cpf])", "cpf:[CPF], [CPF]. ([CPF])"),
    (
        "ligue (11) 98765-4321, 11 3333-4444, +55 11 98765 4321 ou 98765-4321",
        "ligue [telefone], [telefone], [telefone] ou [telefone]",
        "ligue [TELEFONE], [TELEFONE], [TELEFONE] ou [TELEFONE]",
    ),
    ("celular 987654321", "celular [telefone]", "celular [TELEFONE]"),
    (
        "escreva para ana.souza+exames@hospital.org.br hoje",
        "escreva para [email] hoje",
        "escreva para [EMAIL] hoje",
    ),
    (
        "Hb 7,5 g/dL, plaquetas 150000, em 15/03/2024, PA 120x80, temp 38.5",
        "Hb 7,5 g/dL, plaquetas 150000, em 15/03/2024, PA 120x80, temp 38.5",
        "Hb 7,5 g/dL, plaquetas 150000, em 15/03/2024, PA 120x80, temp 38.5",
    ),
    ("ciclos 2023-2024", "ciclos [telefone]", "ciclos 2023-2024"),
    ("valor 0,12345678901", "valor 0,[cpf]", "valor 0,12345678901"),
    (
        "em 2026-12-02T20:00:00Z, tarefa 3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "em 2026-12-02T20:00:00Z, tarefa 3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "em 2026-12-02T20:00:00Z, tarefa 3fa85f64-[TELEFONE]-b3fc-2c963f66afa6",
    ),
]


@pytest.mark.parametrize(("text", "display", "prompt"), CASES)
def test_personal_data_is_masked_for_display_and_redacted_for_prompts(
    text: str, display: str, prompt: str
) -> None:
    assert mask_text(text) == display
    assert redact(text) == prompt


def test_both_consumers_agree_on_which_fields_hold_names() -> None:
    value = {"nome_mae": "Ana Souza", "responsavel": "Rui Lima", "nota": "Ana Souza ligou"}
    assert mask(value) == {"nome_mae": MASK, "responsavel": MASK, "nota": "Ana Souza ligou"}
    assert redact(value) == {"nome_mae": "[NOME]", "responsavel": "[NOME]", "nota": "[NOME] ligou"}


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
