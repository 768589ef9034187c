"""A real HTTP server on 127.0.0.1 that speaks the OpenAI Videos API, for tests.

It stands in for the servers remixer's HTTP provider drives: OpenAI itself and the servers
that copy its API with deviations (see shared/docs/VIDEOS_API.md). A *behaviour* is a small
preset of those deviations; *knobs* tune it and can change while it runs; *faults* make the
next few matching requests misbehave (5xx, 429, hangs, dropped connections, bad JSON).

Jobs progress on the clock, not on polls, and every request is recorded so a test can assert
how many times a create was sent. Downloads are real files: an H.264 MP4 from remixer's own
engine, a WebP thumbnail and a JPEG spritesheet.

    with serve(behaviour="litellm", job_seconds=0.2) as server:
        client = OpenAI(base_url=server.url, api_key=server.knobs.api_key)
        ...
        assert server.count("POST", "/v1/videos") == 1
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import dataclasses
import io
import itertools
import json
import secrets
import shutil
import socket
import string
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
SECONDS = ("4", "8", "12")
EXTEND_SECONDS = ("4", "8", "12", "16", "20")  # a new segment's lengths on /videos/extensions
MAX_PROMPT = 32000
MODERATION_ERROR = {
    "code": "moderation_blocked",
    "message": "Your request was blocked by our moderation system.",
}
# The fraction of a job's duration spent queued before it starts rendering.
QUEUED_SHARE = 0.2
# The clip every download is rendered from: one fixed prompt, so the cache can be shared.
RENDER_PROMPT = "calm blue waves"

JSONDict = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Behaviours: each a preset of the deviations in VIDEOS_API.md


@dataclass(frozen=True)
class Behaviour:
    """How one kind of server deviates from OpenAI. Every field can be overridden as a knob."""

    name: str
    id_style: str = "openai"  # openai | litellm | uuid | vllm | task
    error_style: str = "openai"  # openai | litellm | fastapi | vllm | newapi
    framework: str = "openai"  # how unknown routes answer: openai | starlette | gin
    validate: bool = True  # check seconds, size and input_reference as the API does
    model_check: str = "list"  # list (knob `models`) | served (knob `served_model`) | any
    # | provider (any `provider/model`)
    model_error_status: int = 400
    default_model: str | None = "sora-2"  # None: the served model
    json_create: bool = True  # False: create accepts only multipart (422 otherwise)
    form_create: bool = True  # False: create accepts only JSON (400 for multipart)
    routed_ids: bool = False  # paths name a job `{id}:{provider}`; answers carry the bare id
    drop_keys: frozenset[str] = frozenset()  # Video keys never sent
    omit_nulls: bool = False  # leave out keys whose value is null
    ms_keys: frozenset[str] = frozenset()  # timestamps sent in milliseconds
    alias_model: bool = False  # `model` answered as the knob `model_alias`
    upstream_remix_source: bool = False  # remixed_from_video_id is an id the client never saw
    missing_routes: Mapping[str, int] = field(default_factory=dict)  # route -> status answered
    delete_answer: str = "deleted_object"  # deleted_object | video (a Video, status "deleted")
    delete_running_status: int = 400  # deleting a queued/in_progress job
    content_mode: str = "variants"  # variants | always_video | no_variant
    video_body: str = "mp4"  # mp4 | webpage (a 200 HTML page, labelled video/mp4)
    error_code_in_video: bool = True
    progress_style: str = "smooth"  # smooth | jump (0 -> 100) | stall99 (sits at 99)
    failed_retrieve_status: int = 200
    extra_keys: tuple[str, ...] = ()  # unknown keys seen in the wild, see EXTRAS
    # What a create takes as a source: "image" (input_reference, an image), or "video" too
    # (input_reference as a video/mp4 file, or video_reference = {"video_url": data URL}).
    references: str = "image"
    openapi: bool = False  # publish /openapi.json (at the root) naming the create's fields


BEHAVIOURS: dict[str, Behaviour] = {
    "openai": Behaviour("openai"),
    "litellm": Behaviour(
        "litellm",
        id_style="litellm",
        error_style="litellm",
        framework="starlette",
        drop_keys=frozenset({"prompt"}),
        alias_model=True,
        upstream_remix_source=True,
        missing_routes={"delete": 405, "list": 400},
        content_mode="always_video",
        extra_keys=("usage",),
    ),
    "sglang": Behaviour(
        "sglang",
        id_style="uuid",
        error_style="fastapi",
        framework="starlette",
        validate=False,
        model_check="any",
        default_model=None,
        missing_routes={"remix": 404, "extensions": 404},
        delete_answer="video",
        delete_running_status=0,
        content_mode="no_variant",
        error_code_in_video=False,
        progress_style="stall99",
        extra_keys=("file_path",),
    ),
    "vllm": Behaviour(
        "vllm",
        id_style="vllm",
        error_style="vllm",
        framework="starlette",
        validate=False,
        model_check="served",
        model_error_status=404,
        default_model=None,
        json_create=False,
        missing_routes={"remix": 404, "extensions": 404},
        delete_running_status=409,
        progress_style="jump",
        failed_retrieve_status=500,
    ),
    "newapi": Behaviour(
        "newapi",
        id_style="task",
        error_style="newapi",
        framework="gin",
        validate=False,
        model_check="any",
        omit_nulls=True,
        ms_keys=frozenset({"created_at", "completed_at"}),
        missing_routes={"list": 404, "delete": 404},
    ),
    "bifrost": Behaviour(
        "bifrost",
        framework="gin",
        model_check="provider",
        default_model="openai/sora-2",
        form_create=False,
        routed_ids=True,
    ),
    # A server whose downloads are a web page (a proxy's sign-in or error page), 200 all the
    # same: the file arrives whole, and is no video.
    "webpage": Behaviour("webpage", video_body="webpage"),
}
# vLLM-Omni serving a VACE model: no remix route, a source video on create, a document.
BEHAVIOURS["vllm-omni"] = dataclasses.replace(
    BEHAVIOURS["vllm"], name="vllm-omni", references="video", openapi=True
)
# A FastAPI server doing image-to-video only: like most, it ignores the fields it lacks.
BEHAVIOURS["image-only"] = dataclasses.replace(
    BEHAVIOURS["sglang"], name="image-only", openapi=True
)
WEBPAGE = b"<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>\n"

EXTRAS: dict[str, Callable[[Job], Any]] = {
    "usage": lambda job: {"duration_seconds": float(job.seconds)},
    "file_path": lambda job: f"/outputs/{job.id}.mp4",
    "quality": lambda job: "standard",
}


@dataclass
class Knobs:
    """Settings a test may change while the server runs (see VideosAPIServer.set)."""

    api_key: str | None = "test-key"  # None: no auth check
    auth_header: str = "authorization"  # authorization (Bearer) | api-key (raw key)
    job_seconds: float = 1.0  # how long a job takes from create to completed/failed
    expires_in: int | None = 3600  # seconds from completion until downloads expire
    models: tuple[str, ...] = ("sora-2", "sora-2-pro")
    served_model: str = "Wan2.2"  # the one model of sglang/vllm
    model_alias: str = "proxy-video"  # LiteLLM's name for its upstream model
    status_words: Mapping[str, str] = field(default_factory=dict)  # e.g. {"completed": "done"}
    status_case: str | None = None  # upper | lower | title
    poll_after_ms: int | None = None  # sent as openai-poll-after-ms on retrieve
    truncate_content: str | None = None  # body (short of Content-Length) | file (cut short)
    mislabel_content: bool | str = False  # True: swap labels; a string: that Content-Type
    corrupt_content: bool | str = False  # True/"middle": flip MP4 bytes mid-file; "head"
    fail_word: str = "FAIL"  # a prompt containing it ends failed (moderation_blocked)
    stall_word: str = "STALL"  # a prompt containing it stays in_progress for ever
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port, kept across stop()/start()


# ---------------------------------------------------------------------------------------------
# Records, faults, answers


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it reached the server."""

    method: str
    path: str  # percent-decoded, e.g. /v1/videos/video_a/b=
    raw_path: str  # as sent, e.g. /v1/videos/video_a%2Fb%3D
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    time: float
    client: tuple[str, int]  # the client's address: one port per kept-alive connection
    fields: JSONDict | None = None  # create/remix form or JSON fields; files as summaries

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    """The next `remaining` requests matching method/path_prefix misbehave as `kind` says."""

    kind: str  # fail | rate_limit | hang | drop | malformed
    remaining: int
    method: str | None = None
    path_prefix: str | None = None
    status: int = 500
    body: bytes | None = None
    seconds: float = 0.0
    process: bool = False  # fail only: handle the request first (a create does create)
    path_suffix: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method == method)
            and (self.path_prefix is None or path.startswith(self.path_prefix))
            and (self.path_suffix is None or path.endswith(self.path_suffix))
        )


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # announced Content-Length when it is not len(body)
    close: bool = False
    drop: bool = False  # close the connection without answering


