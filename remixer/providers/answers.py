"""Reading what a Videos API server answers (statuses, progress, times and errors), and
what a failed request says of whether it reached the server.

Only `id` is certain in an answer; every other key may be missing, null or of a looser type,
statuses come in many words, timestamps may be milliseconds, and errors come in three
envelopes (docs: VIDEOS_API.md, "Answers").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from remixer.providers import ProviderError, Submission

if TYPE_CHECKING:
    from remixer.providers.transport import Response

MAX_RETRY_AFTER = 3600.0  # a provider's Retry-After is believed up to an hour
STATUS_WORDS = {
    "queued": {"queued", "pending", "submitted", "created", "starting", "preparing"},
    "in_progress": {"in_progress", "processing", "running", "generating"},
    "completed": {"completed", "complete", "succeeded", "success", "finished", "done"},
    "failed": {"failed", "failure", "error", "cancelled", "canceled", "expired"},
    "deleted": {"deleted"},
}
MODERATION_HINTS = ("moderation", "safety", "content_policy", "blocked", "prohibited")


def normalise_status(value: Any) -> str | None:
    """The API's word for a status, "deleted", or None for a word we do not know."""
    word = str(value or "").strip().lower()
    return next((status for status, words in STATUS_WORDS.items() if word in words), None)


def clamp_progress(value: Any) -> int:
    try:
        return max(0, min(100, int(float(value))))
    except (TypeError, ValueError, OverflowError):  # None, "x", NaN, Infinity
        return 0


def unix_seconds(value: Any) -> int | None:
    """Unix seconds from seconds or milliseconds (anything above 10^11 is milliseconds)."""
    try:
        number = float(value)
        return int(number / 1000 if number > 1e11 else number)
    except (TypeError, ValueError, OverflowError):  # None, "x", NaN, Infinity
        return None


def read_error(body: Any, status: int) -> tuple[str, str]:
    """(code, message) from OpenAI's, FastAPI's or LiteLLM's error envelope."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        message = str(error.get("message") or "")
        inner = embedded_error(message)
        if inner is not None:
            return inner
        return str(error.get("code") or error.get("type") or status), message
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        if isinstance(detail, list):
            detail = "; ".join(str(item.get("msg", item)) for item in detail if item)
        return str(status), str(detail)
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(status), body["error"]
    return str(status), f"HTTP {status}"


def is_list(response: Response) -> bool:
    body = parse_json(response)
    return (
        response.status_code == 200
        and isinstance(body, dict)
        and isinstance(body.get("data"), list)
    )


def api_refusal(response: Response) -> bool:
    """A 4xx that a Videos API wrote, not its web framework's word for an unknown path."""
    body = parse_json(response) if 400 <= response.status_code < 500 else None
    if not isinstance(body, dict):
        return False
    error, detail = body.get("error"), body.get("detail")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return not error["message"].startswith("Invalid URL")
    return isinstance(detail, str) and detail not in ("Not Found", "Method Not Allowed")


def embedded_error(message: str) -> tuple[str, str] | None:
    """LiteLLM wraps the upstream's JSON error inside its own message string."""
    start = message.find("{")
    if start < 0:
        return None
    try:
        inner = json.loads(message[start:])
    except ValueError:
        return None
    if isinstance(inner, dict) and isinstance(inner.get("error"), dict):
        error = inner["error"]
        return str(error.get("code") or error.get("type") or "error"), str(error.get("message"))
    return None


def submission_from(answer: dict[str, Any], poll_after: float | None = None) -> Submission:
    error = answer.get("error")
    return Submission(
        provider_video_id=str(answer["id"]),
        status=normalise_status(answer.get("status")),
        progress=clamp_progress(answer.get("progress")),
        raw=answer,
        error=(
            (str(error.get("code") or "failed"), str(error.get("message") or ""))
            if isinstance(error, dict)
            else None
        ),
        expires_at=unix_seconds(answer.get("expires_at")),
        poll_after=poll_after,
    )


def creator_message(code: str, message: str, status: int, model: str = "") -> ProviderError:
    """Turn what a provider said into words a creator understands."""
    lowered = f"{code} {message}".lower()
    if status in (401, 403):
        return ProviderError("key_refused", "The provider refused remixer's key.", raw=message)
    if "model" in lowered and ("not" in lowered or "unknown" in lowered or "invalid" in lowered):
        return ProviderError(
            "model_unavailable",
            f"The provider no longer offers this model{f' ({model})' if model else ''}.",
            raw=message,
        )
    if any(hint in lowered for hint in MODERATION_HINTS):
        return ProviderError(
            "prompt_rejected", f"The provider rejected the prompt: {message}", raw=message
        )
    return ProviderError(code or "provider_error", f"The provider refused: {message}", raw=message)


def asked_for(answer: dict[str, Any], asked: Mapping[str, str], since: int) -> bool:
    """Whether a listed job is the one asked for (keys a server leaves out count as equal)."""
    if any(key in answer and str(answer[key]) != value for key, value in asked.items()):
        return False
    created = unix_seconds(answer.get("created_at"))
    return created is None or created >= since


def parse_json(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def has_video(response: Response) -> bool:
    body = parse_json(response)
    return isinstance(body, dict) and bool(body.get("id")) and "status" in body


def retry_after(response: Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        wait = float(value)
    except ValueError:
        return 10.0
    return min(max(0.0, wait), MAX_RETRY_AFTER) if math.isfinite(wait) else 10.0


def poll_after_header(response: Response) -> float | None:
    value = response.headers.get("openai-poll-after-ms")
    try:
        wait = float(value) / 1000 if value else None
    except ValueError:
        return None
    return wait if wait is None or math.isfinite(wait) else None


def rate_limited(wait: float) -> ProviderError:
    return ProviderError("rate_limited", "The provider is rate-limiting.", retry_after=wait)


def outcome_unknown(status: int | None = None, *, unanswered: bool = False) -> ProviderError:
    """A create that may have started a job: never sent again. `unanswered`: it timed out
    or its connection broke, with no answer at all."""
    said = f" (it answered HTTP {status})" if status else ""
    return ProviderError(
        "outcome_unknown",
        "The provider did not confirm the submission" + said + ", so remixer cannot tell "
        "whether the job started. It was not sent again, to avoid a second bill: check the "
        "provider's own list of jobs before you retry.",
        unanswered=unanswered,
    )


def download_failed(reason: str, *, unanswered: bool = False) -> ProviderError:
    return ProviderError(
        "download_failed",
        f"Copying the video failed: {reason}.",
        retry_after=30,
        unanswered=unanswered,
    )


def unreachable(error: BaseException, *, timed_out: bool, retry_after: float) -> ProviderError:
    """No answer: the connection was refused or broke, or the answer did not come in time."""
    said = "did not answer in time" if timed_out else "cannot be reached"
    return ProviderError(
        "unreachable",
        f"The provider {said}.",
        raw=f"{type(error).__name__}: {error}"[:2000],
        retry_after=retry_after,
        unanswered=True,
    )


def provider_time(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
