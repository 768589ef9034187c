"""What a /v1 request carries: its body (JSON or either form encoding) read into fields and
files, within the size the endpoint allows, and every refusal in the API's error envelope."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from remixer.lib.text import strict_int

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
DATA_URL = re.compile(r"data:image/[\w.+-]+(?:;[\w=.+-]+)*;base64,(?P<data>.*)", re.DOTALL)
REFERENCE_HELP = (
    "Send input_reference as an image file (multipart/form-data), or in JSON as "
    '{"image_url": "data:image/png;base64,…"}; remixer fetches no URLs and keeps no files.'
)


@dataclass
class ApiError(Exception):
    """An answer in the API's error envelope."""

    status: int
    message: str
    _: KW_ONLY
    param: str | None = None
    code: str | None = None
    kind: str = "invalid_request_error"
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def response(self) -> JsonResponse:
        body = {
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param,
                "code": self.code,
            }
        }
        response = JsonResponse(body, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


# Bodies ---------------------------------------------------------------------------------------


def body_of(
    request: HttpRequest, *, limit: int | None = None
) -> tuple[dict[str, Any], dict[str, UploadedFile[Any]]]:
    """The body's fields and files, from JSON or either form encoding. A multipart body may
    have up to `limit` bytes (by default room for a reference image): Django streams its
    large files to FILE_UPLOAD_TEMP_DIR, so only a JSON body is held in memory."""
    limit = max_body_bytes() if limit is None else limit
    length = strict_int(request.META.get("CONTENT_LENGTH") or "0", low=0, high=2**62)
    if length is None:
        raise ApiError(400, "The Content-Length header is not a number of bytes.")
    if length > limit:
        raise too_large(limit)
    try:
        if request.content_type in FORM_TYPES:
            files = {k: f for k, f in request.FILES.items() if isinstance(f, UploadedFile)}
            return request.POST.dict(), files
        if request.content_type == "application/json" or not request.body:
            return json_object(request.body), {}
    except MultiPartParserError as error:
        raise ApiError(400, f"The multipart body could not be read: {error}") from error
    except UnreadablePostError as error:  # cut short: see web.middleware.WholeBodyMiddleware
        raise ApiError(400, str(error), code="incomplete_body") from error
    raise ApiError(
        415,
        f"Unsupported Content-Type {request.content_type!r}: "
        "send application/json or multipart/form-data.",
        code="unsupported_media_type",
    )


def max_body_bytes() -> int:
    """Room for the largest reference image the forms accept, and a long prompt beside it."""
    return int(settings.REMIXER_MAX_IMAGE_BYTES) + 1024 * 1024


def upload_body_bytes() -> int:
    """Room for the largest video an import accepts, and the fields beside it."""
    return int(settings.REMIXER_MAX_IMPORT_BYTES) + 1024 * 1024


def too_large(limit: int | None = None) -> ApiError:
    limit = max_body_bytes() if limit is None else limit
    return ApiError(
        413,
        f"The request body is too large: JSON bodies may have up to "
        f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024**2} MB, multipart bodies here up to "
        f"{limit // 1024**2} MB.",
        code="request_too_large",
    )


def json_object(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise ApiError(
            400,
            "We could not parse the JSON body of your request. Send a JSON object, "
            'for example {"prompt": "…"}.',
            code="invalid_json",
        ) from error
    if not isinstance(data, dict):
        raise ApiError(400, "The JSON body must be an object.", code="invalid_json")
    return data


def text_fields(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields, as the forms take them: strings (a number of seconds may come bare)."""
    found: dict[str, str] = {}
    for name in names:
        value = fields.get(name)
        if name == "seconds" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            continue
        if not isinstance(value, str):
            message = f"Invalid type for '{name}': expected a string."
            raise ApiError(400, message, param=name, code="invalid_type")
        found[name] = value
    return found


def reference_upload(
    fields: dict[str, Any], files: dict[str, UploadedFile[Any]]
) -> UploadedFile[Any] | None:
    """The reference image: a file part, or a base64 data URL in JSON."""
    if upload := files.get("input_reference"):
        return upload
    value = fields.get("input_reference")
    if value is None or value == "":
        return None
    url = value.get("image_url") if isinstance(value, dict) else None
    match = DATA_URL.fullmatch(url) if isinstance(url, str) else None
    if match is None:
        raise ApiError(400, REFERENCE_HELP, param="input_reference", code="invalid_value")
    try:
        content = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError) as error:
        message = "input_reference's data URL is not valid base64."
        raise ApiError(400, message, param="input_reference", code="invalid_value") from error
    return SimpleUploadedFile("input_reference", content)


VIDEO_HELP = (
    'Send video as {"id": "<a completed video\'s id>"} in JSON, or in multipart/form-data '
    "as the field video[id] or as an MP4 file part named video."
)


def video_reference(
    fields: dict[str, Any], files: dict[str, UploadedFile[Any]]
) -> str | UploadedFile[Any]:
    """The video an edit (or an extension) starts from: a library video's id, or a file."""
    given = [name for name in ("video", "video[id]") if fields.get(name) not in (None, "")]
    if upload := files.get("video"):
        given.append("a file")
    if len(given) != 1:
        said = "video is required. " if not given else "Give video once, not twice. "
        raise ApiError(400, said + VIDEO_HELP, param="video", code="invalid_value")
    if upload:
        return upload
    if given == ["video[id]"]:
        value = fields["video[id]"]
    else:
        value = fields["video"].get("id") if isinstance(fields["video"], dict) else None
    if not isinstance(value, str) or not value:
        message = f"video is neither a video's id nor a file. {VIDEO_HELP}"
        raise ApiError(400, message, param="video", code="invalid_value")
    return value
