"""remixer's own Videos API under /v1, in OpenAI's shape, so scripts written for Sora run here.

A request carries a personal key (`Authorization: Bearer …`) and may do what the key's user
may do in the pages, through the same forms and services. Every answer is a Video object (or
a list, or a deletion) from `Video.as_api_object()`; every error is the API's envelope
`{"error": {"message", "type", "param", "code"}}`, never an HTML page.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from remixer import jobs, services, storage
from remixer.accounts import ApiKey
from remixer.forms import ExtendForm, NewVideoForm, RemixForm, strict_int
from remixer.models import (
    VARIANTS,
    CatalogEntry,
    Provider,
    Video,
    VideoQuerySet,
    variant_file,
)
from remixer.serving import serve_stored

logger = logging.getLogger(__name__)

Handler = Callable[..., HttpResponseBase]

RETRY_AFTER_SECONDS = 10
LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX = 20, 100
CREATE_DEFAULTS = {"size": "720x1280", "seconds": "4"}  # the Videos API's defaults
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Where a form's field is called something else in the API.
API_PARAMS: dict[str, str | None] = {"reference_image": "input_reference", "__all__": None}
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


def endpoint(**handlers: Handler) -> Handler:
    """One URL of the API: authenticate the key, dispatch on the method, answer every error."""
    allowed = ", ".join(handlers)

    @csrf_exempt
    @login_not_required
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        try:
            request.user = authenticate(request)
            handler = handlers.get(request.method or "")
            if handler is None:
                raise ApiError(
                    405,
                    f"{request.method} is not allowed on {request.path}; use {allowed}.",
                    code="method_not_allowed",
                    headers={"Allow": allowed},
                )
            return handler(request, **kwargs)
        except ApiError as error:
            return error.response()
        except RequestDataTooBig:
            return too_large().response()
        except SuspiciousOperation as error:
            return ApiError(400, str(error) or "The request is malformed.").response()
        except Exception:
            logger.exception("The API failed on %s %s", request.method, request.path)
            message = "The server had an error while processing your request."
            return ApiError(500, message, kind="server_error").response()

    return view


def authenticate(request: HttpRequest) -> Any:
    """The user whose key the request carries. A session cookie does not count here."""
    scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401,
            "You didn't provide an API key. Send it in an Authorization header as "
            "`Bearer <key>`; make a key on remixer's API keys page.",
        )
    key = ApiKey.find(secret.strip())
    if key is None:
        raise ApiError(
            401,
            "Incorrect API key provided: it is unknown or revoked. "
            "Make a new one on remixer's API keys page.",
            code="invalid_api_key",
        )
    key.record_use()
    return key.user


# The six operations ---------------------------------------------------------------------------


def create_video(request: HttpRequest) -> JsonResponse:
    fields, files = body_of(request)
    data = CREATE_DEFAULTS | text_fields(fields, ("prompt", "model", "size", "seconds"))
    data["form_token"] = submission_token(request)
    upload = reference_upload(fields, files)
    form = NewVideoForm(data, {"reference_image": upload} if upload else {})
    return submitted(form, request.user)


def remix_video(request: HttpRequest, video_id: str) -> JsonResponse:
    source = find_video(video_id)
    fields, _ = body_of(request)
    data = text_fields(fields, ("prompt", "model")) | {"form_token": submission_token(request)}
    # Beyond the original API: `model` naming the local engine remixes here, whatever made
    # the source (for a provider that cannot remix); any other model leaves the choice alone.
    data["use_local"] = str(data.pop("model", None) in local_model_names())
    return submitted(RemixForm(data, source=source), request.user)


def local_model_names() -> set[str]:
    entries = CatalogEntry.objects.filter(provider__kind=Provider.Kind.LOCAL)
    return {name for entry in entries for name in (entry.name, *entry.alias_list)}


def retrieve_video(request: HttpRequest, video_id: str) -> JsonResponse:
    return JsonResponse(find_video(video_id).as_api_object())


def list_videos(request: HttpRequest) -> JsonResponse:
    """The team library, newest first unless `order=asc`, after the id `after` if given."""
    limit = limit_param(request.GET.get("limit"))
    order = request.GET.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise ApiError(400, "order must be asc or desc.", param="order", code="invalid_value")
    videos = Video.objects.order_by(
        *(["-created_at", "-id"] if order == "desc" else ["created_at", "id"])
    )
    if after := request.GET.get("after"):
        videos = videos.filter(beyond(after, order))
    page = list(videos[: limit + 1])
    data = [video.as_api_object() for video in page[:limit]]
    return JsonResponse(
        {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": len(page) > limit,
        }
    )


def delete_video(request: HttpRequest, video_id: str) -> JsonResponse:
    """Only the key's owner deletes a video here, staff too: a loop over the team's list
    must not empty the library. Staff delete others' videos in the admin, which confirms."""
    video = find_video(video_id)
    if video.owner_id != request.user.pk:
        message = "Only the owner of this video can delete it; staff do so in the admin."
        raise ApiError(403, message, code="permission_denied")
    try:
        services.delete_finished_video(user=request.user, video=video)
    except services.NotOwner as error:
        raise ApiError(403, str(error), code="permission_denied") from error
    except services.NotAllowed as error:
        raise ApiError(400, str(error), code="invalid_state") from error
    return JsonResponse({"id": video_id, "object": "video.deleted", "deleted": True})


