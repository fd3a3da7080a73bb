"""The backend's `POST /api/v1/alerts` as JSON Schema: the `CreateAlertDto` body and the headers
the worker sends (docs/alerts.md). The AsyncAPI document publishes it (api/asyncapi.py), and
tests/api/test_asyncapi.py checks it equals the DTO the fake NestJS backend enforces.
"""

from __future__ import annotations

from typing import Any

ALERTS_PATH = "/api/v1/alerts"
# Every type the backend's enum has; the worker raises CRITICAL_SYMPTOM, SYMPTOM_WORSENING,
# SCORE_CHANGE and NO_RESPONSE (docs/alerts.md).
ALERT_TYPES = (
    "CRITICAL_SYMPTOM",
    "NO_RESPONSE",
    "DELAYED_APPOINTMENT",
    "SCORE_CHANGE",
    "SYMPTOM_WORSENING",
    "NAVIGATION_DELAY",
    "MISSING_EXAM",
    "STAGING_INCOMPLETE",
    "TREATMENT_DELAY",
    "FOLLOW_UP_OVERDUE",
)
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")


def create_alert_dto_schema() -> dict[str, Any]:
    """class-validator's rules (whitelist + forbidNonWhitelisted) as JSON Schema."""
    return {
        "title": "CreateAlertDto",
        "type": "object",
        "additionalProperties": False,
        "required": ["patientId", "type", "severity", "message"],
        "properties": {
            "patientId": {
                "type": "string",
                "format": "uuid",
                "description": "the patient's id in the backend",
            },
            "type": {"type": "string", "enum": list(ALERT_TYPES)},
            "severity": {"type": "string", "enum": list(SEVERITIES)},
            "message": {"type": "string", "minLength": 1, "description": "what the nurse reads first"},
            "context": {
                "type": ["object", "null"],
                "description": "free-form object; the worker always sends symptoms (codes), detectedBy "
                "(rules_engine or ai_agent), confidence (0..1), taskId and the findings, and for an agent "
                "message conversationId, messageId and originalMessage",
            },
        },
    }


def alert_headers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["Authorization", "Idempotency-Key", "X-Tenant-Id"],
        "properties": {
            "Authorization": {
                "type": "string",
                "pattern": "^Bearer .+",
                "description": "service JWT: minted per tenant with BACKEND_JWT_SECRET (HS256, "
                "sub ai-service, roles [ADMIN], type service, 5 min), else BACKEND_SERVICE_TOKEN",
            },
            "Idempotency-Key": {
                "type": "string",
                "maxLength": 200,
                "description": "stable per task and finding (`<task_id>:<alert_key>`): a retry never creates "
                "a second alert",
            },
            "traceparent": {"type": "string", "description": "W3C trace context of the task"},
            "X-Tenant-Id": {"type": "string", "description": "the task's tenant (the hospital)"},
        },
    }
