"""remixer's own Videos API under /v1, in OpenAI's shape, so scripts written for Sora run here.

A request carries a personal key (`Authorization: Bearer …`) and may do what the key's user
may do in the pages, through the same forms and services. Every answer is a Video object (or
a list, or a deletion) from `Video.as_api_object()`; every error is the API's envelope
`{"error": {"message", "type", "param", "code"}}`, never an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from remixer.actions import jobs, trash
from remixer.actions.errors import NotAllowed, NotOwner, TooManyJobs, ViewerRefused, check_can_make
from remixer.api.bodies import ApiError, body_of, reference_upload, text_fields, too_large
from remixer.files import storage
from remixer.files.serving import serve_stored
from remixer.forms.logins import client_address
from remixer.forms.videos import ExtendForm, NewVideoForm, RemixForm
from remixer.lib.text import is_text, strict_int
from remixer.models import (
    VARIANTS,
    Video,
    VideoQuerySet,
    variant_file,
)
from remixer.models.accounts import ApiKey
from remixer.providers import kinds
from remixer.providers.kinds import built_in_catalog

logger = logging.getLogger(__name__)

Handler = Callable[..., HttpResponseBase]

RETRY_AFTER_SECONDS = 10
READS = ("GET", "HEAD", "OPTIONS")  # what a viewer's key may send
LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX = 20, 100
CREATE_DEFAULTS = {"size": "720x1280", "seconds": "4"}  # the Videos API's defaults
# Where a form's field is called something else in the API.
API_PARAMS: dict[str, str | None] = {"reference_image": "input_reference", "__all__": None}


def endpoint(*, fallback: Handler | None = None, **handlers: Handler) -> Handler:
    """One URL of the API: authenticate the key, dispatch on the method, answer every error.

    A method without a handler is a 405 naming those there are; with a `fallback`, every
    method is answered by it instead (a URL that is no route at all answers any method)."""
    allowed = ", ".join(handlers)

    @csrf_exempt
    @login_not_required
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        try:
            request.user = authenticate(request)
            handler = handlers.get(request.method or "", fallback)
            if handler is None:
                raise ApiError(
                    405,
                    f"{request.method} is not allowed on {request.path}; use {allowed}.",
                    code="method_not_allowed",
                    headers={"Allow": allowed},
                )
            if handler is not fallback and request.method not in READS:
                check_role(request.user)
            return handler(request, **kwargs)
        except ApiError as error:
            return error.response()
        except RequestDataTooBig:
            return too_large().response()
        except SuspiciousOperation as error:
            return ApiError(400, str(error) or "The request is malformed.").response()
        except storage.StorageError:  # an upload the request stores (an image, an MP4)
            logger.exception("The file storage failed on %s %s", request.method, request.path)
            return storage_unavailable().response()
        except Exception:
            logger.exception("The API failed on %s %s", request.method, request.path)
            message = "The server had an error while processing your request."
            return ApiError(500, message, kind="server_error").response()

    return view


def check_role(user: Any) -> None:
    """A viewer's key reads: every request that would make or delete is refused up front."""
    try:
        check_can_make(user)
    except ViewerRefused as error:
        raise ApiError(403, str(error), code="read_only_role") from error


def storage_unavailable() -> ApiError:
    retry = {"Retry-After": str(storage.UNAVAILABLE_RETRY_SECONDS)}
    return ApiError(
        503, storage.UNAVAILABLE, kind="server_error", code="storage_unavailable", headers=retry
    )


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
    return submitted(RemixForm(remix_data(request, fields), source=source), request.user)


def remix_data(request: HttpRequest, fields: dict[str, Any]) -> dict[str, str]:
    """A remix's (or an edit's) fields, as RemixForm takes them."""
    data = text_fields(fields, ("prompt", "model")) | {"form_token": submission_token(request)}
    # Beyond the original API: `model` naming the local engine remixes here, whatever made
    # the source (for a provider that cannot remix), and naming a ComfyUI workflow that
    # remixes sends it there; any other model leaves the choice alone.
    model = data.pop("model", None)
    data["use_local"] = str(model in local_model_names())
    if model and kinds.workflow_named(model) is not None:
        data["workflow"] = model
    return data


