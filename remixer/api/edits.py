"""The Videos API's edits and characters under /v1.

An edit is a remix by the API's other name: a new video made from a completed one by the
engine that made it. Its source is a library video (`{"id": …}`, or `video[id]` in
multipart) or an uploaded MP4, which is imported first (checked frame by frame by a worker,
as on the import page); the edit waits for the import and starts once it completes.
remixer keeps no characters: their routes answer so in the API's envelope.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, JsonResponse
from django.utils.datastructures import MultiValueDict

from remixer.actions import jobs
from remixer.api.bodies import ApiError, body_of, upload_body_bytes, video_reference
from remixer.api.videos import answered, endpoint, find_video, form_error, remix_data, submitted
from remixer.forms.imports import VideoUploadForm
from remixer.forms.videos import ExtendForm, RemixForm
from remixer.models import Provider, Video

# The forms of the jobs made from an uploaded file, by kind.
FOLLOW_UP_FORMS: dict[str, type[RemixForm] | type[ExtendForm]] = {
    Video.Kind.EDIT: RemixForm,
    Video.Kind.EXTENSION: ExtendForm,
}
NO_CHARACTERS = (
    "remixer does not offer characters: it keeps no character library, so there is none to "
    "create or fetch. Describe the person in the prompt, or give their picture as the first "
    "frame (input_reference) when you create a video."
)


def edit_video(request: HttpRequest) -> JsonResponse:
    fields, files = body_of(request, limit=upload_body_bytes())
    data = remix_data(request, fields)
    source = video_reference(fields, files)
    if isinstance(source, UploadedFile):
        return submitted_after_upload(request, source, data, kind=Video.Kind.EDIT)
    form = RemixForm(data, source=find_video(source), kind=Video.Kind.EDIT)
    return submitted(form, request.user)


def submitted_after_upload(
    request: HttpRequest, upload: UploadedFile[Any], data: dict[str, str], *, kind: str
) -> JsonResponse:
    """A job of `kind` made from an uploaded MP4: the file and the job's fields are checked
    now, the import and the job written together; the answer is the job, queued until the
    import has checked the file."""
    owner = request.user
    token = uuid.UUID(data["form_token"])
    files = MultiValueDict({"video": [upload]})
    importing = VideoUploadForm({"form_token": jobs.derived_token(token, "upload")}, files)
    if not importing.is_valid():
        raise form_error(importing)
    # The import's row is made with the job; until then the form is checked against a
    # stand-in on the same engine (an import is the local engine's).
    stand_in = Video(kind=Video.Kind.IMPORT, provider=Provider.default())
    form = FOLLOW_UP_FORMS[kind](data, source=stand_in, kind=kind)
    if not form.is_valid():
        raise form_error(form)
    return answered(
        lambda: jobs.submit_after_import(
            importing.spec(owner=owner), lambda source: form.spec(owner=owner, source=source)
        )
    )


def no_characters(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    # 404, not 405 (the route is not there for any method) nor a 5xx (which clients retry).
    raise ApiError(404, NO_CHARACTERS, code="characters_not_supported")


edits = endpoint(POST=edit_video)
characters = endpoint(fallback=no_characters)
