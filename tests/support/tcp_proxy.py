"""A loopback TCP proxy that can hold back what clients send: a broker that confirms late.

While `hold()` is on, bytes from clients are kept instead of forwarded (the broker sees nothing,
so it confirms nothing); `release()` forwards everything kept, in order, even for clients that
have hung up meanwhile, the way bytes still in flight reach a server after their sender gave up.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class _Link:
    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.kept: list[bytes] = []


class HoldingProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cond = threading.Condition()
        self.holding = False
        self.links: list[_Link] = []
        self.closed = False

    def __enter__(self) -> HoldingProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True
        self.listener.close()
        with self.cond:
            self.holding = False
            self.cond.notify_all()
            for link in self.links:
                for sock in (link.client, link.upstream):
                    with contextlib.suppress(OSError):
                        sock.close()

    def hold(self) -> None:
        with self.cond:
            self.holding = True

    def release(self) -> None:
        with self.cond:
            for link in self.links:
                for chunk in link.kept:
                    with contextlib.suppress(OSError):
                        link.upstream.sendall(chunk)
                link.kept.clear()
            self.holding = False
            self.cond.notify_all()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            link = _Link(client, upstream)
            with self.cond:
                self.links.append(link)
            threading.Thread(target=self._client_to_server, args=(link,), daemon=True).start()
            threading.Thread(target=self._server_to_client, args=(link,), daemon=True).start()

    def _client_to_server(self, link: _Link) -> None:
        while True:
            try:
                data = link.client.recv(65536)
            except OSError:
                data = b""
            with self.cond:
                if data and self.holding:
                    link.kept.append(data)
                    continue
                if data:
                    try:
                        link.upstream.sendall(data)
                    except OSError:
                        return
                    continue
                # The client hung up: what it sent still goes through once released.
                while self.holding and not self.closed:
                    self.cond.wait()
            with contextlib.suppress(OSError):
                link.upstream.shutdown(socket.SHUT_WR)
            return

    def _server_to_client(self, link: _Link) -> None:
        # Until the broker hangs up: a client that left early must not cut the upstream side
        # while its kept bytes still have to go through.
        client_gone = False
        while True:
            try:
                data = link.upstream.recv(65536)
            except OSError:
                break
            if not data:
                break
            if not client_gone:
                try:
                    link.client.sendall(data)
                except OSError:
                    client_gone = True
        for sock in (link.client, link.upstream):
            with contextlib.suppress(OSError):
                sock.close()
