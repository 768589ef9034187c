"""The `/ws` side: the opening handshake on a socket the HTTP server already read the request
from, and the hub that sends events to the socket of each client id.

One port for HTTP and WebSocket, as ComfyUI has: `http.server` reads every request, and a GET
of `/ws` that asks to upgrade is answered by websockets' own sans-I/O handshake
(`ServerProtocol.accept`), after which the same socket becomes a `websockets.sync` connection
(framing, pings, closing handshake from the library). The library's own servers cannot do
this: they parse only GET requests and read no bodies, so `POST /prompt` could not share the
port; a hand-written RFC 6455 framing would be more code and less tested than the library.

Messages go out through one publisher thread, in order, as ComfyUI's publish loop sends them.
Its quirks are kept: a second socket with the same clientId takes the first one's place (the
first stays open and hears nothing more), and when either closes, the id is forgotten, so a
newer socket goes deaf when an older one with its id closes."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request
from websockets.server import ServerProtocol
from websockets.sync.connection import Connection

from remixer.tests.support.comfyui_server.node_types import JSONDict

SERVER_FEATURES = {"supports_preview_metadata": True, "max_upload_size": 104857600}
Greeting = Callable[[str], list[tuple[str, JSONDict]]]


def open_websocket(sock: socket.socket, head: bytes) -> Connection | None:
    """Answer the opening handshake whose request line and headers `http.server` read (`head`,
    given back to websockets' parser); the connection, or None when it was refused."""
    protocol = ServerProtocol()
    protocol.receive_data(head)
    request = protocol.events_received()[0]
    assert isinstance(request, Request)
    response = protocol.accept(request)
    protocol.send_response(response)
    for data in protocol.data_to_send():
        sock.sendall(data)
    if response.status_code != 101:
        return None
    return Connection(sock, protocol, ping_interval=None, close_timeout=1)


class Hub:
    """Client ids to their sockets; `greeting(sid)` is what a socket hears when it opens."""

    def __init__(self, greeting: Greeting) -> None:
        self._greeting = greeting
        self._outbox: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self._sockets: dict[str, Connection] = {}
        self._every: set[Connection] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.sent: list[tuple[str, JSONDict]] = []  # (client id, message) as delivered

    def start(self) -> None:
        self._thread = threading.Thread(target=self._publish, daemon=True, name="comfyui-ws")
        self._thread.start()

    def stop(self) -> None:
        self._outbox.put(None)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.close_all()
        with self._lock:
            self._sockets.clear()

    def send(self, event: str, data: JSONDict, sid: str | None = None) -> None:
        """Send to the socket of `sid`, or to every socket when `sid` is None."""
        self._outbox.put(("send", {"type": event, "data": data}, sid))

    def attach(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._every.add(connection)
        self._outbox.put(("attach", sid, connection))

    def detach(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._every.discard(connection)
        self._outbox.put(("detach", sid))

    def connected(self) -> list[str]:
        """The client ids that hear events now."""
        with self._lock:
            return list(self._sockets)

    def close_all(self) -> None:
        """Drop every socket without a closing handshake, as a network or a crash does."""
        with self._lock:
            connections = list(self._every)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.socket.shutdown(socket.SHUT_RDWR)

    def _publish(self) -> None:
        while (item := self._outbox.get()) is not None:
            kind, *args = item
            if kind == "attach":
                sid, connection = args
                with self._lock:
                    self._sockets[sid] = connection
                for event, data in self._greeting(sid):
                    self._deliver({"type": event, "data": data}, sid)
            elif kind == "detach":
                with self._lock:
                    self._sockets.pop(args[0], None)
            else:
                self._deliver(*args)

    def _deliver(self, message: JSONDict, sid: str | None) -> None:
        with self._lock:
            targets = list(self._sockets.items())
        text = json.dumps(message)
        for target_sid, connection in targets:
            if sid is not None and target_sid != sid:
                continue
            with contextlib.suppress(ConnectionClosed, OSError):
                connection.send(text)
                self.sent.append((target_sid, message))


def serve_socket(hub: Hub, sid: str, connection: Connection) -> None:
    """Hold a socket open until it closes; answer a first `feature_flags` message."""
    hub.attach(sid, connection)
    first = True
    try:
        for message in connection:
            with contextlib.suppress(ValueError, AttributeError):
                if first and json.loads(message).get("type") == "feature_flags":
                    hub.send("feature_flags", dict(SERVER_FEATURES), sid)
            first = False
    except ConnectionClosed:
        pass
    finally:
        hub.detach(sid, connection)
