"""Routing: which route a request names, the key it must carry, what a framework answers
where there is no route, and the OpenAPI document a FastAPI server publishes."""

from __future__ import annotations

from urllib.parse import unquote

from remixer.tests.support.videos_api_server.answers import (
    Answer,
    JSONDict,
    ServerError,
    framework_answer,
    json_answer,
)
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs
from remixer.tests.support.videos_api_server.bodies import request_fields, summary
from remixer.tests.support.videos_api_server.endpoints import Endpoints

ROUTES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("POST", ("videos",), "create"),
    ("POST", ("videos", "extensions"), "extensions"),
    ("GET", ("videos",), "list"),
    ("GET", ("videos", "{id}"), "retrieve"),
    ("DELETE", ("videos", "{id}"), "delete"),
    ("POST", ("videos", "{id}", "remix"), "remix"),
    ("GET", ("videos", "{id}", "content"), "content"),
)


def match_route(method: str, segments: list[str]) -> tuple[str | None, str | None, bool]:
    """(route name, path id, whether the path exists under another method)."""
    other_method = False
    for route_method, pattern, name in ROUTES:
        if len(pattern) != len(segments):
            continue
        ids = [seg for pat, seg in zip(pattern, segments, strict=True) if pat == "{id}"]
        fixed = all(pat == seg for pat, seg in zip(pattern, segments, strict=True) if pat != "{id}")
        if not fixed:
            continue
        if route_method == method:
            return name, unquote(ids[0]) if ids else None, False
        other_method = True
    return None, None, other_method


def route(
    endpoints: Endpoints,
    method: str,
    raw_path: str,
    query: dict[str, str],
    headers: dict[str, str],
    body: bytes,
) -> tuple[Answer, JSONDict | None]:
    """The answer to a request past its faults, and the fields it sent, if any, to record."""
    behaviour, knobs = endpoints.behaviour, endpoints.knobs
    segments = raw_path.split("/")
    lookup = "GET" if method == "HEAD" else method
    name, video_id, other_method = (None, None, False)
    if segments[:2] == ["", "v1"]:
        name, video_id, other_method = match_route(lookup, segments[2:])
    if raw_path == "/openapi.json" and lookup == "GET" and behaviour.openapi:
        return json_answer(200, openapi_document(behaviour)), None
    if not _authorised(knobs, headers):
        raise _auth_error(knobs, headers)
    framework = behaviour.framework
    if name is None:
        return framework_answer(framework, 405 if other_method else 404, method, raw_path), None
    missing = behaviour.missing_routes.get(name)
    if missing in (404, 405):
        return framework_answer(framework, missing, method, raw_path), None
    if missing is not None:
        raise ServerError(missing, f"This server does not support {method} {raw_path}.")
    if name in ("create", "remix", "extensions"):
        fields = request_fields(name, headers, body, behaviour)
        return getattr(endpoints, name)(video_id, fields), summary(fields)
    handler = getattr(endpoints, name)
    return (handler(video_id, query) if video_id is not None else handler(query)), None


def _authorised(knobs: Knobs, headers: dict[str, str]) -> bool:
    key = knobs.api_key
    if key is None:
        return True
    if knobs.auth_header.lower() == "authorization":
        return headers.get("authorization") == f"Bearer {key}"
    return headers.get(knobs.auth_header.lower()) == key


def _auth_error(knobs: Knobs, headers: dict[str, str]) -> ServerError:
    given = headers.get(knobs.auth_header.lower())
    if not given:
        message = (
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        )
        return ServerError(401, message, upstream=False)
    return ServerError(401, "Incorrect API key provided.", code="invalid_api_key", upstream=False)


def openapi_document(behaviour: Behaviour) -> JSONDict:
    """What FastAPI publishes for this server: its routes, and the create's form fields."""
    optional = [{"type": "string"}, {"type": "null"}]
    upload = [{"type": "string", "format": "binary"}, {"type": "null"}]
    video = behaviour.references == "video"
    fields: JSONDict = {
        "prompt": {"type": "string", "title": "Prompt"},
        "model": {"anyOf": optional, "title": "Model"},
        "size": {"anyOf": optional, "title": "Size"},
        "seconds": {"anyOf": optional, "title": "Seconds"},
        "input_reference": {
            "anyOf": upload,
            "description": "A reference image or video file" if video else "A reference image",
        },
    }
    media_types = "image/png, image/jpeg, image/webp" + (", video/mp4" if video else "")
    if video:
        fields["video_reference"] = {
            "anyOf": optional,
            "description": 'JSON: {"video_url": "https://… or data:video/mp4;base64,…"}',
        }
    body = "Body_create_video_v1_videos_post"
    create = {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"$ref": f"#/components/schemas/{body}"},
                    "encoding": {"input_reference": {"contentType": media_types}},
                }
            },
        }
    }
    paths: JSONDict = {
        "/v1/videos": {"post": create, "get": {}},
        "/v1/videos/{video_id}": {"get": {}, "delete": {}},
        "/v1/videos/{video_id}/content": {"get": {}},
    }
    if "remix" not in behaviour.missing_routes:
        paths["/v1/videos/{video_id}/remix"] = {"post": {}}
    schema = {"type": "object", "properties": fields, "required": ["prompt"]}
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": {body: schema}}}
