"""The thin transport every provider's HTTP calls go through (a Videos API server, ComfyUI):
the only module that imports `requests`.

A call that gets no answer at all (refused, reset, timed out) raises `NoAnswer`, which says
which: a refused connection never reached the server, so a create is safe to send again.
Answers of any status come back as they are, for the provider to read.
"""

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import requests

from remixer.providers import ProgressCallback

CONNECT_TIMEOUT = 5
DOWNLOAD_READ_TIMEOUT = 60
CHUNK = 1024 * 1024
Response = requests.Response


class NoAnswer(Exception):
    """The server did not answer: the connection was refused or broke, or it timed out."""

    def __init__(self, error: requests.RequestException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.timed_out = isinstance(error, requests.Timeout)
        self.refused = not self.timed_out and refused(error)


class TransferBroken(Exception):
    """A download that started and broke off before its end."""


class Transport:
    """One session with a server: its headers on every request, the same timeouts."""

    def __init__(self, headers: Mapping[str, str], read_timeout: float) -> None:
        self.session = requests.Session()
        self.session.headers.update(headers)
        self.read_timeout = read_timeout

    @property
    def timeouts(self) -> tuple[float, float]:
        return (CONNECT_TIMEOUT, self.read_timeout)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        try:
            return self.session.request(method, url, timeout=self.timeouts, **kwargs)
        except requests.RequestException as error:
            raise NoAnswer(error) from error

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Response:
        return self.request("DELETE", url, **kwargs)

    @contextmanager
    def streamed(self, url: str, params: Mapping[str, str]) -> Iterator[Response]:
        """A GET whose body is read as it comes (with a longer wait between its chunks)."""
        try:
            response = self.session.get(
                url, params=params, stream=True, timeout=(CONNECT_TIMEOUT, DOWNLOAD_READ_TIMEOUT)
            )
        except requests.RequestException as error:
            raise NoAnswer(error) from error
        with response:
            yield response

    def save(
        self, response: Response, path: Path, on_progress: ProgressCallback | None = None
    ) -> int:
        """Write a streamed answer's body to `path` through a partial file, moved into place
        once whole; the bytes received. TransferBroken when it breaks off or comes up short."""
        partial = path.with_name(path.name + ".part")
        total = int(response.headers.get("Content-Length") or 0)
        try:
            with partial.open("wb") as handle:
                received = copy_chunks(response.iter_content(CHUNK), handle, total, on_progress)
        except requests.RequestException as error:
            partial.unlink(missing_ok=True)
            raise TransferBroken(f"the transfer broke off ({error})") from error
        expected = response.headers.get("Content-Length")
        if expected is not None and int(expected) != received:
            partial.unlink(missing_ok=True)
            raise TransferBroken(f"received {received} of {expected} bytes")
        os.replace(partial, path)
        return received


def copy_chunks(
    chunks: Iterator[bytes],
    handle: IO[bytes],
    total: int,
    on_progress: Callable[[int, int], None] | None,
) -> int:
    received = 0
    for chunk in chunks:
        handle.write(chunk)
        received += len(chunk)
        if on_progress is not None:
            on_progress(received, total)
    return received


def refused(error: BaseException) -> bool:
    """A refused connection never reached the server, so a create is safe to send again."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return True
        cause = (
            cause.__cause__
            or cause.__context__
            or (cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None)
        )
    return "Connection refused" in str(error)
