"""The false alarms of s8a-f by mechanism (docs/clinical-engine.md, "### spec8"), as generated wordings:
subjects x verbs x tenses x spellings, each with near misses that must still alert because the
patient's own present symptom is told in the same message."""

from __future__ import annotations

from itertools import product

import pytest

from .helpers import consulta

# --- 1. The "if" clause of a question or a plan --------------------------------------------------
# Whoever the subject (with a relative clause about them or not), wherever the adverb, whatever the
# spelling of the subjunctive (future, past, spoken without its final r), the symptom imagined is no
# complaint when the sentence asks what to do or tells the plan.

_IF_OPENERS = ("se", "caso", "si")
_IF_SUBJECTS = ("eu", "meu pai", "minha mãe, que tem 70 anos,", "um dia eu", "eu um dia", "de noite eu")
_IF_VERBS_AND_SYMPTOMS = (
    ("tiver", "dor no peito"),
    ("sentir", "falta de ar"),
    ("sinti", "farta di ar"),
    ("tivé", "convulsão"),
    ("tivesse", "sangramento"),
    ("sentisse", "dor no peito"),
)
_IF_THEN = (
    ", o que eu faço?",
    ", chamo o samu ou levo no hospital?",
    " eu vou direto pra upa",
    ", tomo o remédio e espero?",
    ", é pra ir no posto?",
    ", pra qual número eu ligo?",
)


def _if_wordings() -> list[str]:
    out = []
    for i, (opener, subject, (verb, symptom), then) in enumerate(
        product(_IF_OPENERS, _IF_SUBJECTS, _IF_VERBS_AND_SYMPTOMS, _IF_THEN)
    ):
        if opener == "si" and subject.split()[0] not in ("eu", "um"):
            continue  # spoken "si" is read as "if" only before a pronoun
        if i % 5 == 0:  # a fifth of the 648 combinations keeps the suite quick and still covers each part
            out.append(f"{opener} {subject} {verb} {symptom}{then}")
    return out


@pytest.mark.parametrize("text", _if_wordings())
def test_a_symptom_imagined_in_an_if_clause_that_asks_or_plans_does_not_alert(text: str) -> None:
    assert consulta(text).achados == [], text


_IMAGINED = ("imagina se eu desmaio", "já pensou se eu começo a sangrar", "imagina se o vô tem um derrame")


@pytest.mark.parametrize(
    ("clause", "then"), product(_IMAGINED, (" lá na festa, que vergonha", " na viagem?"))
)
def test_imagina_se_makes_any_verb_an_imagined_one(clause: str, then: str) -> None:
    assert consulta(clause + then).achados == []


@pytest.mark.parametrize(
    "text",
    [
        # the present told beside the "if"
        "tô com falta de ar desde cedo, se piorar de noite eu vou pra upa?",
        "se eu tiver dor no peito de novo o que faço? tô com dor no peito agora",
        "caso eu desmaie de novo, o que faço? desmaiei hoje de manhã no banheiro",
        # the "if" in the indicative tells what happens each time
        "se eu subo a escada já me dá uma dor no peito forte, o que eu faço?",
        "se eu deitar fico sem ar, to dormindo sentada faz 3 noites",
        "se eu tossir sai sangue, o que pode ser?",
        # the spoken past with a time of its own is a past told, not a condition
        "se eu senti dor no peito ontem de noite, tenho que ir no médico?",
    ],
)
def test_the_patients_own_symptom_beside_an_if_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL", text


# --- 2. An old episode told as over: dated, then the present told fine ---------------------------

_ANCHORS = ("semana passada", "em março", "quando eu era criança", "faz dois anos", "antes de ontem")
_EPISODES = ("cuspi sangue", "tive uma crise de falta de ar", "tentei me matar", "tive uma hemorragia")
_FINE = (
    ", mas agora tá tudo tranquilo",
    ". hoje tô ótima",
    ", desde então não saiu mais nada",
    ". faz tempo que não tenho nada",
    ". tô bem, obrigada",
)


@pytest.mark.parametrize(("anchor", "episode", "fine"), list(product(_ANCHORS, _EPISODES, _FINE))[::3])
def test_a_dated_episode_followed_by_a_fine_present_does_not_alert(
    anchor: str, episode: str, fine: str
) -> None:
    text = f"{anchor} eu {episode}{fine}. queria marcar o retorno"
    assert consulta(text).achados == [], text


_BACK_NOW = (
    ". agora voltou",
    " e hoje de novo",
    ". tô com isso de novo agora",
    ", e ontem aconteceu de novo",
)


@pytest.mark.parametrize(("anchor", "episode", "back"), list(product(_ANCHORS, _EPISODES, _BACK_NOW))[::3])
def test_a_dated_episode_that_came_back_still_alerts(anchor: str, episode: str, back: str) -> None:
    text = f"{anchor} eu {episode}{back}"
    assert consulta(text).severidade == "CRITICAL", text


def test_tudo_bem_told_as_an_intensifier_does_not_close_the_episode() -> None:
    text = "semana passada comecei com falta de ar e tô bem ruim, puxando o ar"
    assert consulta(text).severidade == "CRITICAL"


def test_an_activity_again_is_no_episode_again() -> None:
    text = "quando eu tinha 25 anos tive uma hemorragia no parto. agora estou grávida de novo, tudo tranquilo"
    assert consulta(text).achados == []


# --- 3. The writer worried for their own risk after a relative's episode -------------------------

_RELATIVES = ("meu cunhado", "minha prima", "minha irmã", "meu tio", "minha vizinha")
_EVENTS = ("teve um infarto ontem", "desmaiou no trabalho", "teve um avc semana passada")
_WORRIES = ("tô preocupado", "fiquei com medo", "tô assustada")
_OWN_RISK = (
    "eu também tenho pressão",
    "será que eu posso ter isso?",
    "se eu tiver a pressão alta também, o que faço?",
    "isso é hereditário?",
)


@pytest.mark.parametrize(
    ("who", "event", "worry", "risk"), list(product(_RELATIVES, _EVENTS, _WORRIES, _OWN_RISK))[::4]
)
def test_a_relatives_episode_that_makes_the_writer_fear_for_themself_is_the_relatives(
    who: str, event: str, worry: str, risk: str
) -> None:
    text = f"{who} {event}, {worry}, {risk}"
    assert consulta(text).achados == [], text


@pytest.mark.parametrize(
    "text",
    [
        # a worry alone is what a caregiver says of the patient
        "tô preocupada, minha mãe desmaiou agora na cozinha e não acorda direito",
        "fiquei com medo, meu pai tá com dor no peito forte desde cedo",
        # the writer's own symptom beside the relative's episode
        "meu cunhado teve um infarto ontem, fiquei com medo, e eu também tô com dor no peito agora",
        "minha prima desmaiou semana passada, será que eu tô com o mesmo? tô com falta de ar desde ontem",
    ],
)
def test_a_worry_without_the_writers_own_risk_or_with_their_own_symptom_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL", text
