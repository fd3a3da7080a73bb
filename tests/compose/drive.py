"""Steps 5-7 of `make test-compose` (deploy/docker/test-compose.sh) against the running stack.

    python -m tests.compose.drive --api URL --key KEY --management URL --backend-port P \
        --jwt-secret S --project NAME

5. posts a critical consulta and an agent message through the API, with a fake NestJS backend
   on loopback receiving the alerts;
6. checks both complete, the alerts reach the backend, and each vhost has one consumer per worker;
7. posts an agent message that a worker holds, kills that worker's container, and shows another
   worker completes the task (second delivery) with its alert delivered once.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from shared import topology
from tests.compose.held_mensagem import HOLD_PREFIX
from tests.support.fake_nestjs import FakeNestJS

STEP_TIMEOUT_S = 180.0


def step(number: int, title: str) -> Callable[[Callable[[], None]], None]:
    def run(body: Callable[[], None]) -> None:
        print(f"==> [{number}/8] {title}", flush=True)
        started = time.monotonic()
        body()
        print(f"    [{number}/8] done in {time.monotonic() - started:.1f} s", flush=True)

    return run


def poll(what: str, probe: Callable[[], Any], timeout: float = STEP_TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


class Stack:
    def __init__(self, args: argparse.Namespace) -> None:
        self.api = httpx.Client(
            base_url=args.api, headers={"Authorization": f"Bearer {args.key}"}, timeout=30.0
        )
        self.management = args.management.rstrip("/")
        self.project = args.project
        self.workers = args.workers

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.api.post(path, json=body)
        assert response.status_code in (200, 202), (path, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        task_id = data.get("task_id") or data.get("taskId")
        print(f"    POST {path} -> {response.status_code}, task {task_id}")
        return {"task_id": task_id, **data}

    def status(self, domain: str, task_id: str) -> dict[str, Any]:
        response = self.api.get(f"/api/{domain}/status/{task_id}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def completed(self, domain: str, task_id: str) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            status = self.status(domain, task_id)
            assert status["status"] not in ("failed", "dead_lettered"), status
            return status if status["status"] == "completed" else None

        status: dict[str, Any] = poll(f"task {task_id} to complete", probe)
        return status

    def delivered(self, domain: str, task_id: str) -> dict[str, Any] | None:
        """The task's status once it has alerts and every one of them is delivered."""
        status = self.status(domain, task_id)
        alerts = status["alerts"]
        return status if alerts and {a["delivery"] for a in alerts} == {"delivered"} else None

    def consumers(self, vhost: str) -> int:
        url = f"{self.management}/api/queues/{quote(vhost, safe='')}/{topology.EVENTS_QUEUE}"
        response = httpx.get(url, timeout=10.0)
        response.raise_for_status()
        return int(response.json().get("consumers", 0))

    def worker_containers(self) -> list[str]:
        out = subprocess.run(
            [
                "docker", "ps", "-q",
                "--filter", f"label=com.docker.compose.project={self.project}",
                "--filter", "label=com.docker.compose.service=worker",
            ],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return out.split()

    @staticmethod
    def logs(container: str) -> str:
        done = subprocess.run(["docker", "logs", container], capture_output=True, text=True, check=False)
        return done.stdout + done.stderr

    def container_logging(self, event: str, task_id: str) -> str | None:
        for container in self.worker_containers():
            for line in self.logs(container).splitlines():
                if event in line and task_id in line:
                    return container
        return None


def critical_consulta(patient: str) -> dict[str, Any]:
    return {
        "paciente_id": patient,
        "queixa": "Estou com dor no peito muito forte e falta de ar desde cedo",
        "sinais_vitais": {"spo2_pct": 88, "escala_dor": 9},
        "idade_anos": 61,
        "sexo": "M",
        "conversa_id": f"c-{uuid.uuid4()}",
        "mensagem_id": f"m-{uuid.uuid4()}",
    }


def agent_message(patient: str, conversation: str) -> dict[str, Any]:
    return {
        "patientId": patient,
        "message": "sim, bastante, estou com muita falta de ar e dor no peito",
        "conversationId": conversation,
        "messageId": f"m-{uuid.uuid4()}",
        "conversationHistory": [{"role": "agent", "content": "Você está com falta de ar?"}],
    }


def alerts_for(fake: FakeNestJS, patient: str) -> list[dict[str, Any]]:
    return [a for a in list(fake.alerts.values()) if a.get("patientId") == patient]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--management", required=True)
    parser.add_argument("--backend-port", type=int, required=True)
    parser.add_argument("--jwt-secret", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    stack = Stack(args)
    fake = FakeNestJS(jwt_secret=args.jwt_secret, port=args.backend_port)
    fake.start()
    tasks: dict[str, str] = {}
    patients = {"consulta": str(uuid.uuid4()), "mensagem": str(uuid.uuid4()), "held": str(uuid.uuid4())}
    try:

        @step(5, "post a critical consulta and an agent message through the API")
        def _post() -> None:
            tasks["consulta"] = stack.post("/api/clinico/consulta/", critical_consulta(patients["consulta"]))[
                "task_id"
            ]
            tasks["mensagem"] = stack.post(
                "/api/v1/agent/message", agent_message(patients["mensagem"], f"c-{uuid.uuid4()}")
            )["task_id"]

        @step(6, "both complete, the alerts reach the fake NestJS, each vhost has a consumer per worker")
        def _check() -> None:
            for name in ("consulta", "mensagem"):
                stack.completed("clinico", tasks[name])
                # An agent message is stored completed before its alert's POST (docs/agent-message.md):
                # its alert reads pending for a moment, then delivered.
                status = poll(
                    f"the {name} alerts delivered", lambda n=name: stack.delivered("clinico", tasks[n])
                )
                received = poll(
                    f"the {name} alert at the backend", lambda n=name: alerts_for(fake, patients[n])
                )
                print(
                    f"    {name} {tasks[name]}: completed, alerts {[a['type'] for a in status['alerts']]}, "
                    f"backend received {[(a['type'], a['severity']) for a in received]}"
                )
            for domain in topology.all_domains():
                vhost = topology.vhost_for(domain, "")
                count = poll(
                    f"{args.workers} consumers on {vhost}",
                    lambda v=vhost: (n := stack.consumers(v)) == args.workers and n,
                    timeout=60,
                )
                print(f"    {vhost}/{topology.EVENTS_QUEUE}: {count} consumers")

        @step(7, "kill the worker holding a task; another worker completes it")
        def _failover() -> None:
            held = stack.post(
                "/api/v1/agent/message", agent_message(patients["held"], f"{HOLD_PREFIX}{uuid.uuid4()}")
            )
            task_id = tasks["held"] = held["task_id"]
            holder = poll(
                f"a worker to hold task {task_id}",
                lambda: stack.container_logging("held_task_started", task_id),
            )
            assert stack.status("clinico", task_id)["status"] == "processing"
            print(f"    worker container {holder[:12]} holds task {task_id}: killing it (SIGKILL)")
            subprocess.run(["docker", "kill", "--signal", "KILL", holder], check=True, capture_output=True)
            status = stack.completed("clinico", task_id)
            completer = poll(
                f"the worker that completed {task_id}",
                lambda: stack.container_logging("tasks_completed", task_id),
            )
            assert completer != holder, "the killed worker cannot have completed the task"
            assert status["attempts"] == 2, status
            received = poll(
                "the held task's alert at the backend", lambda: alerts_for(fake, patients["held"])
            )
            assert len(received) == 1, f"one alert, not {len(received)}: {json.dumps(received)[:500]}"
            print(
                f"    task {task_id} completed by worker container {completer[:12]} "
                f"(attempts {status['attempts']}), its alert delivered once"
            )

    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
