"""OPME pareceres: one test per completeness/consistency rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from .helpers import run

FUTURE = (date.today() + timedelta(days=30)).isoformat()
PAST = (date.today() - timedelta(days=1)).isoformat()
JUSTIFICATIVA = "Gonartrose primária grave, refratária a 12 meses de tratamento conservador"


def item(**extra: Any) -> dict[str, Any]:
    base = {
        "descricao": "Prótese total de joelho cimentada",
        "quantidade": 1,
        "registro_anvisa": "80123456789",
        "codigo_tuss": "70123456",
    }
    return base | extra


def opme(task: str = "protese", **extra: Any):
    payload: dict[str, Any] = {
        "itens": [item()],
        "cid10": "M17.1",
        "justificativa": JUSTIFICATIVA,
        "data_cirurgia": FUTURE,
    }
    if task == "protese":
        payload |= {"tipo_protese": "joelho", "lateralidade": "direita"}
    payload |= extra
    return run("opme", task, **payload)


def parecer(result) -> tuple[str, list[str], list[str]]:
    d = result.detalhes
    return d["parecer"], d["pendencias"], d["inconsistencias"]


@pytest.mark.parametrize("task", ["protese", "generico", "material"])
def test_a_complete_consistent_request_is_apto_and_never_alerts(task: str) -> None:
    result = opme(task)
    assert parecer(result) == ("apto", [], [])
    assert result.achados == [] and result.severidade is None and result.mensagem_alerta is None
    assert result.detalhes["tipo"] == task


def test_missing_anvisa_registration_is_pendente() -> None:
    status, pend, _ = parecer(opme(itens=[item(registro_anvisa=None)]))
    assert status == "pendente"
    assert pend == ["itens[0].registro_anvisa: registro ANVISA ausente"]


def test_missing_tuss_code_is_pendente() -> None:
    status, pend, _ = parecer(opme(itens=[item(codigo_tuss=None)]))
    assert status == "pendente" and pend == ["itens[0].codigo_tuss: código TUSS ausente"]


@pytest.mark.parametrize("tuss", ["1234", "ABC12345", "123456789"])
def test_tuss_code_not_eight_digits_is_inconsistente(tuss: str) -> None:
    status, _, inc = parecer(opme(itens=[item(codigo_tuss=tuss)]))
    assert status == "inconsistente" and "codigo_tuss" in inc[0]


@pytest.mark.parametrize(
    ("cid", "ok"),
    [
        ("M17.1", True),
        ("M171", True),
        ("S72", True),
        ("s72.00", True),
        ("17.1", False),
        ("MM17", False),
        ("M1", False),
        ("M17.123", False),
    ],
)
def test_cid10_format_is_checked(cid: str, ok: bool) -> None:
    status, _, inc = parecer(opme(cid10=cid))
    assert (status == "apto") == ok
    if not ok:
        assert inc[0].startswith("cid10:")


def test_more_than_ten_units_of_a_prosthesis_is_inconsistente() -> None:
    status, _, inc = parecer(opme(itens=[item(quantidade=11)], lateralidade="bilateral"))
    assert status == "inconsistente" and any("implausível" in i for i in inc)


def test_more_than_a_hundred_units_of_any_material_is_inconsistente() -> None:
    screws = item(descricao="Parafuso cortical 3,5 mm", quantidade=150)
    status, _, inc = parecer(opme("material", itens=[screws]))
    assert status == "inconsistente" and "implausível" in inc[0]
    assert (
        parecer(opme("material", itens=[item(descricao="Parafuso cortical 3,5 mm", quantidade=30)]))[0]
        == "apto"
    )


def test_bilateral_prosthesis_with_quantity_one_is_inconsistente() -> None:
    status, _, inc = parecer(opme(lateralidade="bilateral"))
    assert status == "inconsistente" and inc == ["lateralidade bilateral com quantidade 1 em itens[0]"]
    assert parecer(opme(lateralidade="bilateral", itens=[item(quantidade=2)]))[0] == "apto"


def test_unilateral_paired_joint_prosthesis_with_two_units_is_inconsistente() -> None:
    status, _, inc = parecer(opme(itens=[item(quantidade=2)], lateralidade="esquerda"))
    assert status == "inconsistente" and "unilateral" in inc[0]


@pytest.mark.parametrize(
    "texto", ["conforme laudo", "Necessário para cirurgia", "urgente", "Conforme laudo médico em anexo"]
)
def test_short_or_generic_justification_is_pendente(texto: str) -> None:
    status, pend, _ = parecer(opme(justificativa=texto))
    assert status == "pendente" and pend[0].startswith("justificativa:")


def test_missing_laterality_for_a_prosthesis_is_pendente() -> None:
    status, pend, _ = parecer(opme(lateralidade=None))
    assert status == "pendente" and pend == ["lateralidade: não informada (obrigatória para prótese)"]


def test_not_applicable_laterality_for_a_paired_limb_is_inconsistente() -> None:
    status, _, inc = parecer(opme(lateralidade="nao_se_aplica"))
    assert status == "inconsistente" and "nao_se_aplica" in inc[0]
    heart_valve = item(descricao="Prótese valvar aórtica biológica")
    assert (
        parecer(opme(itens=[heart_valve], tipo_protese="valvar cardíaca", lateralidade="nao_se_aplica"))[0]
        == "apto"
    )


def test_missing_prosthesis_type_is_pendente() -> None:
    status, pend, _ = parecer(opme(tipo_protese=None))
    assert status == "pendente" and pend == ["tipo_protese: tipo de prótese não informado"]


def test_surgery_date_in_the_past_is_inconsistente_and_a_missing_date_is_only_noted() -> None:
    status, _, inc = parecer(opme(data_cirurgia=PAST))
    assert status == "inconsistente" and inc[0].startswith("data_cirurgia:")
    missing = opme(data_cirurgia=None)
    assert missing.detalhes["parecer"] == "apto"
    assert missing.detalhes["observacoes"] == ["data_cirurgia não informada"]


def test_duplicate_items_are_inconsistente() -> None:
    status, _, inc = parecer(opme("material", itens=[item(), item()]))
    assert status == "inconsistente" and "duplicado" in inc[0]


def test_invalid_anvisa_registration_is_inconsistente() -> None:
    status, _, inc = parecer(opme(itens=[item(registro_anvisa="00000000000")]))
    assert status == "inconsistente" and "registro_anvisa" in inc[0]


def test_inconsistente_wins_over_pendente_and_both_lists_are_kept() -> None:
    result = opme(itens=[item(registro_anvisa=None)], cid10="XX", justificativa="conforme laudo")
    status, pend, inc = parecer(result)
    assert status == "inconsistente"
    assert len(pend) == 2 and len(inc) == 1
    assert "Inconsistências" in result.resumo and "Pendências" in result.resumo


def test_opme_details_have_a_row_per_item() -> None:
    result = opme(itens=[item(), item(descricao="Cimento ósseo", codigo_tuss="70999999", quantidade=2)])
    rows = result.detalhes["itens"]
    assert [r["indice"] for r in rows] == [0, 1]
    assert rows[0]["protese"] is True and rows[1]["protese"] is False
    assert result.detalhes["cid10"] == {"valor": "M17.1", "normalizado": "M17.1", "valido": True}
