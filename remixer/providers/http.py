"""Any server that speaks the OpenAI Videos API, reached with `requests`.

Servers that speak this API deviate in small ways (docs: VIDEOS_API.md): only `id` is
certain in an answer, statuses come in many words, timestamps may be milliseconds, and
errors come in three envelopes. Everything here reads answers leniently and never
re-sends a create that may have reached the server.
"""

import dataclasses
import json
import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from remixer.providers import Assets, Job, ProgressCallback, ProviderError, Submission

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30
DOWNLOAD_READ_TIMEOUT = 60
GET_ATTEMPTS = 3
MAX_INLINE_WAIT = 5.0  # longer waits go back to the task queue instead of blocking a worker
MAX_RETRY_AFTER = 3600.0  # a provider's Retry-After is believed up to an hour
CHUNK = 1024 * 1024

STATUS_WORDS = {
    "queued": {"queued", "pending", "submitted", "created", "starting", "preparing"},
    "in_progress": {"in_progress", "processing", "running", "generating"},
    "completed": {"completed", "complete", "succeeded", "success", "finished", "done"},
    "failed": {"failed", "failure", "error", "cancelled", "canceled", "expired"},
    "deleted": {"deleted"},
}
MAGIC = {
    "thumbnail": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "spritesheet": (lambda head: head[:3] == b"\xff\xd8\xff"),
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


def is_list(response: requests.Response) -> bool:
    body = parse_json(response)
    return (
        response.status_code == 200
        and isinstance(body, dict)
        and isinstance(body.get("data"), list)
    )


def api_refusal(response: requests.Response) -> bool:
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


@dataclass(frozen=True)
class Settings:
    """What the HTTP provider needs from a Provider row (never stored in task arguments)."""

    base_url: str
    api_key: str
    auth_header: str = "authorization"
    body_encoding: str = "multipart"
    extra_fields: dict[str, Any] | None = None
    read_timeout: float = READ_TIMEOUT


class HttpProvider:
    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        self.session.headers.update(self.auth_headers())

    @property
    def timeouts(self) -> tuple[float, float]:
        return (CONNECT_TIMEOUT, self.settings.read_timeout)

    def auth_headers(self) -> dict[str, str]:
        if not self.settings.api_key:
            return {}
        if self.settings.auth_header == "api-key":
            return {"api-key": self.settings.api_key}
        return {"Authorization": f"Bearer {self.settings.api_key}"}

    def url(self, *parts: str) -> str:
        # Ids may hold any character; ":" is left as is, as Bifrost's `{id}:{provider}` is sent.
        encoded = "/".join(quote(part, safe=":") for part in parts)
        return f"{self.settings.base_url.rstrip('/')}/videos{'/' + encoded if encoded else ''}"

    # The provider interface

    def create(self, job: Job, on_progress: ProgressCallback) -> Submission:
        fields: dict[str, Any] = {
            **(self.settings.extra_fields or {}),
            "prompt": job.prompt,
            "seconds": str(job.seconds),
            "size": job.size,
        }
        if job.model:
            fields["model"] = job.model
        return self.submit(self.url(), fields, job.reference_image, model=job.model)

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission:
        if not job.source_provider_video_id:
            raise ProviderError("source_missing", "The source video has no job at this provider.")
        url = self.url(job.source_provider_video_id, "remix")
        return self.submit(url, {"prompt": job.prompt}, None, model=job.model, is_remix=True)

    def status(self, provider_video_id: str) -> Submission:
        response = self.get(self.url(provider_video_id))
        body = parse_json(response)
        if isinstance(body, dict) and body.get("id") and "status" in body:
            return submission_from(body, poll_after_header(response))  # even on 4xx/5xx
        if response.status_code == 404:
            raise ProviderError(
                "job_gone", "The provider no longer knows this job (it may have restarted)."
            )
        if response.ok:
            raise ProviderError(
                "unreadable_answer",
                "The provider sent an answer remixer could not read; remixer will retry.",
                raw=response.text[:2000],
                retry_after=15,
            )
        raise self.failure(response, body)

    def fetch_assets(
        self, provider_video_id: str, workdir: Path, on_progress: ProgressCallback | None = None
    ) -> Assets:
        video = workdir / "video.mp4"
        self.download(self.url(provider_video_id, "content"), {}, video, on_progress=on_progress)
        extras = {}
        for variant in ("thumbnail", "spritesheet"):
            path = workdir / f"provider-{variant}"
            params = {"variant": variant}
            if self.download(self.url(provider_video_id, "content"), params, path, optional=True):
                extras[variant] = path if MAGIC[variant](path.read_bytes()[:12]) else None
        return Assets(
            video=video, thumbnail=extras.get("thumbnail"), spritesheet=extras.get("spritesheet")
        )

    def find(self, asked: Mapping[str, str], *, since: int, exclude: set[str]) -> Submission | None:
        """The job a create made, found in the provider's list by what was asked for.

        `asked` holds the prompt, size and seconds sent, as text.
        """
        try:
            response = self.get(self.url(), params={"limit": 100, "order": "desc"})
        except ProviderError:
            return None
        body = parse_json(response)
        if not response.ok or not isinstance(body, dict) or not isinstance(body.get("data"), list):
            return None
        for answer in body["data"]:
            fresh = isinstance(answer, dict) and answer.get("id") and answer["id"] not in exclude
            if fresh and asked_for(answer, asked, since):
                return submission_from(answer)
        return None

    def delete(self, provider_video_id: str) -> bool | None:
        """Best effort: whatever the server answers, the local delete goes ahead.

        True: deleted there; False: the server has no delete; None: it could not tell.
        """
        try:
            response = self.session.delete(self.url(provider_video_id), timeout=self.timeouts)
        except requests.RequestException:
            return None
        if response.status_code == 405:
            return False
        return True if response.ok else None

    def check(self) -> dict[str, Any]:
        """Learn without starting a job: does it answer, is the key good, can it list.

        It passes only on the list's answer, or on a 4xx in a Videos API's own error shape
        (to the list, or for a video that does not exist): a server whose every path
        answers its web framework's 404 does not.
        """
        try:
            listing = self.session.get(self.url(), params={"limit": 1}, timeout=self.timeouts)
            probe = self.session.get(
                self.url("video_remixer_connection_check"), timeout=self.timeouts
            )
        except requests.RequestException as error:
            return {"reachable": False, "message": f"The server cannot be reached: {error}"}
        if listing.status_code in (401, 403) or probe.status_code in (401, 403):
            return {"reachable": True, "message": "The server answers but refuses the key."}
        lists = is_list(listing)
        if not lists and not (api_refusal(listing) or api_refusal(probe)):
            return {
                "reachable": True,
                "message": f"The server answers, but not as a Videos API: {self.url()} "
                f"answered HTTP {listing.status_code}. Check the base URL (it ends in /v1).",
            }
        return {
            "reachable": True,
            "can_list": lists,
            "message": "The server answers and accepts the key.",
        }

    # Requests

    def submit(
        self,
        url: str,
        fields: dict[str, Any],
        image: Path | None,
        *,
        model: str,
        is_remix: bool = False,
    ) -> Submission:
        """POST once. Only a refused connection or a 429 is retried: neither started a job."""
        # The official SDK sends a remix as JSON, so every server that remixes accepts that.
        send = self.post_json if is_remix or self.settings.body_encoding == "json" else None
        for _attempt in range(GET_ATTEMPTS):
            try:
                response = send(url, fields) if send else self.post_multipart(url, fields, image)
            except requests.ConnectionError as error:
                if not refused(error):
                    raise outcome_unknown() from error
                raise ProviderError(
                    "unreachable",
                    "The provider cannot be reached; remixer will retry.",
                    retry_after=10,
                ) from error
            except requests.Timeout as error:
                raise outcome_unknown() from error
            if response.status_code == 429:
                wait = retry_after(response)
                if wait > MAX_INLINE_WAIT:
                    raise rate_limited(wait)
                time.sleep(wait)
                continue
            body = parse_json(response)
            if response.ok and isinstance(body, dict) and body.get("id"):
                return self.routable(submission_from(body, poll_after_header(response)), model)
            if response.ok or response.status_code >= 500:
                raise outcome_unknown(response.status_code)
            if is_remix and response.status_code in (404, 405):
                raise ProviderError(
                    "unable_to_remix",
                    "This provider cannot remix videos; remix with the local engine instead.",
                )
            code, message = read_error(body, response.status_code)
            raise creator_message(code, message, response.status_code, model)
        raise rate_limited(10)

    def routable(self, submission: Submission, model: str) -> Submission:
        """The job's id as paths must name it.

        Bifrost answers with a bare id but routes `{id}:{provider}`, the provider being the
        prefix of a `provider/model` name: where the bare id finds no job, that one may.
        """
        provider, slash, _ = model.partition("/")
        bare = submission.provider_video_id
        if not slash or ":" in bare:
            return submission
        try:
            if has_video(self.session.get(self.url(bare), timeout=self.timeouts)):
                return submission
            routed = f"{bare}:{provider}"
            if has_video(self.session.get(self.url(routed), timeout=self.timeouts)):
                return dataclasses.replace(submission, provider_video_id=routed)
        except requests.RequestException:
            pass  # polling will tell
        return submission

    def post_json(self, url: str, fields: dict[str, Any]) -> requests.Response:
        return self.session.post(url, json=fields, timeout=self.timeouts)

    def post_multipart(
        self, url: str, fields: dict[str, Any], image: Path | None
    ) -> requests.Response:
        data = {key: str(value) for key, value in fields.items()}
        if image is None:
            # (None, value) parts make requests send multipart/form-data with no file at all.
            files: dict[str, Any] = {key: (None, value) for key, value in data.items()}
            return self.session.post(url, files=files, timeout=self.timeouts)
        with image.open("rb") as handle:
            files = {"input_reference": (image.name, handle, image_type(image))}
            return self.session.post(url, data=data, files=files, timeout=self.timeouts)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        """GET with a few quick retries; past them the caller's task tries again later."""
        last: ProviderError | None = None
        for attempt in range(GET_ATTEMPTS):
            if attempt:
                time.sleep(min(MAX_INLINE_WAIT, 0.5 * 2**attempt))
            try:
                response = self.session.get(url, timeout=self.timeouts, **kwargs)
            except requests.RequestException as error:
                last = ProviderError(
                    "unreachable",
                    "The provider cannot be reached; remixer will retry.",
                    retry_after=15,
                )
                last.__cause__ = error
                continue
            if response.status_code == 429:
                last = rate_limited(retry_after(response))
                continue
            if response.status_code >= 500 and not has_video(response):
                last = ProviderError(
                    "provider_error",
                    f"The provider is failing (HTTP {response.status_code}); remixer will retry.",
                    raw=response.text[:2000],
                    retry_after=15,
                )
                continue
            return response
        assert last is not None
        raise last

    def download(
        self,
        url: str,
        params: dict[str, str],
        path: Path,
        optional: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> bool:
        """Stream to a temporary file, check the length, move into place. False: not offered."""
        try:
            response = self.session.get(
                url, params=params, stream=True, timeout=(CONNECT_TIMEOUT, DOWNLOAD_READ_TIMEOUT)
            )
        except requests.RequestException as error:
            if optional:
                return False
            raise download_failed(f"the provider could not be reached ({error})") from error
        with response:
            if response.status_code != 200:
                if optional:
                    return False
                raise download_failed(f"HTTP {response.status_code}")
            partial = path.with_name(path.name + ".part")
            received = write_stream(response, partial, optional, on_progress)
            if received is None:
                return False
        expected = response.headers.get("Content-Length")
        if expected is not None and int(expected) != received:
            partial.unlink(missing_ok=True)
            if optional:
                return False
            raise download_failed(f"received {received} of {expected} bytes")
        os.replace(partial, path)
        return True

    def failure(self, response: requests.Response, body: Any) -> ProviderError:
        code, message = read_error(body, response.status_code)
        return creator_message(code, message, response.status_code)


def write_stream(
    response: requests.Response,
    path: Path,
    optional: bool,
    on_progress: ProgressCallback | None = None,
) -> int | None:
    received = 0
    total = int(response.headers.get("Content-Length") or 0)
    try:
        with path.open("wb") as handle:
            for chunk in response.iter_content(CHUNK):
                handle.write(chunk)
                received += len(chunk)
                if on_progress is not None:
                    on_progress(received, total)
    except requests.RequestException as error:
        path.unlink(missing_ok=True)
        if optional:
            return None
        raise download_failed(f"the transfer broke off ({error})") from error
    return received


def asked_for(answer: dict[str, Any], asked: Mapping[str, str], since: int) -> bool:
    """Whether a listed job is the one asked for (keys a server leaves out count as equal)."""
    if any(key in answer and str(answer[key]) != value for key, value in asked.items()):
        return False
    created = unix_seconds(answer.get("created_at"))
    return created is None or created >= since


def parse_json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def has_video(response: requests.Response) -> bool:
    body = parse_json(response)
    return isinstance(body, dict) and bool(body.get("id")) and "status" in body


def refused(error: requests.ConnectionError) -> bool:
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


def retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        wait = float(value)
    except ValueError:
        return 10.0
    return min(max(0.0, wait), MAX_RETRY_AFTER) if math.isfinite(wait) else 10.0


def poll_after_header(response: requests.Response) -> float | None:
    value = response.headers.get("openai-poll-after-ms")
    try:
        wait = float(value) / 1000 if value else None
    except ValueError:
        return None
    return wait if wait is None or math.isfinite(wait) else None


def rate_limited(wait: float) -> ProviderError:
    return ProviderError(
        "rate_limited", "The provider is rate-limiting; remixer will retry.", retry_after=wait
    )


def outcome_unknown(status: int | None = None) -> ProviderError:
    said = f" (it answered HTTP {status})" if status else ""
    return ProviderError(
        "outcome_unknown",
        "The provider did not confirm the submission" + said + ", so remixer cannot tell "
        "whether the job started. It was not sent again, to avoid a second bill: check the "
        "provider's own list of jobs before you retry.",
    )


def download_failed(reason: str) -> ProviderError:
    return ProviderError(
        "download_failed",
        f"Copying the video failed: {reason}; remixer will retry.",
        retry_after=30,
    )


def image_type(path: Path) -> str:
    return {".png": "image/png", ".webp": "image/webp"}.get(path.suffix.lower(), "image/jpeg")


def provider_time(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
