"""Hemograma: LOINC codes, units, sex-specific ranges, flags and the SPEC critical limits."""

from __future__ import annotations

import pytest

from workers.clinical.hemograma import ANALYTES

from .helpers import codes, run

ALL = {
    "hemoglobina_g_dl": 14.0,
    "hematocrito_pct": 42.0,
    "leucocitos_mm3": 7000,
    "neutrofilos_mm3": 4000,
    "linfocitos_mm3": 2000,
    "plaquetas_mm3": 250000,
    "vcm_fl": 90.0,
    "hcm_pg": 30.0,
    "chcm_g_dl": 34.0,
    "rdw_pct": 13.0,
}
LOINC = {
    "hemoglobina": "718-7",
    "hematocrito": "4544-3",
    "leucocitos": "6690-2",
    "neutrofilos": "751-8",
    "linfocitos": "731-0",
    "plaquetas": "777-3",
    "vcm": "787-2",
    "hcm": "785-6",
    "chcm": "786-4",
    "rdw": "788-0",
}


def hemograma(resultados: dict, sexo: str | None = "F", **extra: object):
    return run("exames", "hemograma", resultados=resultados, sexo=sexo, **extra)


def test_every_analyte_has_its_loinc_code_unit_reference_and_flag() -> None:
    result = hemograma(ALL, sexo="M")
    rows = {r["analito"]: r for r in result.detalhes["analitos"]}
    assert set(rows) == set(LOINC)
    for name, row in rows.items():
        assert row["loinc"] == LOINC[name]
        assert row["unidade"]
        assert row["referencia"]["min"] < row["referencia"]["max"]
        assert row["flag"] == "normal"
    assert rows["hemoglobina"]["unidade"] == "g/dL"
    assert rows["plaquetas"]["unidade"] == "/mm³"
    assert result.achados == []
    assert result.severidade is None


def test_only_present_analytes_are_reported() -> None:
    result = hemograma({"hemoglobina_g_dl": 13.0})
    assert [r["analito"] for r in result.detalhes["analitos"]] == ["hemoglobina"]


@pytest.mark.parametrize(("sexo", "ref"), [("F", (12.0, 16.0)), ("M", (13.5, 17.5)), (None, (12.0, 17.5))])
def test_haemoglobin_reference_range_depends_on_sex(sexo: str | None, ref: tuple[float, float]) -> None:
    row = hemograma({"hemoglobina_g_dl": 13.0}, sexo=sexo).detalhes["analitos"][0]
    assert (row["referencia"]["min"], row["referencia"]["max"]) == ref


def test_the_same_haemoglobin_is_low_for_a_man_and_normal_for_a_woman() -> None:
    assert hemograma({"hemoglobina_g_dl": 13.0}, sexo="M").detalhes["analitos"][0]["flag"] == "baixo"
    assert hemograma({"hemoglobina_g_dl": 13.0}, sexo="F").detalhes["analitos"][0]["flag"] == "normal"
    assert hemograma({"hematocrito_pct": 38.0}, sexo="M").detalhes["analitos"][0]["flag"] == "baixo"
    assert hemograma({"hematocrito_pct": 38.0}, sexo="F").detalhes["analitos"][0]["flag"] == "normal"


def test_missing_sex_uses_the_combined_range_and_says_so() -> None:
    result = hemograma({"hemoglobina_g_dl": 13.0}, sexo=None)
    assert result.detalhes["referencia_usada"] == "combinada (sexo não informado)"
    assert any("Sexo não informado" in o for o in result.detalhes["observacoes"])


@pytest.mark.parametrize(
    ("field", "value", "flag"),
    [
        ("hemoglobina_g_dl", 6.9, "critico_baixo"),
        ("hemoglobina_g_dl", 7.0, "baixo"),
        ("hemoglobina_g_dl", 20.1, "critico_alto"),
        ("hemoglobina_g_dl", 20.0, "alto"),
        ("hematocrito_pct", 19.9, "critico_baixo"),
        ("hematocrito_pct", 60.1, "critico_alto"),
        ("leucocitos_mm3", 1999, "critico_baixo"),
        ("leucocitos_mm3", 2000, "baixo"),
        ("leucocitos_mm3", 30001, "critico_alto"),
        ("leucocitos_mm3", 11800, "alto"),
        ("neutrofilos_mm3", 499, "critico_baixo"),
        ("neutrofilos_mm3", 500, "baixo"),
        ("plaquetas_mm3", 19999, "critico_baixo"),
        ("plaquetas_mm3", 20000, "baixo"),
        ("plaquetas_mm3", 1000001, "critico_alto"),
        ("plaquetas_mm3", 600000, "alto"),
        ("linfocitos_mm3", 300, "baixo"),
        ("vcm_fl", 70.0, "baixo"),
        ("rdw_pct", 16.0, "alto"),
    ],
)
def test_flags_follow_the_critical_limits(field: str, value: float, flag: str) -> None:
    result = hemograma({field: value})
    row = result.detalhes["analitos"][0]
    assert row["flag"] == flag
    assert (result.severidade == "CRITICAL") == flag.startswith("critico")


def test_critical_analytes_become_critical_findings_with_value_and_unit() -> None:
    result = hemograma(
        {"hemoglobina_g_dl": 11.0, "leucocitos_mm3": 1500, "neutrofilos_mm3": 300, "plaquetas_mm3": 90000}
    )
    assert codes(result) == {"leucocitos", "neutrofilos"}
    neut = next(f for f in result.achados if f.codigo == "neutrofilos")
    assert (neut.valor, neut.unidade, neut.severidade) == (300, "/mm³", "CRITICAL")
    assert result.detalhes["criticos"] == ["leucocitos", "neutrofilos"]


def test_summary_is_readable_portuguese_with_brazilian_number_format() -> None:
    result = hemograma({"hemoglobina_g_dl": 6.4, "leucocitos_mm3": 5200, "plaquetas_mm3": 210000})
    assert "Hemoglobina 6,4 g/dL — criticamente baixa (referência 12,0–16,0)" in result.resumo
    assert "Leucócitos 5.200 /mm³ — normais (referência 4.000–11.000)" in result.resumo
    assert "Plaquetas 210.000 /mm³ — normais" in result.resumo
    assert result.mensagem_alerta == (
        "Valores críticos no hemograma: Hemoglobina 6,4 g/dL (criticamente baixa). Requer atenção imediata."
    )


def test_children_and_impossible_differentials_are_flagged_as_observations() -> None:
    result = hemograma({"leucocitos_mm3": 3000, "neutrofilos_mm3": 5000}, idade_anos=6)
    obs = " ".join(result.detalhes["observacoes"])
    assert "pediátrico" in obs
    assert "Neutrófilos maiores que leucócitos" in obs


def test_analyte_table_covers_the_ten_payload_fields() -> None:
    assert {a.campo for a in ANALYTES} == set(ALL)
