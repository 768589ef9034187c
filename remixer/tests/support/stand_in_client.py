"""Calling the Videos API stand-in as its own tests do: through the official SDK, or with raw
requests that carry its default key."""

from typing import Any

import requests
from openai import OpenAI

from remixer.tests.support.videos_api_server import VideosAPIServer

WIDE = {"size": "1280x720", "seconds": "4"}  # every download renders this one clip


def sdk(server: VideosAPIServer, **options: Any) -> OpenAI:
    return OpenAI(base_url=server.url, api_key="test-key", **{"max_retries": 0, **options})


def call(server: VideosAPIServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": "Bearer test-key", **kwargs.pop("headers", {})}
    return requests.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def create(server: VideosAPIServer, prompt: str = "waves", **fields: str) -> dict[str, Any]:
    """A create sent as multipart, the way the SDK and remixer send it."""
    form = {"prompt": prompt, **WIDE, **fields}
    answer = call(server, "POST", "/videos", files={k: (None, v) for k, v in form.items()})
    assert answer.status_code == 200, answer.text
    video: dict[str, Any] = answer.json()
    return video


def finish(server: VideosAPIServer) -> None:
    """Move the clock past the end of every job made so far."""
    server.advance(server.knobs.job_seconds + 0.01)
