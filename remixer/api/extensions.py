"""`POST /v1/videos/extensions`: a video made longer, through the extend form.

The video is a library video (`{"video": {"id": …}}` in JSON, `video[id]` in a form) or an
uploaded MP4 (the official SDK's `extend()` always uploads one): imported first, then
extended once its import has checked it, as an edit of an upload is.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, JsonResponse

from remixer.api.bodies import body_of, text_fields, upload_body_bytes, video_reference
from remixer.api.edits import submitted_after_upload
from remixer.api.videos import endpoint, find_video, submission_token, submitted
from remixer.forms.videos import ExtendForm
from remixer.models import Video


def extend_video(request: HttpRequest) -> JsonResponse:
    fields, files = body_of(request, limit=upload_body_bytes())
    data = text_fields(fields, ("prompt", "seconds")) | {"form_token": submission_token(request)}
    source = video_reference(fields, files)
    if isinstance(source, UploadedFile):
        return submitted_after_upload(request, source, data, kind=Video.Kind.EXTENSION)
    return submitted(ExtendForm(data, source=find_video(source)), request.user)


extensions = endpoint(POST=extend_video)
