"""HTTP plumbing: the Videos API stand-in's loopback server and keep-alive handler, answering
as ComfyUI does and handing `/ws` upgrades over to the WebSocket side (see `sockets`)."""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any

from remixer.tests.support.videos_api_server.plumbing import ApiRequestHandler, LoopbackServer

if TYPE_CHECKING:
    from remixer.tests.support.comfyui_server.server import ComfyUIServer


class ComfyHTTPServer(LoopbackServer):
    """The Videos API stand-in's loopback server, its errors kept by the ComfyUI stand-in."""

    comfy: ComfyUIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.comfy.errors.append(traceback.format_exc())


class ComfyRequestHandler(ApiRequestHandler):
    """The Videos API stand-in's keep-alive handler, answering as ComfyUI's aiohttp does and
    handing `/ws` upgrades over to the WebSocket side."""

    server_version = "Python/3.12 aiohttp/3.12.15"  # what ComfyUI's aiohttp says
    sys_version = ""
    server: ComfyHTTPServer

    def do_GET(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.close_connection = True  # the socket is the WebSocket's from here on
            lines = [self.requestline, *(f"{k}: {v}" for k, v in self.headers.items()), "", ""]
            head = "\r\n".join(lines).encode("latin-1")  # the request again, for websockets
            self.server.comfy.open_socket(self.connection, self.path, head)
            return
        self._serve()

    def _serve(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self.server.comfy.handle(self.command, self.path, headers, self._read_body())
        try:
            self._send(answer)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nothing to do
