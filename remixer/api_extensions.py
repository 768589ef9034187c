"""`POST /v1/videos/extensions`: a library video made longer, through the extend form.

The video is named as `{"video": {"id": …}}` in JSON or `video[id]` in a form. An MP4 sent
as the `video` file part is refused here with a clear message: it must be imported first.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, JsonResponse

from remixer.api import (
    ApiError,
    body_of,
    endpoint,
    find_video,
    submission_token,
    submitted,
    text_fields,
)
from remixer.forms import ExtendForm

VIDEO_HELP = (
    'Name the video to extend as {"video": {"id": "video_…"}} in JSON, or as the field '
    "video[id] in a form."
)
UPLOAD_REFUSED = (
    "remixer extends videos of its library: import the MP4 first (the Import page), "
    'then send {"video": {"id": "video_…"}}.'
)


def extend_video(request: HttpRequest) -> JsonResponse:
    fields, files = body_of(request)
    source = find_video(named_video(fields, files))
    data = text_fields(fields, ("prompt", "seconds")) | {"form_token": submission_token(request)}
    return submitted(ExtendForm(data, source=source), request.user)


def named_video(fields: dict[str, Any], files: dict[str, UploadedFile[Any]]) -> str:
    """The id of the video to extend, from `video: {"id"}` or `video[id]`."""
    if "video" in files:
        raise ApiError(400, UPLOAD_REFUSED, param="video", code="unsupported_value")
    value = fields.get("video")
    video_id = value.get("id") if isinstance(value, dict) else fields.get("video[id]")
    if not isinstance(video_id, str) or not video_id:
        raise ApiError(400, VIDEO_HELP, param="video", code="invalid_value")
    return video_id


extensions = endpoint(POST=extend_video)
