"""Calling remixer's /v1 through Django's test client: a key in the header, JSON bodies, the
error envelope every refusal comes in, and any JSON at all for bodies that must not cause a 500."""

import json

from django.test import Client
from hypothesis import strategies as st

from remixer.models import LOCAL_MODEL, Provider, Video

ENVELOPE_KEYS = {"message", "type", "param", "code"}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def auth(key: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **headers}


def post_json(client, path, body, key, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(path, data, content_type="application/json", headers=auth(key, **headers))


def create(client, key, **body):
    return post_json(client, "/v1/videos", {"prompt": "calm blue waves", **body}, key)


def assert_error(response, status: int, param: str | None = None, says: str = "") -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["param"] == param
    assert says in body["error"]["message"]
    return body["error"]


def job(owner, **fields) -> Video:
    """A video row, queued unless told otherwise: 4 s of 1280x720 from the local engine."""
    defaults = dict(
        owner=owner,
        provider=Provider.default(),
        model=LOCAL_MODEL,
        prompt="waves",
        size="1280x720",
        seconds="4",
    )
    return Video.objects.create(**{**defaults, **fields})


def page_json(client, user, video_id: str) -> dict:
    """What the video's page answers as JSON to `user`: the Video object /v1 must match."""
    session = Client()
    session.force_login(user)
    return session.get(f"/videos/{video_id}.json").json()
