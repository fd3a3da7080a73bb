"""opme/generico, opme/protese, opme/material: completeness and consistency of a request.

`parecer` is "inconsistente" when anything contradicts itself or a format (that needs the
requester to correct data), else "pendente" when something is missing (needs completing), else
"apto". Inconsistency wins over pendency because a corrected request will be re-checked anyway.

Rules, one message each in `pendencias` / `inconsistencias`:
- item without `registro_anvisa` -> pendente; not 11 digits or all zeros -> inconsistente
- item without `codigo_tuss` -> pendente; TUSS codes are 8 digits -> otherwise inconsistente
- CID-10: letter + 2 digits, optional "." + 1–2 characters (M17.1, M171, S72) -> else inconsistente
- quantity: ≥ 1; a prosthesis item above 10 units or any item above 100 -> inconsistente
- bilateral prosthesis with quantity 1 (or every item 1 when no item names the prosthesis);
  unilateral paired-joint prosthesis with quantity > 1 -> inconsistente
- justification shorter than 20 characters, or made only of boilerplate ("conforme laudo") -> pendente
- prosthesis: no `lateralidade` -> pendente; "nao_se_aplica" for a paired limb or organ
  (joelho, quadril, ombro, ...) -> inconsistente; no `tipo_protese` -> pendente
- surgery date in the past -> inconsistente; no date is only an observation
- duplicate items (same ANVISA + TUSS, or the same description) -> inconsistente
OPME requests never raise clinical alerts.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from shared.messages import OpmePayload, OpmeProtesePayload

from .result import ClinicalAnalysis, build
from .text import fold, words

CID10 = re.compile(r"^[A-Z][0-9]{2}(?:\.?[0-9A-Z]{1,2})?$")
TUSS = re.compile(r"^[0-9]{8}$")
ANVISA = re.compile(r"^[0-9]{11}$")
MIN_JUSTIFICATION_CHARS = 20
MAX_PROSTHESIS_UNITS = 10
MAX_ITEM_UNITS = 100

PROSTHESIS_ITEM = re.compile(
    r"\b(?:protese|endoprotese|artroplastia|componente\s+(?:femoral|tibial|acetabular|"
    r"umeral|glenoidal)|cabeca\s+femoral|haste\s+femoral|cotilo|acetabulo|implante\s+mamario)"
)
# Paired limbs/organs: a prosthesis for one of them always has a side.
PAIRED_SITE = re.compile(
    r"\b(?:joelho|joelhos|quadril|quadris|coxofemoral|ombro|ombros|cotovelo|cotovelos|"
    r"tornozelo|tornozelos|punho|punhos|femur|femoral|tibia|tibial|umero|umeral|acetabul\w*|"
    r"mama|mamas|mamaria|mamario|testicul\w*|olho|ocular|ouvido|coclear|patela|radio|mao|pe)\b"
)
_BOILERPLATE = words(
    "conforme segundo de acordo com laudo laudos anexo anexos pedido pedidos medico medica "
    "solicitacao solicito solicitado necessario necessaria necessidade necessita precisa paciente "
    "procedimento procedimentos cirurgia cirurgico cirurgica material materiais opme uso para de do "
    "da dos das o a os as e em no na nos nas um uma indicacao indicado indicada prescricao prescrito "
    "urgente urgencia realizacao ver vide segue protocolo com ao aos pelo pela por item itens produto "
    "produtos favor autorizar autorizacao liberacao liberar conf ref"
)


def _norm_desc(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def _justification_problem(text: str) -> str | None:
    clean = " ".join(text.split())
    if len(clean) < MIN_JUSTIFICATION_CHARS:
        return f"justificativa muito curta ({len(clean)} caracteres; mínimo {MIN_JUSTIFICATION_CHARS})"
    words = [w for w in _norm_desc(clean).split() if len(w) > 1 and not w.isdigit()]
    informative = [w for w in words if w not in _BOILERPLATE]
    if len(informative) < 2:
        return "justificativa genérica (não descreve a condição clínica nem a indicação do material)"
    return None


def analyze_opme(p: OpmePayload, tipo: str, hoje: date | None = None) -> ClinicalAnalysis:
    today = hoje or date.today()
    pendencias: list[str] = []
    inconsistencias: list[str] = []
    observacoes: list[str] = []
    is_protese = isinstance(p, OpmeProtesePayload)
    lateralidade = p.lateralidade if isinstance(p, OpmeProtesePayload) else None
    tipo_protese = p.tipo_protese if isinstance(p, OpmeProtesePayload) else None

    item_rows: list[dict[str, Any]] = []
    seen_codes: dict[tuple[str, str], int] = {}
    seen_desc: dict[str, int] = {}
    prosthesis_items: list[int] = []
    context_text = _norm_desc(" ".join([tipo_protese or "", *(i.descricao for i in p.itens)]))
    for idx, item in enumerate(p.itens):
        where = f"itens[{idx}]"
        problems: list[str] = []
        desc_norm = _norm_desc(item.descricao)
        is_prosthesis_item = bool(PROSTHESIS_ITEM.search(desc_norm)) or (
            is_protese and bool(tipo_protese) and len(p.itens) == 1
        )
        if is_prosthesis_item:
            prosthesis_items.append(idx)

        if not item.registro_anvisa:
            problems.append("registro ANVISA ausente")
            pendencias.append(f"{where}.registro_anvisa: registro ANVISA ausente")
        elif not ANVISA.match(item.registro_anvisa) or set(item.registro_anvisa) == {"0"}:
            problems.append("registro ANVISA em formato inválido")
            inconsistencias.append(f"{where}.registro_anvisa: deve ter 11 dígitos ({item.registro_anvisa!r})")

        tuss = (item.codigo_tuss or "").strip()
        if not tuss:
            problems.append("código TUSS ausente")
            pendencias.append(f"{where}.codigo_tuss: código TUSS ausente")
        elif not TUSS.match(tuss):
            problems.append("código TUSS inválido")
            inconsistencias.append(f"{where}.codigo_tuss: código TUSS deve ter 8 dígitos ({tuss!r})")

        if item.quantidade < 1:
            problems.append("quantidade menor que 1")
            inconsistencias.append(f"{where}.quantidade: deve ser ≥ 1")
        elif is_prosthesis_item and item.quantidade > MAX_PROSTHESIS_UNITS:
            problems.append("quantidade implausível para prótese")
            inconsistencias.append(
                f"{where}.quantidade: {item.quantidade} unidades de prótese é implausível "
                f"(máximo {MAX_PROSTHESIS_UNITS})"
            )
        elif item.quantidade > MAX_ITEM_UNITS:
            problems.append("quantidade implausível")
            inconsistencias.append(
                f"{where}.quantidade: {item.quantidade} unidades é implausível "
                f"(máximo {MAX_ITEM_UNITS} por item)"
            )

        if len(desc_norm) < 3:
            problems.append("descrição insuficiente")
            pendencias.append(f"{where}.descricao: descrição insuficiente")
        if item.registro_anvisa and tuss:
            key = (item.registro_anvisa, tuss)
            if key in seen_codes:
                problems.append("item duplicado")
                inconsistencias.append(
                    f"{where}: item duplicado de itens[{seen_codes[key]}] "
                    f"(mesmo registro ANVISA e código TUSS)"
                )
            else:
                seen_codes[key] = idx
        if desc_norm in seen_desc and "item duplicado" not in problems:
            problems.append("item duplicado")
            inconsistencias.append(
                f"{where}: item duplicado de itens[{seen_desc[desc_norm]}] (mesma descrição)"
            )
        seen_desc.setdefault(desc_norm, idx)

        item_rows.append(
            {
                "indice": idx,
                "descricao": item.descricao,
                "quantidade": item.quantidade,
                "registro_anvisa": item.registro_anvisa,
                "codigo_tuss": item.codigo_tuss,
                "protese": is_prosthesis_item,
                "problemas": problems,
            }
        )

    cid = p.cid10.strip().upper()
    cid_ok = bool(CID10.match(cid))
    if not cid_ok:
        inconsistencias.append(
            f"cid10: formato inválido ({p.cid10!r}); esperado letra + 2 dígitos, "
            "opcionalmente '.' + 1–2 caracteres (ex.: M17.1)"
        )

    problem = _justification_problem(p.justificativa)
    if problem:
        pendencias.append(f"justificativa: {problem}")

    if p.data_cirurgia is None:
        observacoes.append("data_cirurgia não informada")
    elif p.data_cirurgia < today:
        inconsistencias.append(f"data_cirurgia: {p.data_cirurgia.isoformat()} está no passado")

    if is_protese:
        paired = bool(PAIRED_SITE.search(context_text))
        if not tipo_protese:
            pendencias.append("tipo_protese: tipo de prótese não informado")
        if lateralidade is None:
            pendencias.append("lateralidade: não informada (obrigatória para prótese)")
        elif lateralidade == "nao_se_aplica" and paired:
            inconsistencias.append(
                "lateralidade: 'nao_se_aplica' incompatível com prótese de membro/órgão par"
            )
        if lateralidade == "bilateral":
            targets = prosthesis_items or list(range(len(p.itens)))
            single = [i for i in targets if p.itens[i].quantidade == 1]
            if prosthesis_items and single:
                inconsistencias.append(
                    "lateralidade bilateral com quantidade 1 em " + ", ".join(f"itens[{i}]" for i in single)
                )
            elif not prosthesis_items and len(single) == len(p.itens):
                inconsistencias.append("lateralidade bilateral mas todos os itens têm quantidade 1")
        elif lateralidade in ("direita", "esquerda") and paired:
            for i in prosthesis_items:
                if p.itens[i].quantidade > 1 and PAIRED_SITE.search(
                    _norm_desc(p.itens[i].descricao) + " " + _norm_desc(tipo_protese or "")
                ):
                    inconsistencias.append(
                        f"itens[{i}].quantidade: {p.itens[i].quantidade} unidades para prótese "
                        f"unilateral ({lateralidade})"
                    )

    parecer = "inconsistente" if inconsistencias else ("pendente" if pendencias else "apto")
    detalhes: dict[str, Any] = {
        "tipo": tipo,
        "parecer": parecer,
        "pendencias": pendencias,
        "inconsistencias": inconsistencias,
        "observacoes": observacoes,
        "itens": item_rows,
        "cid10": {"valor": p.cid10, "normalizado": cid, "valido": cid_ok},
        "data_cirurgia": p.data_cirurgia.isoformat() if p.data_cirurgia else None,
    }
    if is_protese:
        detalhes["protese"] = {"tipo_protese": tipo_protese, "lateralidade": lateralidade}
    labels = {"apto": "apto", "pendente": "pendente", "inconsistente": "inconsistente"}
    resumo = f"Parecer OPME: {labels[parecer]}."
    if inconsistencias:
        resumo += " Inconsistências: " + "; ".join(inconsistencias) + "."
    if pendencias:
        resumo += " Pendências: " + "; ".join(pendencias) + "."
    if parecer == "apto":
        resumo += f" {len(p.itens)} item(ns) com registro ANVISA, TUSS, CID-10 e justificativa verificados."
    return build([], resumo, detalhes, None)
