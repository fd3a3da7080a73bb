"""ingestao/pacientes, ingestao/medicos, ingestao/generico: per-record validation and normalisation.

Contract of `detalhes` (the same keys for the three task types):
  total, validos, invalidos, duplicados, erros [{indice, campo, erro}], registros (normalised
  valid records only), indices_validos (their positions in the batch), parcial, nota.
A record with any error is left out of `registros` entirely (never half-normalised); `parcial`
and `nota` say so whenever part of the batch was left out. Error messages never echo the value,
so personal data does not leak into logs through them.

Duplicates: within the batch, the first *valid* record with a key (CPF for patients, CRM + UF
for physicians, CPF or the whole normalised record for generic sources) wins; later valid
records with the same key are errors ("duplicado").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from shared.messages import IngestaoGenericaPayload, IngestaoMedicosPayload, IngestaoPacientesPayload

from . import validators as v
from .result import ClinicalAnalysis, build
from .text import fold_key

Error = dict[str, Any]


class _Batch:
    def __init__(self, total: int) -> None:
        self.total = total
        self.errors: list[Error] = []
        self.records: list[dict[str, Any]] = []
        self.indices: list[int] = []
        self.duplicates = 0
        self._keys: dict[Any, int] = {}

    def accept(
        self, idx: int, record: dict[str, Any], errors: list[Error], key: Any | None, key_field: str
    ) -> None:
        if errors:
            self.errors.extend(errors)
            return
        if key is not None:
            first = self._keys.get(key)
            if first is not None:
                self.duplicates += 1
                self.errors.append(
                    {
                        "indice": idx,
                        "campo": key_field,
                        "erro": f"duplicado no lote (mesmo {key_field} do registro {first})",
                    }
                )
                return
            self._keys[key] = idx
        self.records.append(record)
        self.indices.append(idx)

    def result(self, kind: str, extra: dict[str, Any] | None = None) -> ClinicalAnalysis:
        valid = len(self.records)
        invalid = self.total - valid
        if invalid == 0:
            nota = f"Todos os {valid} registros são válidos e estão normalizados em `registros`."
        elif valid == 0:
            nota = (
                f"Nenhum registro válido: nada deve ser gravado. {invalid} registro(s) rejeitado(s); "
                "veja `erros`."
            )
        else:
            nota = (
                f"Lote PARCIAL: somente os {valid} registros válidos estão em `registros`; "
                f"{invalid} registro(s) rejeitado(s) ({self.duplicates} por duplicidade) "
                "NÃO foram incluídos — "
                "veja `erros` (índices referem-se à posição no lote enviado)."
            )
        detalhes: dict[str, Any] = {
            "tipo": kind,
            "total": self.total,
            "validos": valid,
            "invalidos": invalid,
            "duplicados": self.duplicates,
            "erros": self.errors,
            "registros": self.records,
            "indices_validos": self.indices,
            "parcial": 0 < valid < self.total,
            "nota": nota,
        }
        detalhes.update(extra or {})
        fields_with_errors = Counter(e["campo"] for e in self.errors)
        resumo = f"Ingestão de {kind}: {self.total} registro(s), {valid} válido(s), {invalid} inválido(s)"
        resumo += f" ({self.duplicates} duplicado(s))." if self.duplicates else "."
        if fields_with_errors:
            resumo += (
                " Erros por campo: "
                + ", ".join(f"{k} ({n})" for k, n in fields_with_errors.most_common())
                + "."
            )
        resumo += " " + nota
        return build([], resumo, detalhes, None)


def _check(errors: list[Error], idx: int, campo: str, result: v.Result) -> str | None:
    value, err = result
    if err:
        errors.append({"indice": idx, "campo": campo, "erro": err})
    return value


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _optional(
    errors: list[Error], idx: int, campo: str, value: str | None, validate: Callable[[str], v.Result]
) -> str | None:
    """An optional field left empty is absent, not an error."""
    if value is None or not value.strip():
        return None
    return _check(errors, idx, campo, validate(value))


def analyze_pacientes(p: IngestaoPacientesPayload, hoje: date | None = None) -> ClinicalAnalysis:
    today = hoje or date.today()
    batch = _Batch(len(p.registros))
    for idx, r in enumerate(p.registros):
        errors: list[Error] = []
        rec = {
            "nome": _check(errors, idx, "nome", v.name(r.nome)),
            "cpf": _check(errors, idx, "cpf", v.cpf(r.cpf)),
            "data_nascimento": _check(errors, idx, "data_nascimento", v.birth_date(r.data_nascimento, today)),
            "sexo": _optional(errors, idx, "sexo", r.sexo, v.sexo),
            "telefone": _optional(errors, idx, "telefone", r.telefone, v.phone),
            "email": _optional(errors, idx, "email", r.email, v.email),
        }
        batch.accept(idx, rec, errors, rec["cpf"], "cpf")
    return batch.result("pacientes")


def analyze_medicos(p: IngestaoMedicosPayload) -> ClinicalAnalysis:
    batch = _Batch(len(p.registros))
    for idx, r in enumerate(p.registros):
        errors: list[Error] = []
        uf = _check(errors, idx, "uf", v.uf(r.uf))
        rec = {
            "nome": _check(errors, idx, "nome", v.name(r.nome)),
            "crm": _check(errors, idx, "crm", v.crm(r.crm, r.uf)),
            "uf": uf,
            "especialidade": " ".join(r.especialidade.split()) if r.especialidade else None,
            "cpf": _optional(errors, idx, "cpf", r.cpf, v.cpf),
        }
        key = (rec["crm"], uf) if rec["crm"] and uf else None
        batch.accept(idx, rec, errors, key, "crm+uf")
    return batch.result("medicos")


# --- generic sources: recognise fields by their key ----------------------------------------------


def _kind_of(key: str) -> str | None:
    k = fold_key(key)
    if k in ("cpf",) or k.startswith("cpf_") or k.endswith("_cpf"):
        return "cpf"
    if (
        k in ("email", "e_mail", "mail")
        or k.startswith(("email_", "e_mail_"))
        or k.endswith(("_email", "_e_mail"))
    ):
        return "email"
    if any(w in k for w in ("telefone", "celular", "fone", "phone", "whatsapp")) or k in ("tel", "cel"):
        return "telefone"
    if k in (
        "data_nascimento",
        "nascimento",
        "dt_nascimento",
        "data_de_nascimento",
        "dn",
        "birth_date",
        "birthdate",
        "dob",
        "dt_nasc",
        "data_nasc",
    ):
        return "data_nascimento"
    if k.startswith(("data_", "dt_")) or k.endswith(("_data", "_date")) or k == "data":
        return "data"
    if k in ("nome", "nome_completo", "name", "full_name", "nome_paciente", "nome_medico", "nome_social"):
        return "nome"
    if k in ("crm", "crm_medico", "numero_crm", "nr_crm"):
        return "crm"
    if k in ("uf", "estado", "uf_crm", "sigla_uf"):
        return "uf"
    if k in ("sexo", "genero", "sex", "gender"):
        return "sexo"
    if k in ("cep", "codigo_postal"):
        return "cep"
    if k in ("cns", "cartao_sus", "cartao_nacional_de_saude", "numero_cns"):
        return "cns"
    return None


def _any_date(raw: str, today: date) -> v.Result:
    """Other dates (admission, appointment) may lie in the future; only format and year are checked."""
    value, err = v.birth_date(raw, date.max)
    return value, err


_VALIDATORS: dict[str, Callable[[str, date], v.Result]] = {
    "cpf": lambda s, _t: v.cpf(s),
    "email": lambda s, _t: v.email(s),
    "telefone": lambda s, _t: v.phone(s),
    "data_nascimento": v.birth_date,
    "data": _any_date,
    "nome": lambda s, _t: v.name(s),
    "uf": lambda s, _t: v.uf(s),
    "sexo": lambda s, _t: v.sexo(s),
    "cep": lambda s, _t: v.cep(s),
    "cns": lambda s, _t: v.cns(s),
}


def _as_text(kind: str, value: Any) -> str | None:
    if isinstance(value, bool | dict | list):
        return None
    if isinstance(value, int) and kind == "cpf":
        return str(value).zfill(11)  # a CPF stored as a number lost its leading zeros
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def analyze_generico(p: IngestaoGenericaPayload, hoje: date | None = None) -> ClinicalAnalysis:
    today = hoje or date.today()
    batch = _Batch(len(p.registros))
    unknown: Counter[str] = Counter()
    recognised: Counter[str] = Counter()
    kinds_cache: dict[str, str | None] = {}
    for idx, raw in enumerate(p.registros):
        errors: list[Error] = []
        if not raw:
            errors.append({"indice": idx, "campo": "*", "erro": "registro vazio"})
            batch.accept(idx, {}, errors, None, "registro")
            continue
        rec: dict[str, Any] = {}
        uf_value = next(
            (str(val) for key, val in raw.items() if _kind_of(key) == "uf" and isinstance(val, str)), None
        )
        for key, value in raw.items():
            if key not in kinds_cache:
                kinds_cache[key] = _kind_of(key)
            kind = kinds_cache[key]
            if kind is None:
                unknown[key] += 1
                rec[key] = value
                continue
            recognised[key] += 1
            if not _present(value):
                rec[key] = None
                continue
            text = _as_text(kind, value)
            if text is None:
                errors.append({"indice": idx, "campo": key, "erro": f"tipo de valor inválido para {kind}"})
                continue
            if kind == "crm":
                rec[key] = _check(errors, idx, key, v.crm(text, uf_value))
            else:
                rec[key] = _check(errors, idx, key, _VALIDATORS[kind](text, today))
        cpf_key = next((rec[k] for k in rec if kinds_cache.get(k) == "cpf" and rec[k]), None)
        dup_key: Any = (
            ("cpf", cpf_key) if cpf_key else ("registro", json.dumps(rec, sort_keys=True, default=str))
        )
        batch.accept(idx, rec, errors, dup_key, "cpf" if cpf_key else "registro")
    return batch.result(
        "generico",
        {
            "fonte": p.fonte,
            "campos_reconhecidos": {k: kinds_cache[k] for k in recognised},
            "campos_desconhecidos": dict(unknown.most_common()),
        },
    )
