"""Any server that speaks the OpenAI Videos API, reached through the thin transport.

Servers that speak this API deviate in small ways (docs: VIDEOS_API.md); answers are read
leniently (answers.py), and a create that may have reached the server is never re-sent.
"""

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from remixer.providers import Assets, Job, ProgressCallback, ProviderError, Submission, remixes
from remixer.providers.answers import (
    api_refusal,
    asked_for,
    creator_message,
    download_failed,
    has_video,
    is_list,
    outcome_unknown,
    parse_json,
    poll_after_header,
    rate_limited,
    read_error,
    retry_after,
    submission_from,
    unreachable,
)
from remixer.providers.transport import NoAnswer, Response, TransferBroken, Transport

READ_TIMEOUT = 30
GET_ATTEMPTS = 3
MAX_INLINE_WAIT = 5.0  # longer waits go back to the task queue instead of blocking a worker
IMAGE_TYPES = {".png": "image/png", ".webp": "image/webp"}  # anything else is sent as JPEG

MAGIC = {
    "thumbnail": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "spritesheet": (lambda head: head[:3] == b"\xff\xd8\xff"),
}


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
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.transport = Transport(self.auth_headers(), settings.read_timeout)

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
        fields = self.create_fields(job)
        if self.settings.body_encoding == "json":
            return self.send_once(partial(self.post_json, self.url(), fields), model=job.model)
        send = partial(self.post_multipart, self.url(), fields, job.reference_image)
        return self.send_once(send, model=job.model)

    def create_fields(self, job: Job) -> dict[str, Any]:
        fields: dict[str, Any] = {
            **(self.settings.extra_fields or {}),
            "prompt": job.prompt,
            "seconds": str(job.seconds),
            "size": job.size,
        }
        if job.model:
            fields["model"] = job.model
        return fields

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission:
        """A remix as the job's strategy says: the remix route, or a create with the source."""
        strategy = job.remix_strategy or remixes.NATIVE
        if strategy != remixes.NATIVE:
            encoding = self.settings.body_encoding
            body, kind = remixes.request_body(strategy, self.create_fields(job), job, encoding)
            send = partial(self.post_body, self.url(), body, kind)
            return self.send_once(send, model=job.model, strategy=strategy)
        if not job.source_provider_video_id:
            raise ProviderError("source_missing", "The source video has no job at this provider.")
        url = self.url(job.source_provider_video_id, "remix")
        # The official SDK sends a remix as JSON, so every server that remixes accepts that.
        send = partial(self.post_json, url, {"prompt": job.prompt})
        return self.send_once(send, model=job.model, strategy=strategy)

    def discover(self) -> tuple[Any, tuple[int, Any] | None]:
        """What detection reads: the server's OpenAPI document (None without one), and what
        a remix of a job that does not exist answers (None when nothing answered)."""
        document = None
        try:
            found = self.transport.get(remixes.openapi_url(self.settings.base_url))
            document = parse_json(found) if found.status_code == 200 else None
            url, body = self.url("video_remixer_connection_check", "remix"), {"prompt": "check"}
            probe = self.transport.post(url, json=body)
        except NoAnswer:
            return document, None
        return document, (probe.status_code, parse_json(probe))

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
                "The provider sent an answer remixer could not read.",
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
            response = self.transport.delete(self.url(provider_video_id))
        except NoAnswer:
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
            listing = self.transport.get(self.url(), params={"limit": 1})
            probe = self.transport.get(self.url("video_remixer_connection_check"))
        except NoAnswer as error:
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

    def send_once(
        self, send: Callable[[], Response], *, model: str, strategy: str = ""
    ) -> Submission:
        """POST once. Only a refused connection or a 429 is retried: neither started a job.

        With a remix `strategy`, a route the server does not have is told apart (so the next
        strategy may be sent) from a refusal, such as a 404 about the source's id."""
        for _attempt in range(GET_ATTEMPTS):
            try:
                response = send()
            except NoAnswer as error:
                if not error.refused:  # it may have started a job: never sent again
                    raise outcome_unknown(unanswered=True) from error
                raise unreachable(error, timed_out=False, retry_after=10) from error
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
            if strategy and remixes.route_missing(response.status_code, body):
                path = urlsplit(response.request.url or "").path
                status, text = response.status_code, response.text
                raise remixes.unavailable(strategy, "POST", path, status, text)
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
            if has_video(self.transport.get(self.url(bare))):
                return submission
            routed = f"{bare}:{provider}"
            if has_video(self.transport.get(self.url(routed))):
                return dataclasses.replace(submission, provider_video_id=routed)
        except NoAnswer:
            pass  # polling will tell
        return submission

    def post_json(self, url: str, fields: dict[str, Any]) -> Response:
        return self.transport.post(url, json=fields)

    def post_body(self, url: str, body: remixes.StreamedBody, kind: str) -> Response:
        """A streamed body: sent chunk by chunk, with its Content-Length."""
        return self.transport.post(url, data=body, headers={"Content-Type": kind})

    def post_multipart(self, url: str, fields: dict[str, Any], image: Path | None) -> Response:
        data = {key: str(value) for key, value in fields.items()}
        if image is None:
            # (None, value) parts make requests send multipart/form-data with no file at all.
            files: dict[str, Any] = {key: (None, value) for key, value in data.items()}
            return self.transport.post(url, files=files)
        with image.open("rb") as handle:
            kind = IMAGE_TYPES.get(image.suffix.lower(), "image/jpeg")
            files = {"input_reference": (image.name, handle, kind)}
            return self.transport.post(url, data=data, files=files)

    def get(self, url: str, **kwargs: Any) -> Response:
        """GET with a few quick retries; past them the caller's task tries again later.

        A timeout is not retried here: the server was waited for long enough, and a worker
        held by a server that hangs is a worker other jobs wait for."""
        last: ProviderError | None = None
        for attempt in range(GET_ATTEMPTS):
            if attempt:
                time.sleep(min(MAX_INLINE_WAIT, 0.5 * 2**attempt))
            try:
                response = self.transport.get(url, **kwargs)
            except NoAnswer as error:
                if error.timed_out:
                    raise unreachable(error, timed_out=True, retry_after=15) from error
                last = unreachable(error, timed_out=False, retry_after=15)
                last.__cause__ = error
                continue
            if response.status_code == 429:
                last = rate_limited(retry_after(response))
                continue
            if response.status_code >= 500 and not has_video(response):
                last = ProviderError(
                    "provider_error",
                    f"The provider is failing (HTTP {response.status_code}).",
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
            with self.transport.streamed(url, params) as response:
                if response.status_code != 200:
                    if optional:
                        return False
                    raise download_failed(f"HTTP {response.status_code}")
                self.transport.save(response, path, on_progress)
        except NoAnswer as error:
            if optional:
                return False
            reason = f"the provider could not be reached ({error})"
            raise download_failed(reason, unanswered=True) from error
        except TransferBroken as error:
            if optional:
                return False
            raise download_failed(str(error)) from error
        return True

    def failure(self, response: Response, body: Any) -> ProviderError:
        code, message = read_error(body, response.status_code)
        return creator_message(code, message, response.status_code)
