"""A private RabbitMQ node on this machine (for `make run`/`make test` and throwaway test brokers).

Each node gets its own node name (`name@<short hostname>`), AMQP and distribution ports, config
file and data/log directories owned by the `rabbitmq` user; `rabbitmq-server` is started as root
and drops to that user. Usage:

    python deploy/local_broker.py start --dir .run/rabbitmq --name gateway --port 5673
    python deploy/local_broker.py stop  --dir .run/rabbitmq --name gateway
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def short_hostname() -> str:
    return socket.gethostname().split(".")[0]


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalNodeError(RuntimeError):
    pass


class LocalNode:
    def __init__(
        self,
        name: str,
        base_dir: str | Path,
        amqp_port: int | None = None,
        dist_port: int | None = None,
        management_port: int | None = None,
    ) -> None:
        self.name = name
        self.node = f"{name}@{short_hostname()}"
        self.base = Path(base_dir).resolve()
        self.amqp_port = amqp_port or free_port()
        self.dist_port = dist_port or free_port()
        self.management_port = management_port

    @staticmethod
    def available() -> str | None:
        """None when this machine can run private nodes, else the reason it cannot."""
        if shutil.which("rabbitmq-server") is None and not os.path.exists("/usr/sbin/rabbitmq-server"):
            return "rabbitmq-server is not installed (apt-get install rabbitmq-server)"
        if os.geteuid() != 0:
            return "starting a private RabbitMQ node needs root (it drops to the rabbitmq user)"
        return None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def management_url(self) -> str | None:
        if self.management_port is None:
            return None
        return f"http://guest:guest@127.0.0.1:{self.management_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "RABBITMQ_NODENAME": self.node,
                "RABBITMQ_NODE_PORT": str(self.amqp_port),
                "RABBITMQ_DIST_PORT": str(self.dist_port),
                "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
                "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
                "RABBITMQ_LOG_BASE": str(self.base / "log"),
                "RABBITMQ_PID_FILE": str(self.base / "pid"),
            }
        )
        return env

    def _ctl(self, *args: str, timeout: float = 90, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["rabbitmqctl", "-n", self.node, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(),
        )
        if check and proc.returncode != 0:
            raise LocalNodeError(f"rabbitmqctl {' '.join(args)}: {proc.stderr or proc.stdout}")
        return proc

    def start(self, timeout: float = 90) -> LocalNode:
        reason = self.available()
        if reason:
            raise LocalNodeError(reason)
        if port_open("127.0.0.1", self.amqp_port):
            raise LocalNodeError(f"port {self.amqp_port} is already taken")
        (self.base / "mnesia").mkdir(parents=True, exist_ok=True)
        (self.base / "log").mkdir(parents=True, exist_ok=True)
        conf = [f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}"]
        plugins = "[]."
        if self.management_port:
            conf += [f"management.tcp.port = {self.management_port}", "management.tcp.ip = 127.0.0.1"]
            plugins = "[rabbitmq_management]."
        (self.base / "rabbitmq.conf").write_text("\n".join(conf) + "\n")
        (self.base / "enabled_plugins").write_text(plugins + "\n")
        pid = self.base / "pid"
        if pid.exists():
            pid.unlink()
        subprocess.run(["chown", "-R", "rabbitmq:rabbitmq", str(self.base)], check=True)
        # rabbitmq-server changes into /var/lib/rabbitmq before dropping privileges.
        proc = subprocess.run(
            ["rabbitmq-server", "-detached"], env=self.env(), capture_output=True, text=True, timeout=60
        )
        if proc.returncode != 0:
            raise LocalNodeError(f"rabbitmq-server failed: {proc.stderr or proc.stdout}")
        self._ctl("wait", str(pid), "--timeout", str(int(timeout)), timeout=timeout + 10)
        deadline = time.monotonic() + timeout
        while not port_open("127.0.0.1", self.amqp_port):
            if time.monotonic() > deadline:
                raise LocalNodeError(f"node {self.node} did not open port {self.amqp_port}")
            time.sleep(0.1)
        if self.management_port:
            while not port_open("127.0.0.1", self.management_port):
                if time.monotonic() > deadline:
                    raise LocalNodeError(f"node {self.node} did not open the management port")
                time.sleep(0.1)
        return self

    def join_cluster(self, seed: LocalNode, timeout: float = 90) -> None:
        """Make this (freshly started) node a member of `seed`'s cluster."""
        self._ctl("stop_app", timeout=timeout)
        self._ctl("join_cluster", seed.node, timeout=timeout)
        self._ctl("start_app", timeout=timeout)

    def is_running(self) -> bool:
        return port_open("127.0.0.1", self.amqp_port)

    def stop(self) -> None:
        self._ctl("stop", check=False, timeout=60)
        deadline = time.monotonic() + 30
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.1)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--dir", default=".run/rabbitmq")
    parser.add_argument("--name", default="gateway")
    parser.add_argument("--port", type=int, default=5672)
    parser.add_argument("--dist-port", type=int, default=25672 + 1000)
    args = parser.parse_args(argv)
    node = LocalNode(args.name, args.dir, args.port, args.dist_port)
    try:
        if args.action == "start":
            if node.is_running():
                print(f"RabbitMQ node {node.node} already answers on port {args.port}")
                return 0
            node.start()
            print(f"started private RabbitMQ node {node.node} on 127.0.0.1:{args.port} (data in {node.base})")
        elif args.action == "stop":
            node.stop()
            print(f"stopped {node.node}")
        else:
            print("running" if node.is_running() else "stopped")
            return 0 if node.is_running() else 1
    except LocalNodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
