"""`make test-cluster`: the API and two worker supervisors on PostgreSQL behind a real three-node
RabbitMQ cluster, under continuous load, while first the node leading `fluxo_clinico`'s `eventos`
and then the first node of RABBITMQ_URL are stopped (and brought back).

Every request the API accepted (202) must end completed with its alert delivered exactly once to
the backend, and nobody is restarted by hand: the API and the workers find the other nodes.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from shared import topology
from shared.store.schema import make_engine, tasks
from tests.conftest import require
from tests.support.cluster import LocalCluster
from tests.support.fake_nestjs import FakeNestJS
from tests.support.servers import free_port
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "segredo-do-teste-de-cluster-com-32-bytes!"
API_KEY = "chave-cluster"
# Enough accepted requests around each failure to see the system carry on through it.
PER_PHASE = 150


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    from deploy.local_broker import LocalNode

    reason = LocalNode.available()
    require(reason is None, f"cannot run local RabbitMQ nodes: {reason}")
    c = LocalCluster(3)
    try:
        c.start()
        yield c
    finally:
        c.destroy()


@pytest.fixture
def database_url(pg_url: str) -> Iterator[str]:
    schema = f"t_cluster_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@dataclass
class Load:
    """Steady POSTs of a chest-pain consulta (one CRITICAL_SYMPTOM alert each) from a few threads."""

    url: str
    threads: int = 2
    pause_s: float = 0.02
    sent: int = 0
    accepted: list[str] = field(default_factory=list)
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    stop_event: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    workers: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for _ in range(self.threads):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self.workers.append(t)

    def stop(self) -> None:
        self.stop_event.set()
        for t in self.workers:
            t.join(30)

    @property
    def n_accepted(self) -> int:
        with self.lock:
            return len(self.accepted)

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {API_KEY}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=20) as client:
            while not self.stop_event.is_set():
                body = {"paciente_id": str(uuid.uuid4()), "queixa": "Estou com dor no peito forte desde cedo"}
                try:
                    resp = client.post("/api/clinico/consulta/", json=body)
                    outcome = str(resp.status_code)
                except httpx.HTTPError as exc:
                    resp, outcome = None, type(exc).__name__
                with self.lock:
                    self.sent += 1
                    if resp is not None and resp.status_code == 202:
                        self.accepted.append(resp.json()["task_id"])
                    else:
                        self.refused[outcome] += 1
                self.stop_event.wait(self.pause_s)


class Proc:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        self.proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )

    def events(self, name: str) -> list[dict]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if item.get("event") == name:
                out.append(item)
        return out

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def terminate(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return None
        return self.proc.returncode


def _statuses(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(sa.select(tasks.c.task_id, tasks.c.status)).tuples().all())
    finally:
        engine.dispose()


def _await_more(load: Load, label: str, n: int = PER_PHASE, timeout: float = 120) -> None:
    mark = load.n_accepted
    wait_until(lambda: load.n_accepted >= mark + n, timeout=timeout, interval=0.2, message=label)


def test_api_and_workers_ride_through_the_loss_of_the_queue_leader_and_of_the_first_node(
    cluster: LocalCluster, database_url: str, tmp_path: Path
) -> None:
    n1, n2, _n3 = cluster.nodes
    prefix = f"tc{uuid.uuid4().hex[:6]}_"
    vhost = topology.vhost_for("clinico", prefix)
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    procs: list[Proc] = []
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "VHOST_PREFIX": prefix,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "BACKEND_URL": nestjs.url,
        "BACKEND_JWT_SECRET": SECRET,
        "TASK_RETENTION_DAYS": "0",
    }
    try:
        # Queue leaders go to the node the declaring client is connected to (RabbitMQ's default
        # locator, client-local); provisioning through the second node puts them away from the
        # first node of the clients' list, so the two failures below hit two different nodes.
        provisioned = subprocess.run(
            [sys.executable, "-m", "shared.provision"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            env={
                **base_env,
                "RABBITMQ_URL": cluster.rabbitmq_url([n2, n1, cluster.nodes[2]]),
                "RABBITMQ_MANAGEMENT_URL": n2.management_url or "",
            },
        )
        assert provisioned.returncode == 0, provisioned.stdout + provisioned.stderr
        assert "task store: created the schema" in provisioned.stdout
        queues = cluster.api(f"/queues/{quote(vhost, safe='')}")
        quorum = {q["name"]: len(q.get("members", [])) for q in queues if q.get("type") == "quorum"}
        assert topology.EVENTS_QUEUE in quorum and set(quorum.values()) == {3}, quorum
        if cluster.leader(vhost, topology.EVENTS_QUEUE) is n1:
            # Another leader locator than client-local: the first failure then hits node 1 too.
            print(f"\nnote: {vhost}/eventos is led by the first node of the list")

        app_env = {**base_env, "RABBITMQ_URL": cluster.rabbitmq_url()}
        api_port = free_port()
        api = Proc(
            "api",
            ["-m", "api"],
            {**app_env, "API_PORT": str(api_port), "API_KEYS": f"{API_KEY}=hospital_a"},
            tmp_path / "api.log",
        )
        procs.append(api)
        supervisors = [
            Proc(
                f"workers-{i}",
                ["-m", "workers", "--vhost", "fluxo_clinico", "--concurrency", "4"],
                app_env,
                tmp_path / f"workers-{i}.log",
            )
            for i in (1, 2)
        ]
        procs.extend(supervisors)
        api_url = f"http://127.0.0.1:{api_port}"
        wait_until(
            lambda: httpx.get(f"{api_url}/health/ready", timeout=2).status_code == 200,
            timeout=60,
            message="the API ready",
        )
        for sup in supervisors:
            wait_until(lambda s=sup: s.events("consuming"), timeout=60, message=f"{sup.name} consuming")
        api_connects_at_start = len(api.events("broker_connected"))

        load = Load(api_url)
        load.start()
        try:
            _await_more(load, "requests accepted before any failure", n=PER_PHASE // 2)

            # 1. The node leading eventos goes away: a follower takes over, clients stay put.
            leader = cluster.leader(vhost, topology.EVENTS_QUEUE)
            print(f"\nstopping {leader.node}, leader of {vhost}/eventos, at {load.n_accepted} accepted")
            cluster.stop(leader)
            wait_until(
                lambda: cluster.leader(vhost, topology.EVENTS_QUEUE) is not leader,
                timeout=60,
                message="a new eventos leader",
            )
            _await_more(load, "requests accepted with the old leader down")
            cluster.restart(leader)
            wait_until(
                lambda: len(cluster.queue(vhost, topology.EVENTS_QUEUE).get("online", [])) == 3,
                timeout=90,
                message="the old leader's replica online again",
            )
            _await_more(load, "requests accepted with three nodes again", n=PER_PHASE // 2)

            # 2. The first node of RABBITMQ_URL, where the API and the workers are connected.
            print(f"stopping {n1.node}, first node of RABBITMQ_URL, at {load.n_accepted} accepted")
            cluster.stop(n1)
            accepted_at_stop = load.n_accepted
            _await_more(load, "requests accepted with the first node down")
            with load.lock:
                since_stop = load.accepted[accepted_at_stop:]

            def completed_since_stop() -> int:
                done = _statuses(database_url)
                return sum(1 for t in since_stop if done.get(t) == "completed")

            wait_until(
                lambda: completed_since_stop() >= len(since_stop),
                timeout=120,
                interval=0.5,
                message="tasks accepted after the first node went down completed",
            )
            cluster.restart(n1)
            _await_more(load, "requests accepted after the first node came back", n=PER_PHASE // 2)
        finally:
            load.stop()

        with load.lock:
            accepted = list(load.accepted)
        # Waited for, then counted and reported below rather than failing here.
        with contextlib.suppress(AssertionError):
            wait_until(
                lambda: all(_statuses(database_url).get(t) == "completed" for t in accepted),
                timeout=180,
                interval=1.0,
                message="every accepted task completed",
            )
        statuses = _statuses(database_url)
        completed = [t for t in accepted if statuses.get(t) == "completed"]
        lost = [t for t in accepted if statuses.get(t) != "completed"]
        alerts_expected = set(completed)
        with contextlib.suppress(AssertionError):
            wait_until(
                lambda: alerts_expected <= _alerted_tasks(nestjs), timeout=60, message="every alert delivered"
            )
        # Alerts the backend created (a replayed Idempotency-Key creates nothing), per task.
        created_per_task = collections.Counter(a["context"]["taskId"] for a in nestjs.alerts.values())
        duplicates = sum(n - 1 for n in created_per_task.values() if n > 1)
        posts_per_task = collections.Counter(
            r.body["context"]["taskId"]
            for r in nestjs.requests
            if r.status is not None and 200 <= r.status < 300 and isinstance(r.body, dict)
        )
        repeated_posts = sum(n - 1 for n in posts_per_task.values() if n > 1)
        missing_alerts = len(alerts_expected - set(created_per_task))
        reconnects = {
            "api broker_connected": len(api.events("broker_connected")) - api_connects_at_start,
            **{f"{s.name} consuming": len(s.events("consuming")) for s in supervisors},
            **{f"{s.name} child_died": len(s.events("child_died")) for s in supervisors},
        }
        print(
            "\ncluster failover counts: "
            f"sent={load.sent} accepted={len(accepted)} refused={dict(load.refused)} "
            f"completed={len(completed)} lost={len(lost)} duplicate_alerts={duplicates} "
            f"repeated_alert_posts={repeated_posts} missing_alerts={missing_alerts} "
            f"reconnects={reconnects}"
        )
        assert lost == [], f"{len(lost)} accepted tasks never completed: {lost[:5]}"
        assert duplicates == 0, f"{duplicates} alerts created twice for the same task"
        assert missing_alerts == 0, f"{missing_alerts} completed tasks have no alert at the backend"
        # Nobody restarted anything: the processes moved to another node by themselves.
        for sup in supervisors:
            assert len(sup.events("consuming")) >= 2, f"{sup.name} never reconnected:\n{sup.tail()}"
            assert sup.proc.poll() is None, f"{sup.name} exited:\n{sup.tail()}"
        assert api.proc.poll() is None, f"the API exited:\n{api.tail()}"
        assert len(api.events("broker_connected")) > api_connects_at_start, f"no API reconnect:\n{api.tail()}"
        assert httpx.get(f"{api_url}/health/ready", timeout=5).status_code == 200
    finally:
        codes = {p.name: p.terminate() for p in procs}
        nestjs.stop()
    # uvicorn re-raises the SIGTERM it handled once its shutdown is complete.
    assert codes["api"] in (0, -signal.SIGTERM) and codes["workers-1"] == codes["workers-2"] == 0, codes


def _alerted_tasks(nestjs: FakeNestJS) -> set[str]:
    return {
        r.body["context"]["taskId"]
        for r in nestjs.requests
        if r.status is not None and 200 <= r.status < 300 and isinstance(r.body, dict)
    }
