"""A small HTTP proxy on loopback in front of the S3 server that can answer 500 or drop
connections on chosen methods, or send answers' bodies slowly: moto itself never fails."""

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


class FaultProxy:
    """Forwards every request to `upstream` unless told to fail it.

    `fail(methods, mode, after)`: requests with one of `methods` get a 500 ("500") or a
    connection closed without an answer ("drop"), once `after` of them have passed, and `times`
    of them at most (then it heals). `throttle(rate)`: bodies are sent at `rate` bytes a second."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream).netloc
        self.methods: set[str] = set()
        self.mode, self.after, self.failed = "500", 0, 0
        self.times: int | None = None
        self.rate: float | None = None
        self.seen: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def fail(
        self, methods: set[str], mode: str = "500", after: int = 0, times: int | None = None
    ) -> None:
        with self.lock:
            self.methods, self.mode, self.after, self.failed = methods, mode, after, 0
            self.times = times

    def throttle(self, rate: float | None) -> None:
        self.rate = rate

    def heal(self) -> None:
        self.fail(set())

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def should_fail(self, method: str, path: str) -> str | None:
        with self.lock:
            self.seen.append((method, path))
            if method not in self.methods:
                return None
            if self.after > 0:
                self.after -= 1
                return None
            if self.times is not None and self.failed >= self.times:
                return None
            self.failed += 1
            return self.mode

    def handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class ProxyHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do(self) -> None:
                body = self.read_body()
                fault = proxy.should_fail(self.command, self.path)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "500":
                    self.answer_500()
                    return
                self.forward(body)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do

            def read_body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    parts = []
                    while size := int(self.rfile.readline().strip() or b"0", 16):
                        parts.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline().strip():
                        pass  # trailers
                    return b"".join(parts)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def answer_500(self) -> None:
                message = b"<Error><Code>InternalError</Code><Message>injected</Message></Error>"
                self.send_response(500)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)

            def forward(self, body: bytes) -> None:
                upstream = http.client.HTTPConnection(proxy.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Content-Length"] = str(len(body))
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                self.send_response(answer.status)
                data = answer.read()
                head = self.command == "HEAD"  # its Content-Length is the object's
                for key, value in answer.getheaders():
                    if key.lower() not in HOP_BY_HOP and (head or key.lower() != "content-length"):
                        self.send_header(key, value)
                if not head:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.send_slowly(data)
                upstream.close()

            def send_slowly(self, data: bytes, piece: int = 8192) -> None:
                rate = proxy.rate
                if rate is None:
                    self.wfile.write(data)
                    return
                for start in range(0, len(data), piece):
                    self.wfile.write(data[start : start + piece])
                    self.wfile.flush()
                    time.sleep(piece / rate)

        return ProxyHandler
