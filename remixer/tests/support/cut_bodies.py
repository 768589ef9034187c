"""Bodies cut short over a real socket: a request announcing its whole length that sends only
its first bytes, then ends the stream, as a dropped client or a hostile one does."""

import socket

from django.test.client import encode_multipart

BOUNDARY = "cut-body-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(fields: dict[str, str]) -> bytes:
    return encode_multipart(BOUNDARY, fields)


def send_cut(url: str, path: str, headers: dict[str, str], body: bytes, cut: int) -> bytes:
    """POST `body` to the live server at `url` with its whole Content-Length, send only its
    first `cut` bytes, close our side of the stream, and read the whole answer."""
    host, _, port = url.removeprefix("http://").partition(":")
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:cut])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])
