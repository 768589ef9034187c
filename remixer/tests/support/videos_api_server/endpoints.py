"""The Videos API's routes as the server answers them: create, remix, extensions, retrieve,
list, delete and content, each in the server's behaviour of the moment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from remixer.tests.support.videos_api_server import validation
from remixer.tests.support.videos_api_server.answers import (
    Answer,
    JSONDict,
    ServerError,
    json_answer,
)
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs
from remixer.tests.support.videos_api_server.bodies import Upload
from remixer.tests.support.videos_api_server.jobs import ServerJob
from remixer.tests.support.videos_api_server.media import MEDIA, content_answer
from remixer.tests.support.videos_api_server.presenting import expires_at, present

if TYPE_CHECKING:
    from remixer.tests.support.videos_api_server.server import VideosAPIServer


class Endpoints:
    """One method a route, named as in routes.ROUTES; each answers or raises ServerError."""

    def __init__(self, api: VideosAPIServer) -> None:
        self.api = api

    @property
    def behaviour(self) -> Behaviour:
        return self.api.behaviour

    @property
    def knobs(self) -> Knobs:
        return self.api.knobs

    def create(self, _: None, fields: JSONDict) -> Answer:
        prompt = validation.prompt(fields)
        model = validation.model(fields.get("model"), self.behaviour, self.knobs)
        seconds = validation.seconds(fields.get("seconds", "4"), self.behaviour)
        size = validation.size(fields.get("size", "720x1280"), self.behaviour)
        reference = validation.source(fields, self.behaviour)
        if isinstance(reference, Upload) and self.behaviour.validate:
            validation.check_reference(reference, size)
        job = self._add_job(prompt, model, size, seconds, reference=reference)
        return self._video_answer(job)

    def remix(self, video_id: str, fields: JSONDict) -> Answer:
        source = self._job(video_id)
        prompt = validation.prompt(fields)
        if source.state(self.api.now(), "smooth")[0] != "completed":
            raise ServerError(
                400,
                f"Video '{video_id}' is not completed; only completed videos can be remixed.",
                param="video_id",
                code="invalid_request",
            )
        job = self._add_job(
            prompt, source.model, source.size, source.seconds, remixed_from=source.id
        )
        return self._video_answer(job)

    def extensions(self, _: None, fields: JSONDict) -> Answer:
        """The whole, longer video: the source's seconds and the new segment's."""
        reference = fields.get("video")
        video_id = reference.get("id") if isinstance(reference, dict) else fields.get("video[id]")
        if not isinstance(video_id, str) or not video_id:
            raise ServerError(400, "Missing required parameter: 'video'.", param="video")
        source = self._job(video_id)
        prompt = validation.prompt(fields)
        seconds = validation.extension_seconds(fields.get("seconds"))
        if source.state(self.api.now(), "smooth")[0] != "completed":
            raise ServerError(400, f"Video '{video_id}' is not completed.", param="video")
        total = str(int(source.seconds) + int(seconds))
        job = self._add_job(prompt, source.model, source.size, total, remixed_from=source.id)
        return self._video_answer(job)

    def retrieve(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        answer = self._video_answer(job)
        if self._status(job) == "failed":
            answer.status = self.behaviour.failed_retrieve_status
        if self.knobs.poll_after_ms is not None:
            answer.headers["openai-poll-after-ms"] = str(self.knobs.poll_after_ms)
        return answer

    def list(self, query: dict[str, str]) -> Answer:
        limit = validation.limit(query.get("limit", "20"))
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise ServerError(
                400,
                f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.",
                param="order",
                code="invalid_value",
            )
        jobs = self.api.store.listed(newest_first=order == "desc")
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

    def delete(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        status = self._status(job)
        blocked = self.behaviour.delete_running_status
        if blocked and status in ("queued", "in_progress"):
            raise ServerError(
                blocked,
                f"Video '{video_id}' is {status}; only completed or failed videos can be deleted.",
                param="video_id",
            )
        self.api.store.delete(job)
        if self.behaviour.delete_answer == "video":
            return json_answer(200, self._present(job, status="deleted"))
        return json_answer(200, {"id": job.id, "object": "video.deleted", "deleted": True})

    def content(self, video_id: str, query: dict[str, str]) -> Answer:
        job = self._job(video_id)
        variant = validation.variant(query, self.behaviour)
        if self._status(job) != "completed":
            raise ServerError(
                404,
                f"Video '{video_id}' is not ready yet; retrieve it to check its status.",
                code="video_not_ready",
            )
        expires = expires_at(job, self.knobs)
        if expires is not None and self.api.now() > expires:
            raise ServerError(
                404, f"The assets of video '{video_id}' have expired.", code="video_expired"
            )
        data = MEDIA.get(variant, job.size, job.seconds)
        return content_answer(variant, data, self.behaviour, self.knobs)

    # -- jobs -----------------------------------------------------------------------------

    def _add_job(
        self, prompt: str, model: str, size: str, seconds: str, **origin: Any
    ) -> ServerJob:
        """A job made now, in the behaviour of the moment; `origin`: its reference or source."""
        behaviour, knobs, now = self.behaviour, self.knobs, self.api.now()
        return self.api.store.add(
            prompt, model, size, seconds, behaviour=behaviour, knobs=knobs, created=now, **origin
        )

    def _job(self, video_id: str) -> ServerJob:
        return self.api.store.find(video_id, routed=self.behaviour.routed_ids)

    def _status(self, job: ServerJob) -> str:
        return job.state(self.api.now(), self.behaviour.progress_style)[0]

    def _video_answer(self, job: ServerJob) -> Answer:
        return json_answer(200, self._present(job))

    def _present(self, job: ServerJob, status: str | None = None) -> JSONDict:
        behaviour = self.behaviour
        source_id = self.api.store.source_id(job, upstream=behaviour.upstream_remix_source)
        return present(job, behaviour, self.knobs, self.api.now(), source_id, status)