def json_answer(status: int, payload: Any, **headers: str) -> Answer:
    return Answer(status, json.dumps(payload).encode(), headers=dict(headers))


@dataclass(eq=False)
class ApiError(Exception):
    """An error the API answers; rendered in the behaviour's error style."""

    status: int
    message: str
    param: str | None = None
    code: str | None = None
    type: str = "invalid_request_error"
    upstream: bool = True  # LiteLLM wraps errors that came from upstream, not its own
    detail: Any = None  # FastAPI's validation detail list (422)


@dataclass
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


# ---------------------------------------------------------------------------------------------
# Jobs


@dataclass
class Job:
    id: str
    upstream_id: str
    model: str
    prompt: str
    size: str
    seconds: str
    created: float  # server clock, Unix seconds
    duration: float
    outcome: str  # completed | failed | stall
    remixed_from: str | None = None
    input_reference: Upload | JSONDict | None = None
    deleted: bool = False
    sequence: int = 0

    def state(self, now: float, style: str) -> tuple[str, int]:
        """Status and progress at `now`: queued, then in_progress, then the outcome."""
        elapsed = (now - self.created) / self.duration if self.duration > 0 else 1.0
        if elapsed < QUEUED_SHARE and self.duration > 0:
            return "queued", 0
        if elapsed < 1.0 or self.outcome == "stall":
            share = min(1.0, (elapsed - QUEUED_SHARE) / (1 - QUEUED_SHARE))
            return "in_progress", _progress(share, style)
        if self.outcome == "failed":
            return "failed", 0
        return "completed", 100

    def finished_at(self) -> float:
        return self.created + self.duration

    def snapshot(self, now: float) -> JSONDict:
        status, progress = self.state(now, "smooth")
        data = dataclasses.asdict(self)
        data.update(status=status, progress=progress)
        return data


def _progress(share: float, style: str) -> int:
    if style == "jump":
        return 0
    if style == "stall99":
        return min(99, int(share * 200))
    return max(1, min(99, int(share * 100)))


def _new_id(style: str) -> str:
    if style == "uuid":
        return str(uuid.uuid4())
    if style == "vllm":
        return f"video-{uuid.uuid4().hex}"
    if style == "task":
        alphabet = string.ascii_letters + string.digits
        return "task_" + "".join(secrets.choice(alphabet) for _ in range(32))
    return f"video_{secrets.token_hex(24)}"


