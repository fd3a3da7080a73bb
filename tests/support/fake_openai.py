"""A real OpenAI-compatible HTTP server for tests: scripted answers, failures and hangs.

It speaks just enough of the Chat Completions API for the OpenAI SDK, CrewAI's native OpenAI
provider and langchain-openai: plain text answers (CrewAI's agent loop), `response_format`
json_schema answers (CrewAI's `output_pydantic`, langchain's `with_structured_output` default)
and forced tool calls (langchain's `method="function_calling"`). Every request is recorded so a
test can check what left the process (no CPF, phone, e-mail or patient name in a prompt).

Behaviour is chosen per request, in this order: the next scripted one-off behaviour
(`push(...)`), else the default `mode`. Answers for structured output come from `answers`
(keyed by the JSON schema's name / title) or are generated from the schema itself, so a new
output model works without touching this file.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.support.servers import ServerThread

Mode = Literal["ok", "malformed", "wrong_schema", "error", "hang"]


@dataclass
class Behaviour:
    mode: Mode = "ok"
    status: int = 500
    hang_s: float = 30.0
    retry_after_s: int | None = None
    delay_s: float = 0.0  # answer normally, but only after this long


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """Everything the client sent in this request, as one string (for leak checks)."""
        return json.dumps(self.body, ensure_ascii=False)

    @property
    def schema_name(self) -> str | None:
        fmt = self.body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return (fmt.get("json_schema") or {}).get("name")
        return None

    @property
    def forced_tool(self) -> str | None:
        return _forced_tool_name(self.body)


def _forced_tool_name(body: dict[str, Any]) -> str | None:
    """The function a request forces the model to call (langchain's `function_calling` method)."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name")
    tools = body.get("tools") or []
    if choice in ("required", "any") and len(tools) == 1:
        return tools[0]["function"]["name"]
    return None


# --- a tiny JSON-schema instance generator ----------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node: Any = root
        for part in ref[2:].split("/"):
            node = node[part]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def sample_from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """A small valid instance of `schema`: enough for a pydantic model to validate."""
    root = root if root is not None else schema
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, root).get("type") != "null"]
            return sample_from_schema(options[0] if options else schema[key][0], root)
    if "allOf" in schema:
        return sample_from_schema(schema["allOf"][0], root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema.get("type") != "object":
        return schema["default"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: sample_from_schema(sub, root) for name, sub in props.items()}
    if kind == "array":
        return [sample_from_schema(schema.get("items", {"type": "string"}), root)]
    if kind == "string":
        return "texto de exemplo"
    if kind == "integer":
        return max(0, int(schema.get("minimum", 0)))
    if kind == "number":
        low = float(schema.get("minimum", 0.0))
        high = float(schema.get("maximum", 1.0))
        return (low + high) / 2 if high >= low else low
    if kind == "boolean":
        return False
    return None


def _json_schema_of(body: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        spec = fmt.get("json_schema") or {}
        return spec.get("name"), spec.get("schema")
    return None, None


def _forced_tool_schema(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    for tool in body.get("tools") or []:
        fn = tool.get("function") or {}
        if fn.get("name") == name:
            return fn.get("parameters") or {}
    return None


class FakeOpenAI:
    """The scripted server. Use as a context manager; `base_url` ends in /v1 like OpenAI's."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.answers: dict[str, Any] = {}
        # CrewAI 1.15 agents without tools ask for a plain answer ("Provide your complete response").
        self.text_answer = '- dor no peito: presente (trecho: "dor no peito")\n- febre: negada'
        self.mode: Behaviour = Behaviour()
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.app = self._build_app()
        self.server = ServerThread(self.app, timeout_graceful_shutdown=2)

    # --- control from the test ---------------------------------------------------------------------

    def reset(self) -> None:
        self.release_hangs()
        with self._lock:
            self.requests.clear()
            self.answers.clear()
            self._script.clear()
            self.mode = Behaviour()

    def set_mode(self, mode: Mode, **kwargs: Any) -> None:
        self.mode = Behaviour(mode=mode, **kwargs)

    def push(self, mode: Mode, **kwargs: Any) -> None:
        """Script the behaviour of the next request only (FIFO)."""
        with self._lock:
            self._script.append(Behaviour(mode=mode, **kwargs))

    def release_hangs(self) -> None:
        """End every request hanging now; later hangs hang again."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._rearm)

    def _rearm(self) -> None:
        if self._release is not None:
            self._release.set()
        self._release = asyncio.Event()

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def base_url(self) -> str:
        return f"{self.server.url}/v1"

    def start(self) -> FakeOpenAI:
        self.server.start()
        return self

    def stop(self) -> None:
        self.release_hangs()
        self.server.stop()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the app -----------------------------------------------------------------------------------

    def _next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._script.popleft() if self._script else self.mode

    def _completion(self, body: dict[str, Any], message: dict[str, Any], finish: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "system_fingerprint": "fake",
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def _structured(self, name: str | None, schema: dict[str, Any] | None, mode: Mode) -> str:
        if mode == "malformed":
            return "isto não é JSON {achados: [ CRITICAL"
        if mode == "wrong_schema":
            return json.dumps({"resposta": "formato inesperado", "achados": "nenhum"})
        if name is not None and name in self.answers:
            return json.dumps(self.answers[name], ensure_ascii=False)
        return json.dumps(sample_from_schema(schema or {"type": "object"}), ensure_ascii=False)

    def _answer(self, body: dict[str, Any], mode: Mode) -> dict[str, Any]:
        name, schema = _json_schema_of(body)
        tool = _forced_tool_name(body)
        if tool is not None:
            args = self._structured(tool, _forced_tool_schema(body, tool), mode)
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{next(self._ids)}",
                        "type": "function",
                        "function": {"name": tool, "arguments": args},
                    }
                ],
            }
            return self._completion(body, message, "tool_calls")
        if schema is not None:
            content = self._structured(name, schema, mode)
        elif mode == "malformed":
            content = "\x00 resposta truncada sem formato"
        else:
            content = self.text_answer
        return self._completion(body, {"role": "assistant", "content": content}, "stop")

    def _build_app(self) -> FastAPI:
        @asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            self._loop = asyncio.get_running_loop()
            self._release = asyncio.Event()
            yield

        app = FastAPI(lifespan=lifespan)

        async def chat_completions(request: Request) -> Response:
            body = await request.json()
            self.requests.append(Recorded(path=request.url.path, headers=dict(request.headers), body=body))
            behaviour = self._next_behaviour()
            if behaviour.delay_s:
                await asyncio.sleep(behaviour.delay_s)
            if behaviour.mode == "hang":
                release = self._release
                assert release is not None
                with suppress(TimeoutError):
                    await asyncio.wait_for(release.wait(), timeout=behaviour.hang_s)
                return JSONResponse({"error": {"message": "hung on purpose", "type": "fake"}}, 504)
            if behaviour.mode == "error":
                headers = {}
                if behaviour.retry_after_s is not None:
                    headers["retry-after"] = str(behaviour.retry_after_s)
                return JSONResponse(
                    {
                        "error": {
                            "message": f"fake status {behaviour.status}",
                            "type": "server_error",
                            "code": None,
                        }
                    },
                    status_code=behaviour.status,
                    headers=headers,
                )
            if body.get("stream"):
                return JSONResponse({"error": {"message": "streaming not supported by the fake"}}, 400)
            return JSONResponse(self._answer(body, behaviour.mode))

        app.add_api_route("/v1/chat/completions", chat_completions, methods=["POST"])
        app.add_api_route("/chat/completions", chat_completions, methods=["POST"])

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "tests"}]}

        @app.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        async def anything_else(request: Request, rest: str) -> Response:
            # Recorded too, so a test sees any endpoint a client tried beyond chat completions.
            raw = await request.body()
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {"raw": raw.decode(errors="replace")}
            self.requests.append(Recorded(path=request.url.path, headers=dict(request.headers), body=body))
            return JSONResponse({"error": {"message": f"not implemented by the fake: {rest}"}}, 404)

        return app


# --- proving that nothing leaves the machine --------------------------------------------------------


class EgressRecorder:
    """Every socket connect and name lookup made by this process while `recording`.

    A Python audit hook sees what any library does (httpx, the OpenAI SDK, OpenTelemetry
    exporters, urllib), not just what honours HTTP(S)_PROXY. Hooks cannot be removed, so one
    recorder is installed per process and switched on and off by the tests.
    """

    _instance: EgressRecorder | None = None

    def __init__(self) -> None:
        self.recording = False
        self.connects: list[Any] = []
        self.lookups: list[str] = []

    @classmethod
    def get(cls) -> EgressRecorder:
        if cls._instance is None:
            cls._instance = cls()
            sys.addaudithook(cls._instance._hook)
        return cls._instance

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.recording:
            return
        if event == "socket.connect":
            self.connects.append(args[1])
        elif event == "socket.getaddrinfo":
            host = args[0]
            self.lookups.append(host.decode() if isinstance(host, bytes) else str(host))

    def start(self) -> None:
        self.connects.clear()
        self.lookups.clear()
        self.recording = True

    def stop(self) -> None:
        self.recording = False
