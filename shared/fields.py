"""The field types and rules the payload models (shared/messages.py) are built from, each one
expressed in the JSON Schema too, so the OpenAPI document is exact (docs/api-contract.md).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

# Every rule below is expressed in the JSON Schema too (docs/api-contract.md: a request that satisfies the
# published schema is accepted, one that violates it is rejected). Hence:
# - "not blank" is a `pattern` (a character other than ASCII whitespace) checked on the string
#   as sent, and the same characters are trimmed only afterwards, so lengths and patterns apply
#   to what the schema describes;
# - patterns use only constructs every engine reads alike (no \s, \d or $: Python's `$`
#   also matches before a final newline, Rust's does not);
# - numbers and booleans are strict (JSON `true` is not an integer, "5" is not a number);
# - dates and UUIDs accept only the RFC 3339 / hyphenated text the `format` names.
# Text never holds control characters (NUL, escape, C1 ...) apart from tab, newline and carriage
# return: they corrupt logs and PostgreSQL refuses NUL. Hence the anchored form; `$` is safe here
# because newline is allowed, so every engine accepts the same strings (docs/security.md).
_ASCII_SPACE = " \t\n\r\f\v"
TEXT_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
NON_BLANK = rf"^{TEXT_CHAR}*[^ \t\n\r\f\v\x00-\x1f\x7f-\x9f]{TEXT_CHAR}*$"
NO_CONTROL = rf"^{TEXT_CHAR}*$"


def _trim(value: str) -> str:
    return value.strip(_ASCII_SPACE)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _whole_number(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; a strict int alone would refuse it.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = BeforeValidator(_whole_number)
NonBlank = StringConstraints(min_length=1, pattern=NON_BLANK)
Trim = AfterValidator(_trim)


def _blank_as_absent(value: str) -> str | None:
    return _trim(value) or None


# An optional text where "" or white space means "not known" (docs/agent-message.md, patientContext).
BlankAsAbsent = AfterValidator(_blank_as_absent)
Text = Annotated[str, NonBlank, StringConstraints(max_length=10_000), Trim]
LongText = Annotated[str, NonBlank, StringConstraints(max_length=20_000), Trim]
ShortText = Annotated[str, NonBlank, StringConstraints(max_length=200), Trim]
Sexo = Literal["F", "M"]
IdadeAnos = Annotated[int, Field(strict=True, ge=0, le=130), Whole]
StrictBool = Annotated[bool, Field(strict=True)]
Cid10 = Annotated[str, NonBlank, StringConstraints(max_length=10), Trim]

_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _shaped(kind: type, regex: re.Pattern[str], error: str, message: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, kind):
            return value
        if not isinstance(value, str) or regex.fullmatch(value) is None:
            raise PydanticCustomError(error, message)
        return value

    return BeforeValidator(check)


def _string_schema(fmt: str, regex: re.Pattern[str], length: int | None = None) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "string", "format": fmt}
    if length is not None:
        schema.update(minLength=length, maxLength=length)
    schema["pattern"] = "^" + regex.pattern
    return WithJsonSchema(schema)


Uuid = Annotated[
    uuid.UUID,
    _shaped(uuid.UUID, _UUID_RE, "uuid_parsing", "Input should be a hyphenated UUID"),
    _string_schema("uuid", _UUID_RE, 36),
]
Data = Annotated[
    date,
    _shaped(date, _DATE_RE, "date_parsing", "Input should be a date in the format YYYY-MM-DD"),
    _string_schema("date", _DATE_RE, 10),
]
DataHora = Annotated[
    AwareDatetime,
    _shaped(
        datetime, _DATETIME_RE, "datetime_parsing", "Input should be an RFC 3339 date-time with its offset"
    ),
    _string_schema("date-time", _DATETIME_RE),
]


def at_least_one(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """`anyOf` of partial objects: the JSON Schema form of an "at least one of" rule."""
    return {"anyOf": list(alternatives)}


def present(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": [name], "properties": {name: schema}}


def snake_names_too(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The snake_case names the model also accepts, in its JSON Schema: each one a property of its
    own, a required field satisfied by either name, and never both names at once (pydantic refuses
    that as an extra input)."""
    properties = schema.get("properties", {})
    rules: list[dict[str, Any]] = []
    required = set(schema.get("required", []))
    for name, field in model.model_fields.items():
        alias = field.alias
        if alias is None or alias == name or alias not in properties:
            continue
        properties[name] = properties[alias]
        rules.append({"not": {"required": [alias, name]}})
        if alias in required:
            required.discard(alias)
            rules.append({"anyOf": [{"required": [alias]}, {"required": [name]}]})
    if "required" in schema:
        schema["required"] = [r for r in schema["required"] if r in required]
        if not schema["required"]:
            del schema["required"]
    if rules:
        schema["allOf"] = rules


class Camel(BaseModel):
    """camelCase as the NestJS backend sends it; the snake_case names are accepted too
    (docs/agent-message.md)."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        json_schema_extra=snake_names_too,
    )
