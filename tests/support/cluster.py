"""A real three-node RabbitMQ cluster on this machine, for `make test-cluster`.

Each node is a `deploy.local_broker.LocalNode` (its own node name `name@<short hostname>`, AMQP,
distribution and management ports, directories owned by the rabbitmq user). They share the
rabbitmq user's Erlang cookie; the second and third nodes `rabbitmqctl join_cluster` the first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from deploy.local_broker import LocalNode, free_port
from tests.support.wait import wait_until


class LocalCluster:
    def __init__(self, size: int = 3) -> None:
        # Not under pytest's temporary directory: pytest keeps that private (0700) and the nodes
        # run as the rabbitmq user.
        self.base = Path(tempfile.mkdtemp(prefix="tgw-cluster-"))
        os.chmod(self.base, 0o755)  # noqa: S103 - the nodes run as the rabbitmq user and must read it
        tag = uuid.uuid4().hex[:6]
        self.nodes = [
            LocalNode(f"tgwc{tag}n{i + 1}", self.base / f"n{i + 1}", management_port=free_port())
            for i in range(size)
        ]
        self.stopped: set[str] = set()

    def start(self) -> LocalCluster:
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            list(pool.map(lambda n: n.start(), self.nodes))
        seed = self.nodes[0]
        for node in self.nodes[1:]:
            node.join_cluster(seed)
        wait_until(
            lambda: len(self.running_nodes()) == len(self.nodes),
            timeout=60,
            message="every node in the cluster",
        )
        return self

    def destroy(self) -> None:
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            list(pool.map(lambda n: n.stop(), self.nodes))
        shutil.rmtree(self.base, ignore_errors=True)

    # --- addresses ------------------------------------------------------------------------------

    def rabbitmq_url(self, order: list[LocalNode] | None = None) -> str:
        return ",".join(n.url for n in (order or self.nodes))

    def by_name(self, erlang_node: str) -> LocalNode:
        return next(n for n in self.nodes if n.node == erlang_node)

    # --- management API (asked of whichever node is up) -----------------------------------------

    def api(self, path: str) -> Any:
        last: Exception | None = None
        for node in self.nodes:
            if node.node in self.stopped or node.management_port is None:
                continue
            try:
                resp = httpx.get(
                    f"http://127.0.0.1:{node.management_port}/api{path}", auth=("guest", "guest"), timeout=5
                )
                resp.raise_for_status()
                return resp.json()
            except httpx.HTTPError as exc:
                last = exc
        raise RuntimeError(f"no management API answered {path}: {last!r}")

    def running_nodes(self) -> set[str]:
        return {n["name"] for n in self.api("/nodes") if n.get("running")}

    def queue(self, vhost: str, name: str) -> dict[str, Any]:
        return dict(self.api(f"/queues/{quote(vhost, safe='')}/{quote(name, safe='')}"))

    def leader(self, vhost: str, name: str) -> LocalNode:
        info = self.queue(vhost, name)
        return self.by_name(info.get("leader") or info["node"])

    # --- failures -------------------------------------------------------------------------------

    def stop(self, node: LocalNode) -> None:
        self.stopped.add(node.node)
        node.stop()

    def restart(self, node: LocalNode) -> None:
        node.start()
        self.stopped.discard(node.node)
        wait_until(lambda: node.node in self.running_nodes(), timeout=60, message=f"{node.node} back")
