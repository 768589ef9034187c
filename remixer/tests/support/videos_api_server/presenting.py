"""The Video object as each behaviour writes it: its keys, words, timestamps and extras."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from remixer.tests.support.videos_api_server.answers import JSONDict
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs
from remixer.tests.support.videos_api_server.jobs import ServerJob

MODERATION_ERROR = {
    "code": "moderation_blocked",
    "message": "Your request was blocked by our moderation system.",
}
# Keys seen in the wild that the API does not have (Behaviour.extra_keys names them).
EXTRAS: dict[str, Callable[[ServerJob], Any]] = {
    "usage": lambda job: {"duration_seconds": float(job.seconds)},
    "file_path": lambda job: f"/outputs/{job.id}.mp4",
    "quality": lambda job: "standard",
}


def present(
    job: ServerJob,
    behaviour: Behaviour,
    knobs: Knobs,
    now: float,
    source_id: str | None,
    status: str | None = None,
) -> JSONDict:
    """The Video object as this behaviour writes it; `source_id` is its remixed_from_video_id."""
    state, progress = job.state(now, behaviour.progress_style)
    done = state in ("completed", "failed")
    completed_at = int(job.finished_at()) if done else None
    expires = expires_at(job, knobs) if state == "completed" else None
    video: JSONDict = {
        "id": job.id,
        "object": "video",
        "model": knobs.model_alias if behaviour.alias_model else job.model,
        "status": _word(status or state, knobs),
        "progress": progress,
        "created_at": int(job.created),
        "completed_at": completed_at,
        "expires_at": int(expires) if expires is not None else None,
        "prompt": job.prompt,
        "size": job.size,
        "seconds": job.seconds,
        "remixed_from_video_id": source_id,
        "error": _video_error(behaviour) if state == "failed" else None,
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


def expires_at(job: ServerJob, knobs: Knobs) -> float | None:
    """When a finished job's downloads expire; None: never."""
    if knobs.expires_in is None:
        return None
    return job.finished_at() + knobs.expires_in


def _video_error(behaviour: Behaviour) -> JSONDict:
    if behaviour.error_code_in_video:
        return dict(MODERATION_ERROR)
    return {"message": MODERATION_ERROR["message"]}


def _word(status: str, knobs: Knobs) -> str:
    word = knobs.status_words.get(status, status)
    case = knobs.status_case
    return {"upper": word.upper(), "lower": word.lower(), "title": word.title()}.get(
        case or "", word
    )