def litellm_id(upstream: str, alias: str) -> str:
    """LiteLLM's encoded id: `video_` + standard base64 of routing details, 234-290 chars,
    ending in `=` and holding a `/` (often a `+` too), so that a client which does not
    URL-encode path ids breaks here as it would against the real proxy."""
    inner = (
        f"litellm:custom_llm_provider:openai;model_id:{uuid.uuid4()};"
        f"target_model_names:{alias[:20]};video_id:{upstream}"
    )
    # ASCII `?`, `>` and `~` as the third byte of a 3-byte group encode as `/` or `+`.
    alphabet = string.ascii_letters + "?>~"
    for _ in range(1000):
        salt = "".join(secrets.choice(alphabet) for _ in range(secrets.choice((7, 8, 10, 11))))
        encoded = "video_" + base64.b64encode(f"{inner};salt:{salt}".encode()).decode()
        if 234 <= len(encoded) <= 290 and encoded.endswith("=") and "/" in encoded:
            return encoded
    raise RuntimeError("could not make a LiteLLM-shaped id")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Media: real files, made once per process


class _Media:
    """Rendered MP4s per (size, seconds) and images per size, shared by every server in the
    process: a render takes seconds and its bytes do not depend on the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, ...], threading.Lock] = {}
        self._bytes: dict[tuple[str, ...], bytes] = {}
        self._dir: Path | None = None

    def _directory(self) -> Path:
        with self._lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="videos-api-server-"))
                atexit.register(shutil.rmtree, self._dir, True)
            return self._dir

    def get(self, kind: str, size: str, seconds: str) -> bytes:
        key = (kind, size, seconds if kind == "video" else "")
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one render per key even when downloads race
            if key not in self._bytes:
                self._bytes[key] = self._make(kind, size, int(seconds))
            return self._bytes[key]

    def _make(self, kind: str, size: str, seconds: int) -> bytes:
        if kind == "thumbnail":
            return _image(size, 320, "WEBP")
        if kind == "spritesheet":
            return _spritesheet(size)
        from remixer.providers.local import render_create  # imports PyAV: only when needed

        output = self._directory() / f"{size}-{seconds}s.mp4"
        render_create(
            prompt=RENDER_PROMPT,
            size=size,
            seconds=seconds,
            output=output,
            reference_image=None,
            on_progress=lambda done, total: None,
        )
        return output.read_bytes()


MEDIA = _Media()


def _scaled(size: str, longest: int) -> tuple[int, int]:
    width, height = (int(part) for part in size.split("x"))
    scale = longest / max(width, height)
    return max(2, round(width * scale)), max(2, round(height * scale))


def _image(size: str, longest: int, fmt: str) -> bytes:
    from PIL import Image

    width, height = _scaled(size, longest)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _spritesheet(size: str, columns: int = 4, rows: int = 4) -> bytes:
    from PIL import Image

    tile_w, tile_h = _scaled(size, 128)
    sheet = Image.new("RGB", (tile_w * columns, tile_h * rows))
    for index in range(columns * rows):
        shade = 40 + index * 12
        tile = Image.new("RGB", (tile_w, tile_h), (shade, 90, 255 - shade))
        sheet.paste(tile, ((index % columns) * tile_w, (index // columns) * tile_h))
    out = io.BytesIO()
    sheet.save(out, "JPEG")
    return out.getvalue()


def _image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


# ---------------------------------------------------------------------------------------------
# Request bodies


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Fields and files of a multipart/form-data body."""
    boundary = _header_param(content_type, "content-type", "boundary")
    if not boundary:
        raise ValueError("multipart body without a boundary")
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    # A delimiter is CRLF--boundary; the first one may start the body without the CRLF.
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = _part_headers(head)
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "content-disposition", "name")
        if not name:
            continue
        filename = _header_param(disposition, "content-disposition", "filename")
        if filename is not None or "content-type" in headers:
            files[name] = Upload(filename, headers.get("content-type"), data)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


def _part_headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _header_param(value: str, header: str, param: str) -> str | None:
    message = Message()
    message[header] = value
    found = message.get_param(param, header=header)
    if found is None:
        return None
    return str(found if isinstance(found, str) else found[2])


# ---------------------------------------------------------------------------------------------
# Error and framework answers


def _status_class(status: int) -> str:
    names = {
        400: "BadRequestError",
        401: "AuthenticationError",
        404: "NotFoundError",
        409: "ConflictError",
        422: "UnprocessableEntityError",
        429: "RateLimitError",
    }
    return names.get(status, "InternalServerError" if status >= 500 else "APIError")


def _openai_envelope(error: ApiError) -> JSONDict:
    return {
        "error": {
            "message": error.message,
            "type": error.type,
            "param": error.param,
            "code": error.code,
        }
    }


def _litellm_envelope(error: ApiError) -> JSONDict:
    if not error.upstream:
        return {
            "error": {
                "message": error.message,
                "type": error.type,
                "param": str(error.param),
                "code": str(error.status),
            }
        }
    wrapped = json.dumps(_openai_envelope(error))
    message = f"litellm.{_status_class(error.status)}: OpenAIException - {wrapped}"
    return {"error": {"message": message, "type": None, "param": None, "code": str(error.status)}}


def _fastapi_envelope(error: ApiError) -> JSONDict:
    return {"detail": error.detail if error.detail is not None else error.message}


def _vllm_envelope(error: ApiError) -> JSONDict:
    if error.detail is not None:
        return {"detail": error.detail}
    return {
        "error": {
            "message": error.message,
            "type": _status_class(error.status),
            "param": error.param,
            "code": error.status,
        }
    }


def _newapi_envelope(error: ApiError) -> JSONDict:
    return {
        "error": {
            "message": error.message,
            "type": "new_api_error",
            "param": error.param or "",
            "code": error.code or "",
        }
    }


ERROR_STYLES: dict[str, Callable[[ApiError], JSONDict]] = {
    "openai": _openai_envelope,
    "litellm": _litellm_envelope,
    "fastapi": _fastapi_envelope,
    "vllm": _vllm_envelope,
    "newapi": _newapi_envelope,
}


def framework_answer(framework: str, status: int, method: str, path: str) -> Answer:
    """What the web framework says for a route the server does not have."""
    if framework == "gin":
        text = "404 page not found" if status == 404 else "405 method not allowed"
        return Answer(status, text.encode(), "text/plain")
    if framework == "starlette":
        if status == 404:
            return json_answer(status, {"detail": "Not Found"})
        return json_answer(status, {"detail": "Method Not Allowed"}, Allow="GET")
    message = f"Invalid URL ({method} {path})"
    return json_answer(
        status,
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        },
    )


