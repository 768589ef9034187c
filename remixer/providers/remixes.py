"""Remix strategies: how a remix reaches a server that may have no remix route.

Self-hosted servers answer `POST /videos/{id}/remix` with 404 but take a source on create
(docs: VIDEOS_API.md, "Remix without a remix route"). So a remix is one of:

- native: the remix route;
- video_file: a create with the source MP4 as the multipart `input_reference` file part;
- video_url: a create whose `video_reference` is `{"video_url": "data:video/mp4;base64,…"}`;
- first_frame / last_frame: a create with that frame of the source (PNG) as `input_reference`.

Detection believes positive signals only: the server's OpenAPI document, and how the remix
route answers for a job that does not exist (the route's own 404 names the id; a missing
route gets the framework's bare 404 or a 405). A field a server might ignore silently is
never taken to work from anything less. Bodies are streamed from disk, never held whole.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remixer.lib import media
from remixer.providers import Job, ProviderError

NATIVE, VIDEO_FILE, VIDEO_URL = "native", "video_file", "video_url"
FIRST_FRAME, LAST_FRAME, NONE = "first_frame", "last_frame", "none"
ORDER = (NATIVE, VIDEO_FILE, VIDEO_URL, FIRST_FRAME)  # preferred first; last_frame is chosen
HOW = {
    NATIVE: "its remix route",
    VIDEO_FILE: "the source video as an input_reference file",
    VIDEO_URL: "the source video as a video_reference data URL",
    FIRST_FRAME: "the source's first frame as input_reference",
    LAST_FRAME: "the source's last frame as input_reference",
}
REMIX_PATH = re.compile(r"/videos/\{[^}/]+\}/remix$")
CHUNK = 3 * 64 * 1024  # a multiple of 3, so each chunk's base64 joins the next's seamlessly
MARK = "@@source@@"


# Detection


@dataclass(frozen=True)
class Detection:
    """What a server offers: `available` in order of preference, `missing` known absent."""

    available: tuple[str, ...]
    missing: tuple[str, ...]
    evidence: str

    @property
    def decision(self) -> str | None:
        """The strategy to use; None: nothing is known, the administrator chooses."""
        if self.available:
            return self.available[0]
        return NONE if NATIVE in self.missing else None


def openapi_url(base_url: str) -> str:
    """The document FastAPI servers publish at their root, beside `/v1`."""
    root = base_url.rstrip("/")
    return f"{root.removesuffix('/v1')}/openapi.json"


def route_missing(status: int, body: Any) -> bool:
    """A route the server does not have: a 405, or a 404 from its web framework (FastAPI's
    bare `{"detail": "Not Found"}`, a plain-text page, OpenAI's "Invalid URL"). A 404 in the
    API's own error envelope is about the job's id, and says nothing about the route."""
    if status == 405:
        return True
    if status != 404:
        return False
    if body is None or body == {"detail": "Not Found"}:
        return True
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and str(error.get("message", "")).startswith("Invalid URL")


def decide(document: Any, url: str, probe: tuple[int, Any] | None) -> Detection:
    """The strategies a server offers, from its OpenAPI document (None when it has none) and
    what a remix of a job that does not exist answered (status, JSON body), if asked."""
    known = isinstance(document, dict)
    native = remix_in_document(document) if known else None
    fields = create_fields(document) if known else {}
    said = [
        f"its OpenAPI document ({url}) {document_words(native, fields)}"
        if known
        else f"it publishes no OpenAPI document at {url}"
    ]
    if native is None and probe is not None:
        native = probe_says(*probe)
        said.append(
            f"a remix of a job that does not exist answered HTTP {probe[0]}, {said_of(native)}"
        )
    available = ([NATIVE] if native else []) + offered(fields)
    missing = (NATIVE,) if native is False else ()
    found = Detection(tuple(available), missing, "")
    return Detection(found.available, missing, f"The server: {'; '.join(said)}. {verdict(found)}")


def verdict(found: Detection) -> str:
    choice = found.decision
    if choice is None:
        return (
            "Nothing is known: an administrator chooses (until then remixes try the remix route)."
        )
    if choice == NONE:
        return "It cannot remix: remixes go to the local engine."
    return f"Remixes use {HOW[choice]}."


def remix_in_document(document: dict[str, Any]) -> bool | None:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return None
    return any(
        REMIX_PATH.search(str(path)) and "post" in mapping(ops) for path, ops in paths.items()
    )


def probe_says(status: int, body: Any) -> bool | None:
    """The route exists where it refused the request itself (no such job, a bad field); a
    refused key or a rate limit may come from anything in front of it, and tells nothing."""
    if route_missing(status, body):
        return False
    return True if status in (400, 404, 409, 422) and isinstance(body, dict) else None


def said_of(native: bool | None) -> str:
    if native is None:
        return "which tells nothing"
    return "so the remix route exists" if native else "so the remix route is missing"


def create_fields(document: dict[str, Any]) -> dict[str, str]:
    """The create's fields, each with its schema and declared media types as lowercase text.
    Whatever in the document is not of the shape OpenAPI gives it is passed over."""
    fields: dict[str, str] = {}
    for path, ops in mapping(document.get("paths")).items():
        create = mapping(mapping(ops).get("post")) if str(path).endswith("/videos") else {}
        for media_type in mapping(mapping(create.get("requestBody")).get("content")).values():
            schema = resolve(document, mapping(media_type).get("schema"))
            encoding = mapping(mapping(media_type).get("encoding"))
            for name, field in mapping(schema.get("properties")).items():
                text = json.dumps([resolve(document, field), encoding.get(name)]).lower()
                fields[name] = fields.get(name, "") + text
    return fields


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def resolve(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    """A schema, its `$ref` (within the document) followed."""
    reference = mapping(schema).get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return mapping(schema)
    found: Any = document
    for key in reference[2:].split("/"):
        found = mapping(found).get(key)
    return mapping(found)


def offered(fields: Mapping[str, str]) -> list[str]:
    reference = fields.get("input_reference")
    found = []
    if reference is not None and ("video/" in reference or "video file" in reference):
        found.append(VIDEO_FILE)
    if "video_reference" in fields:
        found.append(VIDEO_URL)
    if reference is not None:
        found.append(FIRST_FRAME)
    return found


def document_words(native: bool | None, fields: Mapping[str, str]) -> str:
    route = "lists no routes" if native is None else "has no remix route"
    route = "has the remix route" if native else route
    takes = [name for name in ("input_reference", "video_reference") if name in fields]
    kinds = ", ".join(HOW[strategy] for strategy in offered(fields)) or "no source at all"
    named = " and ".join(takes) or "neither input_reference nor video_reference"
    return f"{route}, and its create takes {named} ({kinds})"


def unavailable(strategy: str, method: str, path: str, status: int, text: str) -> ProviderError:
    """A strategy's route is missing: no job can have started, so the next may be sent."""
    return ProviderError(
        "strategy_unavailable",
        f"{method} {path} answered HTTP {status} {text[:200].strip()}, a route the server does "
        f"not have: it takes no remix as {HOW.get(strategy, strategy)}.",
    )


# Bodies


@dataclass(frozen=True)
class Base64Of:
    """A file's bytes in base64, encoded as the body is sent."""

    path: Path


Piece = bytes | Path | Base64Of


@dataclass(frozen=True)
class Part:
    name: str
    pieces: tuple[Piece, ...]
    filename: str | None = None
    content_type: str | None = None


class StreamedBody:
    """A request body of byte strings and files, read chunk by chunk as it is sent. Its
    length is known up front, so it goes with a Content-Length; iterating again starts over."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.pieces = tuple(pieces)

    def __len__(self) -> int:
        return sum(piece_length(piece) for piece in self.pieces)

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            path = piece.path if isinstance(piece, Base64Of) else piece
            with path.open("rb") as handle:
                while chunk := read_full(handle, CHUNK):
                    yield base64.b64encode(chunk) if isinstance(piece, Base64Of) else chunk


def piece_length(piece: Piece) -> int:
    if isinstance(piece, bytes):
        return len(piece)
    if isinstance(piece, Base64Of):
        return 4 * -(-piece.path.stat().st_size // 3)
    return piece.stat().st_size


def read_full(handle: Any, size: int) -> bytes:
    chunk: bytes = handle.read(size)
    while chunk and len(chunk) < size and (more := handle.read(size - len(chunk))):
        chunk += more
    return chunk


def multipart(fields: Mapping[str, Any], parts: Sequence[Part]) -> tuple[StreamedBody, str]:
    boundary = f"remixer-{secrets.token_hex(16)}"
    everything = [Part(name, (str(value).encode(),)) for name, value in fields.items()]
    pieces: list[Piece] = []
    for part in [*everything, *parts]:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{part.name}"'
        if part.filename is not None:
            head += f'; filename="{part.filename}"'
        if part.content_type is not None:
            head += f"\r\nContent-Type: {part.content_type}"
        pieces += [f"{head}\r\n\r\n".encode(), *part.pieces, b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode())
    return StreamedBody(pieces), f"multipart/form-data; boundary={boundary}"


def around_source(template: str, source: Path) -> tuple[Piece, ...]:
    before, _, after = template.partition(MARK)
    return (before.encode(), Base64Of(source), after.encode())


def request_body(
    strategy: str, fields: Mapping[str, Any], job: Job, encoding: str
) -> tuple[StreamedBody, str]:
    """The create that carries the source as `strategy` says, streamed from the job's files."""
    source = job.source_video
    if source is None:
        raise ProviderError("source_missing", "The source video was deleted before the remix ran.")
    if strategy == VIDEO_FILE:
        return multipart(fields, [Part("input_reference", (source,), "source.mp4", "video/mp4")])
    if strategy == VIDEO_URL:
        reference = json.dumps({"video_url": f"data:video/mp4;base64,{MARK}"})
        if encoding == "json":
            whole = json.dumps({**fields, "video_reference": reference})
            return StreamedBody(around_source(whole, source)), "application/json"
        return multipart(fields, [Part("video_reference", around_source(reference, source))])
    if strategy in (FIRST_FRAME, LAST_FRAME):
        frame = job.workdir / f"{strategy}.png"
        try:
            media.save_frame(source, frame, last=strategy == LAST_FRAME)
        except media.MediaError as error:
            raise ProviderError("source_unreadable", f"The source video: {error}") from error
        return multipart(fields, [Part("input_reference", (frame,), frame.name, "image/png")])
    raise ProviderError(
        "unknown_strategy", f"remixer does not know the remix strategy {strategy!r}."
    )
