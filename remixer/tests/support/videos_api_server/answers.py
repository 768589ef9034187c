"""What the server sends: answers, errors in each server's envelope, and what a web framework
says for a route the server does not have."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # announced Content-Length when it is not len(body)
    close: bool = False
    drop: bool = False  # close the connection without answering


def json_answer(status: int, payload: Any, **headers: str) -> Answer:
    return Answer(status, json.dumps(payload).encode(), headers=dict(headers))


@dataclass(eq=False)
class ServerError(Exception):
    """An error the API answers; rendered in the behaviour's error style."""

    status: int
    message: str
    param: str | None = None
    code: str | None = None
    type: str = "invalid_request_error"
    upstream: bool = True  # LiteLLM wraps errors that came from upstream, not its own
    detail: Any = None  # FastAPI's validation detail list (422)


def _status_class(status: int) -> str:
    names = {
        400: "BadRequestError",
        401: "AuthenticationError",
        404: "NotFoundError",
        409: "ConflictError",
        422: "UnprocessableEntityError",
        429: "RateLimitError",
    }
    return names.get(status, "InternalServerError" if status >= 500 else "APIError")


def _openai_envelope(error: ServerError) -> JSONDict:
    return {
        "error": {
            "message": error.message,
            "type": error.type,
            "param": error.param,
            "code": error.code,
        }
    }


def _litellm_envelope(error: ServerError) -> JSONDict:
    if not error.upstream:
        return {
            "error": {
                "message": error.message,
                "type": error.type,
                "param": str(error.param),
                "code": str(error.status),
            }
        }
    wrapped = json.dumps(_openai_envelope(error))
    message = f"litellm.{_status_class(error.status)}: OpenAIException - {wrapped}"
    return {"error": {"message": message, "type": None, "param": None, "code": str(error.status)}}


def _fastapi_envelope(error: ServerError) -> JSONDict:
    return {"detail": error.detail if error.detail is not None else error.message}


def _vllm_envelope(error: ServerError) -> JSONDict:
    if error.detail is not None:
        return {"detail": error.detail}
    return {
        "error": {
            "message": error.message,
            "type": _status_class(error.status),
            "param": error.param,
            "code": error.status,
        }
    }


def _newapi_envelope(error: ServerError) -> JSONDict:
    return {
        "error": {
            "message": error.message,
            "type": "new_api_error",
            "param": error.param or "",
            "code": error.code or "",
        }
    }


ERROR_STYLES: dict[str, Callable[[ServerError], JSONDict]] = {
    "openai": _openai_envelope,
    "litellm": _litellm_envelope,
    "fastapi": _fastapi_envelope,
    "vllm": _vllm_envelope,
    "newapi": _newapi_envelope,
}


def framework_answer(framework: str, status: int, method: str, path: str) -> Answer:
    """What the web framework says for a route the server does not have."""
    if framework == "gin":
        text = "404 page not found" if status == 404 else "405 method not allowed"
        return Answer(status, text.encode(), "text/plain")
    if framework == "starlette":
        if status == 404:
            return json_answer(status, {"detail": "Not Found"})
        return json_answer(status, {"detail": "Method Not Allowed"}, Allow="GET")
    message = f"Invalid URL ({method} {path})"
    return json_answer(
        status,
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        },
    )


def error_answer(style: str, error: ServerError) -> Answer:
    """An error as a server of `style` answers it."""
    return json_answer(error.status, ERROR_STYLES[style](error))
