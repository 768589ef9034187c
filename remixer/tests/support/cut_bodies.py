"""Bodies cut short over a real socket: a request announcing its whole length that sends only
its first bytes, then ends the stream, as a dropped client or a hostile one does."""

import http.client
import io
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


# Bodies refused unread, then the next request on the same connection.


def upload_body(size: int) -> bytes:
    """A multipart body with a first-frame image of about `size` bytes, as the SDK sends it."""
    image = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * size)
    image.name = "first-frame.png"
    return encode_multipart(BOUNDARY, {"prompt": "calm blue waves", "input_reference": image})


def kept_connection(url: str) -> http.client.HTTPConnection:
    """A keep-alive client that sends each request on the connection as it stands: unlike
    requests (urllib3), it does not first look whether the server has closed it, so every
    close after an answer announcing keep-alive shows, not only those that come in time."""
    host, _, port = url.removeprefix("http://").partition(":")
    return http.client.HTTPConnection(host, int(port), timeout=30)


def exchange(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None = None,
) -> int:
    """One request on the kept connection, its answer read whole; the answer's status."""
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    answer.read()
    return answer.status