# ---------------------------------------------------------------------------------------------
# The server


ROUTES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("POST", ("videos",), "create"),
    ("POST", ("videos", "extensions"), "extensions"),
    ("GET", ("videos",), "list"),
    ("GET", ("videos", "{id}"), "retrieve"),
    ("DELETE", ("videos", "{id}"), "delete"),
    ("POST", ("videos", "{id}", "remix"), "remix"),
    ("GET", ("videos", "{id}", "content"), "content"),
)


def match_route(method: str, segments: list[str]) -> tuple[str | None, str | None, bool]:
    """(route name, path id, whether the path exists under another method)."""
    other_method = False
    for route_method, pattern, name in ROUTES:
        if len(pattern) != len(segments):
            continue
        ids = [seg for pat, seg in zip(pattern, segments, strict=True) if pat == "{id}"]
        fixed = all(pat == seg for pat, seg in zip(pattern, segments, strict=True) if pat != "{id}")
        if not fixed:
            continue
        if route_method == method:
            return name, unquote(ids[0]) if ids else None, False
        other_method = True
    return None, None, other_method


class VideosAPIServer:
    """A Videos API server in a background thread; see the module docstring.

    `behaviour` picks a preset from BEHAVIOURS; keyword arguments are Knobs fields or
    Behaviour fields overriding the preset."""

    def __init__(self, behaviour: str = "openai", **knobs: Any) -> None:
        self._lock = threading.RLock()
        self.behaviour: Behaviour = BEHAVIOURS[behaviour]
        self.knobs = Knobs()
        self.requests: list[RecordedRequest] = []
        self.errors: list[str] = []  # tracebacks of the server's own bugs (answered 500)
        self._jobs: dict[str, Job] = {}
        self._faults: list[Fault] = []
        self._sequence = itertools.count()
        self._clock_offset = 0.0
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.set(**knobs)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> VideosAPIServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer((self.knobs.host, self.knobs.port), _Handler)
        httpd.api = self
        self.knobs.port = httpd.server_address[1]  # a restart comes back on the same port
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"videos-api-{self.behaviour.name}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and forget every job, as an in-memory server does on restart."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes hanging answers
        httpd.shutdown()
        httpd.close_connections()  # kept-alive sockets would reach the old state otherwise
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            self._jobs.clear()
            self._faults.clear()

    def __enter__(self) -> VideosAPIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self.knobs.port

    @property
    def url(self) -> str:
        return f"http://{self.knobs.host}:{self.knobs.port}/v1"

    # -- knobs, faults, clock -------------------------------------------------------------

    def set(self, **knobs: Any) -> None:
        """Change knobs or behaviour fields, also while running."""
        knob_names = {f.name for f in dataclasses.fields(Knobs)}
        behaviour_names = {f.name for f in dataclasses.fields(Behaviour)} - {"name"}
        with self._lock:
            for name, value in knobs.items():
                if name in ("host", "port") and self._httpd is not None:
                    raise RuntimeError(f"stop the server before changing {name}")
                if name in knob_names:
                    if name == "models":
                        value = tuple(value)
                    setattr(self.knobs, name, value)
                elif name in behaviour_names:
                    if name in ("drop_keys", "ms_keys"):
                        value = frozenset(value)
                    self.behaviour = dataclasses.replace(self.behaviour, **{name: value})
                else:
                    raise TypeError(f"unknown knob {name!r}")

    def _add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        body: bytes | str | JSONDict | None = None,
        path_prefix: str | None = None,
        method: str | None = None,
        process: bool = False,
    ) -> None:
        """The next n matching requests answer `status` (body: default an error envelope).
        With process=True the request is handled first, so a create does create a job."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        raw = raw.encode() if isinstance(raw, str) else raw
        self._add_fault(
            Fault("fail", n, method, path_prefix, status=status, body=raw, process=process)
        )

    def rate_limit_next(
        self,
        n: int = 1,
        retry_after: float = 1,
        path_prefix: str | None = None,
        method: str | None = None,
    ) -> None:
        self._add_fault(Fault("rate_limit", n, method, path_prefix, seconds=retry_after))

    def hang_next(
        self,
        n: int = 1,
        seconds: float = 5.0,
        path_prefix: str | None = None,
        method: str | None = None,
        path_suffix: str | None = None,
    ) -> None:
        """Handle the next n matching requests, then wait before answering: a create that
        the client gives up on has still created its job."""
        fault = Fault("hang", n, method, path_prefix, seconds=seconds, path_suffix=path_suffix)
        self._add_fault(fault)

    def drop_after_create_next(
        self, n: int = 1, path_prefix: str | None = None, method: str | None = "POST"
    ) -> None:
        """Handle the next n matching requests (creates and remixes by default), then close
        the connection without answering."""
        self._add_fault(Fault("drop", n, method, path_prefix))

    def malformed_json_next(
        self, n: int = 1, path_prefix: str | None = None, method: str | None = None
    ) -> None:
        """Handle the next n matching requests, then answer 200 with truncated JSON."""
        self._add_fault(Fault("malformed", n, method, path_prefix))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
        return None

    def now(self) -> float:
        return time.time() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward: jobs progress without the test waiting."""
        with self._lock:
            self._clock_offset += seconds

    # -- assertions -----------------------------------------------------------------------

    @property
    def jobs(self) -> dict[str, JSONDict]:
        """Every job (deleted ones too, flagged) as a dict, with its status right now."""
        with self._lock:
            return {job_id: job.snapshot(self.now()) for job_id, job in self._jobs.items()}

    def received(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> list[RecordedRequest]:
        """Recorded requests by method and path (decoded or as sent; exact or prefix)."""
        with self._lock:
            records = list(self.requests)

        def path_matches(record: RecordedRequest) -> bool:
            if path is None:
                return True
            if prefix:
                return record.path.startswith(path) or record.raw_path.startswith(path)
            return path in (record.path, record.raw_path)

        return [r for r in records if (method is None or r.method == method) and path_matches(r)]

    def count(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> int:
        return len(self.received(method, path, prefix))

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- handling -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        client: tuple[str, int],
    ) -> Answer:
        """The answer to one request, faults included."""
        split = urlsplit(target)
        path = unquote(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        fields: JSONDict | None = None
        fault = self._take_fault(method, path)
        record_index = self._record(
            RecordedRequest(method, path, split.path, query, headers, body, time.time(), client)
        )
        if fault is not None and fault.kind in ("rate_limit", "fail") and not fault.process:
            return self._fault_answer(fault)
        try:
            answer, fields = self._route(method, split.path, query, headers, body)
        except ApiError as error:
            answer = self._error(error)
        except Exception:
            self.errors.append(traceback.format_exc())
            answer = self._error(ApiError(500, "The server had an error.", type="server_error"))
        if fields is not None:
            self._annotate(record_index, fields)
        return self._apply_fault(fault, answer) if fault is not None else answer

    def _record(self, record: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(record)
            return len(self.requests) - 1

    def _annotate(self, index: int, fields: JSONDict) -> None:
        with self._lock:
            self.requests[index] = dataclasses.replace(self.requests[index], fields=fields)

    def _fault_answer(self, fault: Fault) -> Answer:
        if fault.kind == "rate_limit":
            error = ApiError(
                429, "Rate limit reached for requests.", type="requests", code="rate_limit_exceeded"
            )
            answer = self._error(error)
            answer.headers["Retry-After"] = f"{fault.seconds:g}"
            return answer
        if fault.body is not None:
            return Answer(fault.status, fault.body)
        return self._error(
            ApiError(
                fault.status,
                "The server had an error while processing your request. Sorry about that!",
                type="server_error",
            )
        )

    def _apply_fault(self, fault: Fault, answer: Answer) -> Answer:
        if fault.kind == "fail":
            return self._fault_answer(fault)
        if fault.kind == "drop":
            return Answer(0, drop=True)
        if fault.kind == "malformed":
            full = answer.body if answer.content_type == "application/json" else b'{"id": "x"}'
            return Answer(200, full[: max(1, len(full) // 2)])
        if fault.kind == "hang":
            self._stopping.wait(fault.seconds)
        return answer

    def _error(self, error: ApiError) -> Answer:
        return json_answer(error.status, ERROR_STYLES[self.behaviour.error_style](error))

    def _authorised(self, headers: dict[str, str]) -> bool:
        key = self.knobs.api_key
        if key is None:
            return True
        if self.knobs.auth_header.lower() == "authorization":
            return headers.get("authorization") == f"Bearer {key}"
        return headers.get(self.knobs.auth_header.lower()) == key

    def _route(
        self,
        method: str,
        raw_path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[Answer, JSONDict | None]:
        segments = raw_path.split("/")
        lookup = "GET" if method == "HEAD" else method
        name, video_id, other_method = (None, None, False)
        if segments[:2] == ["", "v1"]:
            name, video_id, other_method = match_route(lookup, segments[2:])
        if raw_path == "/openapi.json" and lookup == "GET" and self.behaviour.openapi:
            return json_answer(200, openapi_document(self.behaviour)), None
        if not self._authorised(headers):
            raise self._auth_error(headers)
        framework = self.behaviour.framework
        if name is None:
            return framework_answer(framework, 405 if other_method else 404, method, raw_path), None
        missing = self.behaviour.missing_routes.get(name)
        if missing in (404, 405):
            return framework_answer(framework, missing, method, raw_path), None
        if missing is not None:
            raise ApiError(missing, f"This server does not support {method} {raw_path}.")
        if name in ("create", "remix", "extensions"):
            fields = self._fields(name, headers, body)
            return getattr(self, f"_{name}")(video_id, fields), _summary(fields)
        handler = getattr(self, f"_{name}")
        return (handler(video_id, query) if video_id is not None else handler(query)), None

    def _auth_error(self, headers: dict[str, str]) -> ApiError:
        given = headers.get(self.knobs.auth_header.lower())
        if not given:
            message = (
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            )
            return ApiError(401, message, upstream=False)
        return ApiError(401, "Incorrect API key provided.", code="invalid_api_key", upstream=False)

    # -- bodies ---------------------------------------------------------------------------

    def _fields(self, route: str, headers: dict[str, str], body: bytes) -> JSONDict:
        content_type = headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            if not self.behaviour.form_create:
                raise ApiError(400, "Request body must be JSON (Content-Type: application/json).")
            form, files = parse_multipart(body, content_type)
            return {**form, **files}
        if route == "create" and not self.behaviour.json_create:
            loc = ["body", "prompt"]
            raise ApiError(
                422,
                "Field required",
                detail=[{"type": "missing", "loc": loc, "msg": "Field required", "input": None}],
            )
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(body.decode(), keep_blank_values=True))
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            raise ApiError(400, "We could not parse the JSON body of your request.") from None
        if not isinstance(payload, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        return payload

    # -- routes ---------------------------------------------------------------------------

    def _create(self, _: None, fields: JSONDict) -> Answer:
        prompt = self._prompt(fields)
        model = self._model(fields.get("model"))
        seconds = self._seconds(fields.get("seconds", "4"))
        size = self._size(fields.get("size", "720x1280"))
        reference = self._source(fields)
        if isinstance(reference, Upload) and self.behaviour.validate:
            self._check_reference(reference, size)
        job = self._add_job(prompt, model, size, seconds, reference=reference)
        return self._video_answer(job)

    def _source(self, fields: JSONDict) -> Upload | None:
        """The create's image or video, as this behaviour takes it (video_reference as sent)."""
        reference = fields.get("input_reference")
        video_url = fields.get("video_reference")
        if self.behaviour.references != "video":
            video_url = None  # a field the server lacks is ignored, as FastAPI forms do
        if reference is not None and video_url is not None:
            raise ApiError(400, "Give input_reference or video_reference, not both.")
        if video_url is not None:
            return _video_reference(video_url)
        if not isinstance(reference, Upload) or self.behaviour.references == "image":
            if isinstance(reference, Upload) and _image_size(reference.data) is None:
                raise ApiError(
                    400, "The input_reference is not a supported image.", param="input_reference"
                )
            return reference if isinstance(reference, Upload) else None
        if reference.data[4:8] != b"ftyp" and _image_size(reference.data) is None:
            raise ApiError(400, "input_reference must be an image or an MP4 video.")
        return reference

    def _remix(self, video_id: str, fields: JSONDict) -> Answer:
        source = self._job(video_id)
        prompt = self._prompt(fields)
        if source.state(self.now(), "smooth")[0] != "completed":
            raise ApiError(
                400,
                f"Video '{video_id}' is not completed; only completed videos can be remixed.",
                param="video_id",
                code="invalid_request",
            )
        job = self._add_job(
            prompt, source.model, source.size, source.seconds, remixed_from=source.id
        )
        return self._video_answer(job)

    def _extensions(self, _: None, fields: JSONDict) -> Answer:
        """The whole, longer video: the source's seconds and the new segment's."""
        reference = fields.get("video")
        video_id = reference.get("id") if isinstance(reference, dict) else fields.get("video[id]")
        if not isinstance(video_id, str) or not video_id:
            raise ApiError(400, "Missing required parameter: 'video'.", param="video")
        source = self._job(video_id)
        prompt = self._prompt(fields)
        seconds = str(fields.get("seconds"))
        if seconds not in EXTEND_SECONDS:
            raise ApiError(
                400,
                f"Invalid value: '{seconds}'. Supported values are: '4', '8', '12', '16', '20'.",
                param="seconds",
                code="invalid_value",
            )
        if source.state(self.now(), "smooth")[0] != "completed":
            raise ApiError(400, f"Video '{video_id}' is not completed.", param="video")
        total = str(int(source.seconds) + int(seconds))
        job = self._add_job(prompt, source.model, source.size, total, remixed_from=source.id)
        return self._video_answer(job)

    def _retrieve(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        answer = self._video_answer(job)
        if self._status(job) == "failed":
            answer.status = self.behaviour.failed_retrieve_status
        if self.knobs.poll_after_ms is not None:
            answer.headers["openai-poll-after-ms"] = str(self.knobs.poll_after_ms)
        return answer

    def _list(self, query: dict[str, str]) -> Answer:
        limit = self._limit(query.get("limit", "20"))
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise ApiError(
                400,
                f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.",
                param="order",
                code="invalid_value",
            )
        with self._lock:
            jobs = sorted(
                (j for j in self._jobs.values() if not j.deleted),
                key=lambda j: j.sequence,
                reverse=order == "desc",
            )
        after = query.get("after")
        if after:
            ids = [j.id for j in jobs]
            jobs = jobs[ids.index(after) + 1 :] if after in ids else []
        page = jobs[:limit]
        data = [self._present(job) for job in page]
        return json_answer(
            200,
            {
                "object": "list",
                "data": data,
                "first_id": page[0].id if page else None,
                "last_id": page[-1].id if page else None,
                "has_more": len(jobs) > limit,
            },
        )

    def _delete(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        status = self._status(job)
        blocked = self.behaviour.delete_running_status
        if blocked and status in ("queued", "in_progress"):
            raise ApiError(
                blocked,
                f"Video '{video_id}' is {status}; only completed or failed videos can be deleted.",
                param="video_id",
            )
        with self._lock:
            job.deleted = True
        if self.behaviour.delete_answer == "video":
            return json_answer(200, self._present(job, status="deleted"))
        return json_answer(200, {"id": job.id, "object": "video.deleted", "deleted": True})

    def _content(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        variant = self._variant(query)
        if self._status(job) != "completed":
            raise ApiError(
                404,
                f"Video '{video_id}' is not ready yet; retrieve it to check its status.",
                code="video_not_ready",
            )
        expires = self._expires_at(job)
        if expires is not None and self.now() > expires:
            raise ApiError(
                404, f"The assets of video '{video_id}' have expired.", code="video_expired"
            )
        data = MEDIA.get(variant, job.size, job.seconds)
        return self._content_faults(variant, data)

    def _variant(self, query: dict[str, str]) -> str:
        variant = query.get("variant")
        mode = self.behaviour.content_mode
        if mode == "always_video":
            return "video"
        if mode == "no_variant" and variant is not None:
            raise ApiError(404, "Not Found")
        if variant is None:
            return "video"
        if variant not in ("video", "thumbnail", "spritesheet"):
            raise ApiError(
                400,
                f"Invalid value: '{variant}'. Supported values are: 'video', "
                "'thumbnail', and 'spritesheet'.",
                param="variant",
                code="invalid_value",
            )
        return variant

    def _content_faults(self, variant: str, data: bytes) -> Answer:
        labels = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
        label = labels[variant] if self.behaviour.content_mode != "always_video" else "video/mp4"
        mislabel = self.knobs.mislabel_content
        if isinstance(mislabel, str):
            label = mislabel
        elif mislabel:
            label = "text/plain" if label == "video/mp4" else "video/mp4"
        if self.behaviour.video_body == "webpage" and variant == "video":
            data = WEBPAGE
        corrupt = self.knobs.corrupt_content
        if corrupt and variant == "video":
            data = _corrupted(data, "head" if corrupt == "head" else "middle")
        answer = Answer(200, data, label)
        if self.knobs.truncate_content == "file":
            answer.body = data[: len(data) // 2]
        elif self.knobs.truncate_content == "body":
            answer.body, answer.length, answer.close = data[: len(data) // 2], len(data), True
        return answer

    # -- validation -----------------------------------------------------------------------

    def _prompt(self, fields: JSONDict) -> str:
        prompt = fields.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            raise ApiError(
                400,
                "Missing required parameter: 'prompt'.",
                param="prompt",
                code="missing_required_parameter",
            )
        if len(prompt) > MAX_PROMPT:
            raise ApiError(
                400,
                f"Invalid 'prompt': string too long. Expected a string with "
                f"maximum length {MAX_PROMPT}, but got a string with length "
                f"{len(prompt)} instead.",
                param="prompt",
                code="string_above_max_length",
            )
        return prompt

    def _model(self, requested: Any) -> str:
        behaviour, knobs = self.behaviour, self.knobs
        model = requested or behaviour.default_model or knobs.served_model
        if behaviour.model_check == "any":
            return str(model)
        if behaviour.model_check == "provider":
            if "/" not in str(model):
                raise ApiError(
                    400, f"Model `{model}` must be given as provider/model.", param="model"
                )
            return str(model)
        allowed = (*knobs.models, knobs.model_alias) if behaviour.alias_model else knobs.models
        if behaviour.model_check == "served":
            allowed = (knobs.served_model,)
        if model not in allowed:
            raise ApiError(
                behaviour.model_error_status,
                f"The model `{model}` does not exist or you do not have access to it.",
                param="model",
                code="model_not_found",
            )
        return str(model)

    def _seconds(self, value: Any) -> str:
        if self.behaviour.validate:
            if not isinstance(value, str):
                raise ApiError(
                    400,
                    "Invalid type for 'seconds': expected one of '4', '8', or "
                    f"'12', but got {type(value).__name__} instead.",
                    param="seconds",
                    code="invalid_type",
                )
            if value not in SECONDS:
                raise ApiError(
                    400,
                    f"Invalid value: '{value}'. Supported values are: '4', '8', and '12'.",
                    param="seconds",
                    code="invalid_value",
                )
            return value
        text = str(value)
        if not text.isdigit() or not 1 <= int(text) <= 60:
            raise ApiError(
                400, f"seconds must be a whole number from 1 to 60, not {text!r}", param="seconds"
            )
        return str(int(text))

    def _size(self, value: Any) -> str:
        text = str(value)
        if self.behaviour.validate and text not in SIZES:
            raise ApiError(
                400,
                f"Invalid value: '{text}'. Supported values are: '720x1280', "
                "'1280x720', '1024x1792', and '1792x1024'.",
                param="size",
                code="invalid_value",
            )
        parts = text.split("x")
        if not (
            len(parts) == 2
            and all(p.isdigit() and 2 <= int(p) <= 4096 and int(p) % 2 == 0 for p in parts)
        ):
            raise ApiError(
                400, f"size must be WIDTHxHEIGHT with even sides, not {text!r}", param="size"
            )
        return text

    def _check_reference(self, reference: Upload, size: str) -> None:
        found = _image_size(reference.data)
        if found is None:
            raise ApiError(
                400,
                "The input_reference is not a supported image.",
                param="input_reference",
                code="invalid_image",
            )
        if f"{found[0]}x{found[1]}" != size:
            raise ApiError(
                400,
                "Inpaint image must match the requested width and height",
                param="input_reference",
                code="invalid_value",
            )

    def _limit(self, value: str) -> int:
        if not value.isdigit() or int(value) > 100:
            raise ApiError(
                400,
                f"Invalid 'limit': expected an integer from 0 to 100, got '{value}'.",
                param="limit",
                code="invalid_value",
            )
        return int(value)

    # -- jobs -----------------------------------------------------------------------------

    def _add_job(
        self,
        prompt: str,
        model: str,
        size: str,
        seconds: str,
        *,
        reference: Any = None,
        remixed_from: str | None = None,
    ) -> Job:
        knobs = self.knobs
        outcome = "completed"
        if knobs.fail_word and knobs.fail_word in prompt:
            outcome = "failed"
        elif knobs.stall_word and knobs.stall_word in prompt:
            outcome = "stall"
        upstream = _new_id(self.behaviour.id_style)
        public = upstream
        if self.behaviour.id_style == "litellm":
            upstream = _new_id("openai")
            public = litellm_id(upstream, knobs.model_alias)
        job = Job(
            public,
            upstream,
            model,
            prompt,
            size,
            seconds,
            self.now(),
            knobs.job_seconds,
            outcome,
            remixed_from=remixed_from,
            input_reference=reference,
            sequence=next(self._sequence),
        )
        with self._lock:
            self._jobs[job.id] = job
        return job

    def _job(self, video_id: str) -> Job:
        if self.behaviour.routed_ids:
            return self._routed_job(video_id)
        with self._lock:
            job = self._jobs.get(video_id)
        if job is None or job.deleted:
            raise ApiError(
                404, f"Video with id '{video_id}' not found.", param="video_id", code="not_found"
            )
        return job

    def _routed_job(self, video_id: str) -> Job:
        """Bifrost: `{id}:{provider}`, the provider being the prefix of the job's model."""
        bare, colon, provider = video_id.rpartition(":")
        if not colon:
            raise ApiError(
                400, "The video id must name its provider: {id}:{provider}.", param="video_id"
            )
        with self._lock:
            job = self._jobs.get(bare)
        if job is None or job.deleted or job.model.partition("/")[0] != provider:
            raise ApiError(
                404, f"Video with id '{video_id}' not found.", param="video_id", code="not_found"
            )
        return job

    def _status(self, job: Job) -> str:
        return job.state(self.now(), self.behaviour.progress_style)[0]

    def _expires_at(self, job: Job) -> float | None:
        if self.knobs.expires_in is None:
            return None
        return job.finished_at() + self.knobs.expires_in

    # -- presenting -----------------------------------------------------------------------

    def _video_answer(self, job: Job) -> Answer:
        return json_answer(200, self._present(job))

    def _present(self, job: Job, status: str | None = None) -> JSONDict:
        """The Video object as this behaviour writes it."""
        behaviour = self.behaviour
        state, progress = job.state(self.now(), behaviour.progress_style)
        done = state in ("completed", "failed")
        completed_at = int(job.finished_at()) if done else None
        expires = self._expires_at(job) if state == "completed" else None
        video: JSONDict = {
            "id": job.id,
            "object": "video",
            "model": self.knobs.model_alias if behaviour.alias_model else job.model,
            "status": self._word(status or state),
            "progress": progress,
            "created_at": int(job.created),
            "completed_at": completed_at,
            "expires_at": int(expires) if expires is not None else None,
            "prompt": job.prompt,
            "size": job.size,
            "seconds": job.seconds,
            "remixed_from_video_id": self._source_id(job),
            "error": self._video_error() if state == "failed" else None,
        }
        for key in behaviour.ms_keys:
            if video.get(key) is not None:
                video[key] = int((job.created if key == "created_at" else job.finished_at()) * 1000)
        for key in behaviour.extra_keys:
            video[key] = EXTRAS[key](job)
        for key in behaviour.drop_keys:
            video.pop(key, None)
        if behaviour.omit_nulls:
            video = {key: value for key, value in video.items() if value is not None}
        return video

    def _source_id(self, job: Job) -> str | None:
        if job.remixed_from is None or not self.behaviour.upstream_remix_source:
            return job.remixed_from
        with self._lock:
            source = self._jobs.get(job.remixed_from)
        return source.upstream_id if source else job.remixed_from

    def _video_error(self) -> JSONDict:
        if self.behaviour.error_code_in_video:
            return dict(MODERATION_ERROR)
        return {"message": MODERATION_ERROR["message"]}

    def _word(self, status: str) -> str:
        word = self.knobs.status_words.get(status, status)
        case = self.knobs.status_case
        return {"upper": word.upper(), "lower": word.lower(), "title": word.title()}.get(
            case or "", word
        )


def _video_reference(value: Any) -> Upload:
    """vLLM-Omni's video_reference: a JSON string {"video_url": "data:video/mp4;base64,…"}."""
    try:
        url = json.loads(value)["video_url"]
        head, _, data = url.partition(",")
        video = base64.b64decode(data, validate=True)
    except (ValueError, TypeError, KeyError) as error:
        raise ApiError(400, f"video_reference is not valid: {error}") from None
    if head != "data:video/mp4;base64" or video[4:8] != b"ftyp":
        raise ApiError(400, "video_reference must hold an MP4 video as a data URL.")
    return Upload("video_reference", "video/mp4", video)


def openapi_document(behaviour: Behaviour) -> JSONDict:
    """What FastAPI publishes for this server: its routes, and the create's form fields."""
    optional = [{"type": "string"}, {"type": "null"}]
    upload = [{"type": "string", "format": "binary"}, {"type": "null"}]
    video = behaviour.references == "video"
    fields: JSONDict = {
        "prompt": {"type": "string", "title": "Prompt"},
        "model": {"anyOf": optional, "title": "Model"},
        "size": {"anyOf": optional, "title": "Size"},
        "seconds": {"anyOf": optional, "title": "Seconds"},
        "input_reference": {
            "anyOf": upload,
            "description": "A reference image or video file" if video else "A reference image",
        },
    }
    media_types = "image/png, image/jpeg, image/webp" + (", video/mp4" if video else "")
    if video:
        fields["video_reference"] = {
            "anyOf": optional,
            "description": 'JSON: {"video_url": "https://… or data:video/mp4;base64,…"}',
        }
    body = "Body_create_video_v1_videos_post"
    create = {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"$ref": f"#/components/schemas/{body}"},
                    "encoding": {"input_reference": {"contentType": media_types}},
                }
            },
        }
    }
    paths: JSONDict = {
        "/v1/videos": {"post": create, "get": {}},
        "/v1/videos/{video_id}": {"get": {}, "delete": {}},
        "/v1/videos/{video_id}/content": {"get": {}},
    }
    if "remix" not in behaviour.missing_routes:
        paths["/v1/videos/{video_id}/remix"] = {"post": {}}
    schema = {"type": "object", "properties": fields, "required": ["prompt"]}
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": {body: schema}}}


def _summary(fields: JSONDict) -> JSONDict:
    """Fields as recorded: uploads summarised, so records stay readable."""
    return {
        key: {
            "filename": value.filename,
            "content_type": value.content_type,
            "size": len(value.data),
        }
        if isinstance(value, Upload)
        else value
        for key, value in fields.items()
    }


def _corrupted(data: bytes, where: str) -> bytes:
    """The same length with a block of bytes inverted: in the media data (middle) or over the
    container's header boxes (head), which no demuxer gets past."""
    start, length = (len(data) // 2, 512) if where == "middle" else (0, 512)
    block = bytes(b ^ 0xFF for b in data[start : start + length])
    return data[:start] + block + data[start + length :]


# ---------------------------------------------------------------------------------------------
# HTTP plumbing


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    api: VideosAPIServer

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall without DNS.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.api.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests and httpx expect
    server_version = "videos-api-server/1"
    timeout = 30  # an idle kept-alive connection gives up its thread after this
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # quiet: tests read server.requests instead

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        body = self._read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        client = (str(self.client_address[0]), int(self.client_address[1]))
        answer = self.server.api.handle(self.command, self.path, headers, body, client)
        try:
            self._send(answer)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nothing to do

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, answer: Answer) -> None:
        if answer.drop:
            self.close_connection = True
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        length = answer.length if answer.length is not None else len(answer.body)
        self.send_header("Content-Length", str(length))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)
        self.wfile.flush()


@contextlib.contextmanager
def serve(behaviour: str = "openai", **knobs: Any) -> Iterator[VideosAPIServer]:
    """A started server, stopped on exit."""
    server = VideosAPIServer(behaviour, **knobs)
    with server:
        yield server
