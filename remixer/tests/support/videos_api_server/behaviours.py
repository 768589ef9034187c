"""Behaviours, each a preset of the deviations in VIDEOS_API.md, and the knobs a test turns."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field


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
    extra_keys: tuple[str, ...] = ()  # unknown keys seen in the wild, see presenting.EXTRAS
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
