"""Cues of discharge summaries and imaging reports: what says a finding resolved, what says it goes
on, and why the patient came in (docs/clinical-engine.md). Used by `negation.suppression` for the
`alta` and report modes."""

from __future__ import annotations

import re

RESOLVED_ALTA = re.compile(
    r"\b(?:resolvid[oa]s?|resolveu|resolucao|controlad[oa]s?|controle|revertid[oa]s?|reversao|remissao|"
    r"remitid[oa]s?|cessou|cessaram|cessad[oa]s?|regrediu|regredid[oa]s?|regressao|melhorou|melhora|"
    r"melhorad[oa]s?|estabilizad[oa]s?|sem recorrencia|sem novos episodios|nao recorreu|tratad[oa]s?|"
    r"corrigid[oa]s?|reabsorvid[oa]s?|reabsorcao|superad[oa]s?|assintomatic[oa]s?|sem queixas|"
    r"boa evolucao|evoluiu bem|evoluindo bem)\b"
)
RESOLVED_LAUDO = re.compile(
    r"\b(?:resolvid[oa]s?|resolucao|reabsorvid[oa]s?|reabsorcao|regressao completa|"
    r"nao mais (?:se )?(?:caracterizad|identificad|observad|visualizad|evidenciad)\w*)\b"
)
# Wins over a resolution word in the same clause: "dispneia sem melhora", "mantém febre".
CURRENT = re.compile(
    r"\b(?:persiste|persistem|persistente|persistentes|persistindo|mantem|mantendo|manteve|ainda|"
    r"atualmente|recorrente|recorreu|recidiv\w*|piora|piorou|piorando|refratari[oa]s?|sem melhora|"
    r"nao melhorou|nao resolv\w*|residual|residuais|aument\w*)\b"
)

# In a discharge summary, why the patient came in is history unless the clause says it goes on:
# "Internado por dor torácica" does not alert; "internado por AVC, mantém hemiparesia" does.
ADMISSION = re.compile(
    r"\b(?:internad[oa]s?|admitid[oa]s?|hospitalizad[oa]s?|deu\s+entrada|internacao|admissao|internamento|"
    r"procurou\s+(?:o\s+|a\s+)?(?:servico|ps|pronto|hospital|upa|emergencia))\b"
)
PRESENT = re.compile(
    r"\b(?:hoje|no\s+momento|atualmente|apresenta|refere|relata|mantem|persiste|ainda|"
    r"na\s+alta|a\s+alta|de\s+alta\s+com)\b"
)