def video_content(request: HttpRequest, video_id: str) -> HttpResponseBase:
    video = find_video(video_id)
    variant = request.GET.get("variant") or "video"
    if variant not in VARIANTS:
        message = f"variant must be one of {', '.join(VARIANTS)}."
        raise ApiError(400, message, param="variant", code="invalid_value")
    if video.status != Video.Status.COMPLETED:
        message = f"This video is {video.status}; its content can be downloaded once completed."
        raise ApiError(400, message, code="video_not_ready")
    found = variant_file(video, variant)
    if found is None or not storage.exists(found[0]):
        raise ApiError(404, f"This video has no {variant} file.", code="not_found")
    name, filename = found
    return serve_stored(request, name, filename=filename)


def no_such_route(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    message = f"remixer's API has no {request.method} {request.path}; see /v1/videos."
    raise ApiError(404, message, code="unknown_url")


videos = endpoint(GET=list_videos, POST=create_video)
video = endpoint(GET=retrieve_video, DELETE=delete_video)
remix = endpoint(POST=remix_video)
content = endpoint(GET=video_content, HEAD=video_content)
unknown_route = endpoint(
    **{method: no_such_route for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")}
)


# Reading requests -----------------------------------------------------------------------------


def body_of(request: HttpRequest) -> tuple[dict[str, Any], dict[str, UploadedFile[Any]]]:
    """The body's fields and files, from JSON or either form encoding."""
    length = strict_int(request.META.get("CONTENT_LENGTH") or "0", low=0, high=2**62)
    if length is None:
        raise ApiError(400, "The Content-Length header is not a number of bytes.")
    if length > max_body_bytes():
        raise too_large()
    if request.content_type in FORM_TYPES:
        try:
            files = {k: f for k, f in request.FILES.items() if isinstance(f, UploadedFile)}
            return request.POST.dict(), files
        except MultiPartParserError as error:
            raise ApiError(400, f"The multipart body could not be read: {error}") from error
    if request.content_type == "application/json" or not request.body:
        return json_object(request.body), {}
    raise ApiError(
        415,
        f"Unsupported Content-Type {request.content_type!r}: "
        "send application/json or multipart/form-data.",
        code="unsupported_media_type",
    )


def max_body_bytes() -> int:
    """Room for the largest reference image the forms accept, and a long prompt beside it."""
    return int(settings.REMIXER_MAX_IMAGE_BYTES) + 1024 * 1024


def too_large() -> ApiError:
    return ApiError(
        413,
        f"The request body is too large: JSON bodies may have up to "
        f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024**2} MB, multipart bodies up to "
        f"{max_body_bytes() // 1024**2} MB.",
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


def submission_token(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    return str(jobs.token_for_key(key, owner_pk=request.user.pk, path=request.path))


def limit_param(value: str | None) -> int:
    if value is None or value == "":
        return LIST_LIMIT_DEFAULT
    limit = strict_int(value, low=0, high=LIST_LIMIT_MAX)
    if limit is None:
        message = f"limit must be an integer from 0 to {LIST_LIMIT_MAX}."
        raise ApiError(400, message, param="limit", code="invalid_value")
    return limit


def beyond(after: str, order: str) -> Q:
    """The videos that come after the video `after` in this order."""
    cursor = with_id(after).values("created_at", "id").first()
    if cursor is None:
        message = f"No video found with id {after!r} to list after."
        raise ApiError(400, message, param="after", code="not_found")
    op = "lt" if order == "desc" else "gt"
    return Q(**{f"created_at__{op}": cursor["created_at"]}) | Q(
        created_at=cursor["created_at"], **{f"id__{op}": cursor["id"]}
    )


def find_video(video_id: str) -> Video:
    video = with_id(video_id).select_related("provider").first()
    if video is None:
        raise ApiError(404, f"No video found with id {video_id!r}.", code="not_found")
    return video


def with_id(video_id: str) -> VideoQuerySet:
    """The video with this id, if any; no id holds a NUL, which PostgreSQL would refuse."""
    return Video.objects.none() if "\x00" in video_id else Video.objects.filter(pk=video_id)


# Answers --------------------------------------------------------------------------------------


def form_error(form: forms.Form) -> ApiError:
    """The form's first error, named by the API's parameter."""
    field, errors = next(iter(form.errors.as_data().items()))
    error = errors[0]
    param = API_PARAMS.get(field, field)
    return ApiError(400, " ".join(error.messages), param=param, code=error.code)


def submitted(form: NewVideoForm | RemixForm | ExtendForm, owner: Any) -> JsonResponse:
    """The job a valid form asks for, through the one door; its refusals in the API's words."""
    if not form.is_valid():
        raise form_error(form)
    try:
        video = jobs.submit(form.spec(owner=owner))
    except jobs.TokenReused as error:
        raise ApiError(409, str(error), code="idempotency_key_reused") from error
    except services.TooManyJobs as error:
        raise ApiError(
            429,
            str(error),
            kind="rate_limit_error",
            code="rate_limit_exceeded",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from error
    except services.NotAllowed as error:
        raise ApiError(400, str(error), code="invalid_state") from error
    return JsonResponse(video.as_api_object())