def local_model_names() -> set[str]:
    entries = built_in_catalog()
    return {name for entry in entries for name in (entry.name, *entry.alias_list)}


def retrieve_video(request: HttpRequest, video_id: str) -> JsonResponse:
    return JsonResponse(find_video(video_id).as_api_object())


def list_videos(request: HttpRequest) -> JsonResponse:
    """The team library, newest first unless `order=asc`, after the id `after` if given."""
    limit = limit_param(request.GET.get("limit"))
    order = request.GET.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise ApiError(400, "order must be asc or desc.", param="order", code="invalid_value")
    videos = Video.objects.in_library().order_by(
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
        address = client_address(request)
        trash.trash_finished_video(user=request.user, video=video, address=address)
    except NotOwner as error:
        raise ApiError(403, str(error), code="permission_denied") from error
    except NotAllowed as error:
        raise ApiError(400, str(error), code="invalid_state") from error
    return JsonResponse({"id": video_id, "object": "video.deleted", "deleted": True})


def video_content(request: HttpRequest, video_id: str) -> HttpResponseBase:
    video = find_video(video_id)
    variant = request.GET.get("variant") or "video"
    if variant not in VARIANTS:
        message = f"variant must be one of {', '.join(VARIANTS)}."
        raise ApiError(400, message, param="variant", code="invalid_value")
    if video.status != Video.Status.COMPLETED:
        raise no_content_yet(video)
    found = variant_file(video, variant)
    if found is None or not storage.exists(found[0]):
        raise ApiError(404, f"This video has no {variant} file.", code="not_found")
    name, filename = found
    return serve_stored(request, name, filename=filename)


def no_content_yet(video: Video) -> ApiError:
    """Why a video not completed has no content: still on its way, or failed (a cancel too)."""
    if video.status == Video.Status.FAILED:
        reason = (video.error_message or "").strip()
        if video.error_code == "cancelled":  # "Cancelled by ana." says by whom
            message = f"This video was cancelled, so it has no content. {reason}".strip()
        else:
            said = f"This video failed: {reason.rstrip('.')}" if reason else "This video failed"
            message = f"{said}; it has no content."
        return ApiError(400, message, code="video_failed")
    where = "queued" if video.status == Video.Status.QUEUED else f"in progress ({video.progress} %)"
    message = f"This video is still {where}; its content can be downloaded once it has completed."
    return ApiError(400, message, code="video_not_ready")


def no_such_route(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    message = f"remixer's API has no {request.method} {request.path}; see /v1/videos."
    raise ApiError(404, message, code="unknown_url")


videos = endpoint(GET=list_videos, POST=create_video)
video = endpoint(GET=retrieve_video, DELETE=delete_video)
remix = endpoint(POST=remix_video)
content = endpoint(GET=video_content, HEAD=video_content)
unknown_route = endpoint(fallback=no_such_route)


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
    """The videos that come after the video `after` in this order. A video trashed since
    keeps its place (its row stays), so a script that deletes as it pages goes on to the end."""
    cursor = with_id(after, trashed=True).values("created_at", "id").first()
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


def with_id(video_id: str, *, trashed: bool = False) -> VideoQuerySet:
    """The video with this id in the library (or the Trash too), if any; no id holds a NUL
    or an unpaired surrogate (from JSON), which the database would refuse."""
    videos = Video.objects.all() if trashed else Video.objects.in_library()
    return videos.filter(pk=video_id) if is_text(video_id) else videos.none()


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
    return answered(lambda: jobs.submit(form.spec(owner=owner)))


def answered(submit: Callable[[], Video]) -> JsonResponse:
    """The Video object of the job `submit` makes; the one door's refusals in the API's words."""
    try:
        video = submit()
    except jobs.TokenReused as error:
        raise ApiError(409, str(error), code="idempotency_key_reused") from error
    except TooManyJobs as error:
        raise ApiError(
            429,
            str(error),
            kind="rate_limit_error",
            code="rate_limit_exceeded",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from error
    except NotAllowed as error:
        raise ApiError(400, str(error), code="invalid_state") from error
    return JsonResponse(video.as_api_object())
