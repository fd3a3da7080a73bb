"""Ingestion: per-record validation, normalisation, duplicates and honest counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from workers.clinical import validators as v

from .helpers import run

CPF_OK = "529.982.247-25"
CPF_OK_2 = "111.444.777-35"


def paciente(**extra: Any) -> dict[str, Any]:
    return {"nome": "Maria da Silva", "cpf": CPF_OK, "data_nascimento": "1980-03-15"} | extra


def pacientes(*registros: dict[str, Any]):
    return run("ingestao", "pacientes", registros=list(registros))


def medicos(*registros: dict[str, Any]):
    return run("ingestao", "medicos", registros=list(registros))


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("529.982.247-25", True),
        ("52998224725", True),
        ("111.444.777-35", True),
        ("529.982.247-24", False),
        ("111.111.111-11", False),
        ("000.000.000-00", False),
        ("5299822472", False),
        ("529.982.247-2X", False),
        ("", False),
    ],
)
def test_cpf_check_digits(raw: str, ok: bool) -> None:
    value, err = v.cpf(raw)
    assert (value is not None) == ok and (err is None) == ok
    if ok:
        assert value is not None and len(value) == 11 and value.isdigit()


@pytest.mark.parametrize(
    ("crm", "uf", "ok"),
    [
        ("123456", "SP", True),
        ("1234", "rj", True),
        ("1234567", "MG", True),
        ("CRM/SP 123456", "SP", True),
        ("123456-SP", "SP", True),
        ("123", "SP", False),
        ("12345678", "SP", False),
        ("12A456", "SP", False),
        ("123456-RJ", "SP", False),
        ("123456", "XX", False),
        ("123456", "", False),
    ],
)
def test_crm_and_uf(crm: str, uf: str, ok: bool) -> None:
    result = medicos({"nome": "Dr. José Souza", "crm": crm, "uf": uf})
    assert result.detalhes["validos"] == (1 if ok else 0), result.detalhes["erros"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1980-03-15", "1980-03-15"),
        ("15/03/1980", "1980-03-15"),
        ("5/3/1980", "1980-03-05"),
        ("1990-02-30", None),
        ("31/04/1990", None),
        ("1899-12-31", None),
        ("15-03-80", None),
        ("ontem", None),
        ((date.today() + timedelta(days=1)).isoformat(), None),
    ],
)
def test_birth_dates_are_parsed_checked_and_normalised_to_iso(raw: str, expected: str | None) -> None:
    value, err = v.birth_date(raw, date.today())
    assert value == expected
    assert (err is None) == (expected is not None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Maria@Exemplo.COM", "maria@exemplo.com"),
        (" joao.silva+saude@hospital.org.br ", "joao.silva+saude@hospital.org.br"),
        ("x@", None),
        ("sem-arroba.com", None),
        ("a@b", None),
        ("a..b@c.com", None),
        ("a b@c.com", None),
    ],
)
def test_email_validation_and_lowercasing(raw: str, expected: str | None) -> None:
    assert v.email(raw)[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("11987654321", "+5511987654321"),
        ("(21) 3456-7890", "+552134567890"),
        ("5511987654321", "+5511987654321"),
        ("011 98765-4321", "+5511987654321"),
        ("98765-4321", None),
        ("(11) 88765-4321", None),
        ("(20) 98765-4321", None),
        ("+1 415 555 2671", None),
        ("telefone", None),
    ],
)
def test_brazilian_phones_are_normalised_to_e164(raw: str, expected: str | None) -> None:
    assert v.phone(raw)[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  maria   DA silva ", "Maria da Silva"),
        ("JOSÉ DOS SANTOS", "José dos Santos"),
        ("ana-paula d'ávila e souza", "Ana-Paula D'Ávila e Souza"),
        ("", None),
        ("R2D2", None),
    ],
)
def test_names_are_trimmed_collapsed_and_title_cased(raw: str, expected: str | None) -> None:
    assert v.name(raw)[0] == expected


def test_a_valid_patient_record_is_fully_normalised() -> None:
    result = pacientes(
        paciente(
            nome=" maria  DA silva",
            cpf=CPF_OK,
            data_nascimento="15/03/1980",
            sexo="feminino",
            telefone="(11) 98765-4321",
            email="Maria@Exemplo.COM",
        )
    )
    assert result.detalhes["registros"] == [
        {
            "nome": "Maria da Silva",
            "cpf": "52998224725",
            "data_nascimento": "1980-03-15",
            "sexo": "F",
            "telefone": "+5511987654321",
            "email": "maria@exemplo.com",
        }
    ]
    assert result.detalhes["parcial"] is False
    assert result.achados == [] and result.mensagem_alerta is None


def test_every_bad_field_of_a_record_is_reported_and_the_record_is_left_out() -> None:
    result = pacientes(
        paciente(),
        paciente(
            cpf="111.111.111-11",
            data_nascimento="2090-01-01",
            telefone="123",
            email="x@",
            sexo="X",
            nome="  ",
        ),
    )
    d = result.detalhes
    assert (d["total"], d["validos"], d["invalidos"], d["duplicados"]) == (2, 1, 1, 0)
    assert {e["campo"] for e in d["erros"]} == {"cpf", "data_nascimento", "telefone", "email", "sexo", "nome"}
    assert all(e["indice"] == 1 for e in d["erros"])
    assert d["indices_validos"] == [0]
    assert d["parcial"] is True
    assert "somente os 1 registros válidos estão em `registros`" in d["nota"]


def test_errors_never_echo_the_personal_data() -> None:
    result = pacientes(paciente(cpf="529.982.247-24", email="segredo@@exemplo"))
    text = str(result.detalhes["erros"])
    assert "529.982.247-24" not in text and "segredo" not in text


def test_later_records_with_the_same_cpf_are_duplicates() -> None:
    result = pacientes(
        paciente(),
        paciente(cpf="52998224725", nome="Outra Pessoa"),
        paciente(cpf=CPF_OK_2),
        paciente(cpf=CPF_OK),
    )
    d = result.detalhes
    assert (d["validos"], d["invalidos"], d["duplicados"]) == (2, 2, 2)
    assert [(e["indice"], e["campo"]) for e in d["erros"]] == [(1, "cpf"), (3, "cpf")]
    assert "duplicado" in d["erros"][0]["erro"]


def test_an_invalid_first_record_does_not_claim_the_cpf() -> None:
    d = pacientes(paciente(data_nascimento="32/01/1990"), paciente()).detalhes
    assert (d["validos"], d["duplicados"], d["indices_validos"]) == (1, 0, [1])


def test_doctors_are_normalised_and_duplicated_by_crm_and_uf() -> None:
    result = medicos(
        {"nome": "dra. ana LIMA", "crm": "CRM-SP 123456", "uf": "sp", "especialidade": "  Cardiologia "},
        {"nome": "Outro", "crm": "123456", "uf": "SP"},
        {"nome": "Mesmo Número", "crm": "123456", "uf": "RJ", "cpf": CPF_OK},
    )
    d = result.detalhes
    assert d["registros"][0] == {
        "nome": "Dra. Ana Lima",
        "crm": "123456",
        "uf": "SP",
        "especialidade": "Cardiologia",
        "cpf": None,
    }
    assert (d["validos"], d["duplicados"]) == (2, 1)
    assert d["erros"] == [
        {"indice": 1, "campo": "crm+uf", "erro": "duplicado no lote (mesmo crm+uf do registro 0)"}
    ]


def test_generic_ingestion_validates_known_keys_and_reports_unknown_ones() -> None:
    result = run(
        "ingestao",
        "generico",
        fonte="planilha-ubs",
        registros=[
            {
                "Nome": "joão  pedro",
                "CPF": 52998224725,
                "Telefone": "(21) 99876-5432",
                "dt_nascimento": "01/02/2003",
                "E-mail": "JP@X.COM",
                "convenio": "SUS",
            },
            {"nome": "Sem CPF", "email": "invalido", "data_consulta": "2099-01-01", "observacao": "retorno"},
            {},
        ],
    )
    d = result.detalhes
    assert (d["total"], d["validos"], d["invalidos"]) == (3, 1, 2)
    assert d["registros"][0] == {
        "Nome": "João Pedro",
        "CPF": "52998224725",
        "Telefone": "+5521998765432",
        "dt_nascimento": "2003-02-01",
        "E-mail": "jp@x.com",
        "convenio": "SUS",
    }
    assert d["campos_desconhecidos"] == {"convenio": 1, "observacao": 1}
    assert d["campos_reconhecidos"]["data_consulta"] == "data"
    assert {(e["indice"], e["campo"]) for e in d["erros"]} == {(1, "email"), (2, "*")}
    assert d["fonte"] == "planilha-ubs"


def test_a_batch_with_no_valid_record_says_nothing_should_be_written() -> None:
    d = pacientes(paciente(cpf="123")).detalhes
    assert d["registros"] == [] and d["parcial"] is False
    assert d["nota"].startswith("Nenhum registro válido")


def test_a_batch_of_ten_thousand_records_is_validated_record_by_record() -> None:
    # Its speed is a benchmark figure (bench/RESULTS.md), not a timed assertion.
    batch = [
        paciente(
            cpf=CPF_OK if i == 0 else "529.982.247-24", telefone="(11) 98765-4321", email=f"p{i}@exemplo.com"
        )
        for i in range(10_000)
    ]
    d = pacientes(*batch).detalhes
    assert d["total"] == 10_000 and d["validos"] == 1 and len(d["erros"]) == 9_999
