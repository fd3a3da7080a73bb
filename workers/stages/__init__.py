"""The two stages a delivery goes through, neither of which knows the broker (docs/workers.md).

outcomes  what a stage decides for a delivery (Ack, Requeue, Retry, DeadLetter, Forward)
delivery  parsing and validation, headers, the handler's context, alerts, replies
rules     `RulesStage`: the deterministic engine, status writes, retries, dead-letters
llm       `LlmStage`: the crews and triage call, enriching a completed task's result
"""

from workers.stages.llm import LlmStage
from workers.stages.outcomes import Ack, DeadLetter, Forward, Outcome, Requeue, Retry
from workers.stages.rules import RulesStage

__all__ = ["Ack", "DeadLetter", "Forward", "LlmStage", "Outcome", "Requeue", "Retry", "RulesStage"]
