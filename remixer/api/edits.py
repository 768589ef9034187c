"""The Videos API's edits and characters under /v1.

An edit is a remix by the API's other name: a new video made from a completed one by the
engine that made it. Its source is a library video (`{"id": …}`, or `video[id]` in
multipart) or an uploaded MP4, which is imported first (checked frame by frame by a worker,
as on the import page); the edit waits for the import and starts once it completes.
remixer keeps no characters: their routes answer so in the API's envelope.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.http import HttpRequest, JsonResponse
from django.utils.datastructures import MultiValueDict

from remixer.actions import jobs
from remixer.api.bodies import ApiError, body_of, upload_body_bytes, video_reference
from remixer.api.videos import answered, endpoint, find_video, form_error, remix_data, submitted
from remixer.forms.imports import VideoUploadForm
from remixer.forms.videos import ExtendForm, RemixForm
from remixer.lib import media
from remixer.models import Provider, Video, lengths
from remixer.models.recipes import remixed_size

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
    # The answer, and every GET until the import's worker has checked the frames, carries the
    # size and length the file's header declares (the worker finds the same).
    size, seconds = uploaded_size_and_seconds(upload)
    length = seconds
    if kind == Video.Kind.EXTENSION:  # the file's length with the segment added
        length = extended(seconds, form.cleaned_data["seconds"])

    def follow_up(source: Video) -> jobs.JobSpec:
        spec = form.spec(owner=owner, source=source)
        return replace(spec, size=remixed_size(spec.recipe, size), seconds=length)

    return answered(
        lambda: jobs.submit_after_import(
            replace(importing.spec(owner=owner), size=size, seconds=seconds), follow_up
        )
    )


def uploaded_size_and_seconds(upload: UploadedFile[Any]) -> tuple[str, str]:
    """The size ("1280x720") and length ("4") an uploaded video's header declares, within what
    an import may be; a file whose header says otherwise is refused now, in the worker's words."""
    try:
        header = uploaded_header(upload)
        media.check_bounds(
            header,
            max_pixels=settings.REMIXER_MAX_IMPORT_PIXELS,
            max_seconds=settings.REMIXER_MAX_IMPORT_SECONDS,
        )
    except media.MediaError as error:
        raise ApiError(400, str(error), param="video", code="invalid_video") from error
    return f"{header.width}x{header.height}", str(round(header.duration))


def uploaded_header(upload: UploadedFile[Any]) -> media.Probe:
    """Read where Django keeps the upload: a large one on disk already, a small one (held in
    memory) written to a temporary file beside them."""
    if isinstance(upload, TemporaryUploadedFile):
        return media.probe(Path(upload.temporary_file_path()))
    folder = settings.FILE_UPLOAD_TEMP_DIR
    with tempfile.NamedTemporaryFile(suffix=".mp4", dir=folder) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        return media.probe(Path(copy.name))


def extended(seconds: str, segment: str) -> str:
    """An uploaded video's length with the segment an extension adds, if it may be extended."""
    try:
        return str(lengths.extended_total(seconds, segment))
    except lengths.LengthRefused as error:
        raise ApiError(400, str(error), code="video_too_long") from error


def no_characters(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    # 404, not 405 (the route is not there for any method) nor a 5xx (which clients retry).
    raise ApiError(404, NO_CHARACTERS, code="characters_not_supported")


edits = endpoint(POST=edit_video)
characters = endpoint(fallback=no_characters)
