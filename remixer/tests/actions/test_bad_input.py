"""Bad input everywhere: a clear 4xx, never a 5xx, and nothing in the database or on disk."""

import io
import json
import logging
import shutil
import uuid
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remixer.lib.text import is_text
from remixer.models import LOCAL_MODEL, Video
from remixer.models.accounts import ApiKey

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="\u0000\u200b\ufeff<>\"'&%{}", max_size=40),
    st.sampled_from(["", " ", "4", "12", "1280x720", "remixer-local", "null", "-1", "9" * 40]),
    st.integers().map(str),
)


def state(media_root) -> tuple[int, int, list[object]]:  # type: ignore[no-untyped-def]
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    return Video.objects.count(), DBTaskResult.objects.count(), files


@EXAMPLES
@given(
    data=st.dictionaries(
        st.sampled_from(["prompt", "model", "size", "seconds", "form_token", "other"]), values
    )
)
def test_the_new_video_form_never_fails_on_anything(client, ana, media_root, data):
    client.force_login(ana)
    before = state(media_root)
    response = client.post("/videos/new", data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state(media_root) == before


@EXAMPLES
@given(prompt=values, token=values)
def test_the_remix_form_never_fails_on_anything(client, ana, source, media_root, prompt, token):
    client.force_login(ana)
    before = state(media_root)
    response = client.post(f"/videos/{source.pk}/remix", {"prompt": prompt, "form_token": token})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state(media_root) == before


@EXAMPLES
@given(identifier=st.text(min_size=1, max_size=600), query=values)
def test_any_id_or_query_gets_a_clear_answer(client, ana, source, identifier, query):
    client.force_login(ana)
    video = quote(identifier, safe="")
    for url in [
        f"/videos/{video}",
        f"/videos/{video}.json",
        f"/videos/{video}/status",
        f"/videos/{video}/content",
        f"/videos/{video}/preview",
    ]:
        assert client.get(url).status_code in (200, 204, 301, 404), url
    for url in [
        f"/videos/{video}/remix",
        f"/videos/{video}/retry",
        f"/videos/{video}/cancel",
        f"/videos/{video}/delete",
    ]:
        assert client.post(url, {"prompt": query}).status_code in (400, 403, 404), url
    asked = {"page": query, "q": query, "status": query, "mine": query}
    assert client.get("/", asked).status_code == 200
    assert client.get("/remix", asked, headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/videos/live", {"id": [identifier, source.pk]}).status_code == 200
    assert client.get("/recipe", {"prompt": query}).status_code == 200
    response = client.get(f"/videos/{source.pk}/content", {"variant": query})
    assert response.status_code in (200, 404)
    ranged = client.get(f"/videos/{source.pk}/content", headers={"Range": f"bytes={query}"})
    assert ranged.status_code in (200, 206, 416)
    assert Video.objects.count() == 1


def test_oversized_bodies_are_refused(client, ana, source, media_root):
    client.force_login(ana)
    before = state(media_root)
    huge = client.post(
        f"/videos/{source.pk}/remix",
        {"prompt": "x" * (6 * 1024 * 1024), "form_token": str(uuid.uuid4())},
    )
    assert huge.status_code == 400
    many = client.post("/videos/new", {f"field{n}": "x" for n in range(2000)})
    assert many.status_code == 400
    assert state(media_root) == before


@EXAMPLES
@given(blob=st.binary(max_size=2000), sidecar=st.binary(max_size=200))
def test_imports_of_junk_change_nothing(client, ana, media_root, blob, sidecar):
    client.force_login(ana)
    before = state(media_root)
    video, side = io.BytesIO(blob), io.BytesIO(sidecar)
    video.name, side.name = "x.mp4", "x.json"
    response = client.post("/videos/import", {"video": video, "sidecar": side})
    assert response.status_code == 400
    assert state(media_root) == before


# Text that is not text, and numbers that are not numbers, on every path -------------------

# Unpaired surrogates come only through JSON; undecodable bytes only through forms.
NOT_TEXT = st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff", "sunset\x00", "\ufffd"])
TEXT = st.one_of(
    NOT_TEXT,
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.sampled_from(["²", "٣", "", " ", "sepia"]),
)
NUMBERS = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "1e400", "-1", "0", "4", "9" * 40, "4.0", "²"]),
    st.floats(),
    st.integers(min_value=-(2**70), max_value=2**70),
)
BYTES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xff\xfe", b"calm\x00sea", b"\xed\xa0\x80", b"\xc3", b"sunset \xe9t\xe9"]),
    NUMBERS.map(lambda number: str(number).encode()),
)
BOUNDARY = "remixer-test-boundary-4f1c"
API_FIELDS = ["prompt", "model", "size", "seconds", "input_reference"]
PAGE_FIELDS = ["prompt", "model", "size", "seconds", "form_token", "name", "use_local"]
FEW = settings(EXAMPLES, max_examples=30)
# Valid input with one or two fields made hostile, so each fault is reached on its own.
API_BASE = {"prompt": "black and white", "model": LOCAL_MODEL, "size": "1280x720", "seconds": "4"}
PAGE_BASE = {name: value.encode() for name, value in API_BASE.items()} | {"name": b"a key"}
SIDECAR_BASE = {
    "id": "video_123",
    "prompt": "a calm sea",
    "model": "sora-2",
    "size": "1280x720",
    "seconds": "4",
    "created_at": 1759938772,
}


def hostile(base: dict[Any, Any], names: list[Any], values: Any) -> Any:
    bad = st.dictionaries(st.sampled_from(names), values, min_size=1, max_size=2)
    return bad.map(lambda fields: base | fields)


def full_state(media_root) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (*state(media_root), ApiKey.objects.count())


def multipart(fields: dict[str, bytes]) -> bytes:
    """A multipart body with these raw bytes as its fields, however they decode."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_multipart(client, path: str, fields: dict[str, bytes], **headers: str):  # type: ignore[no-untyped-def]
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return client.generic(
        "POST", path, multipart(fields), content_type=content_type, headers=headers
    )


def assert_refused_or_done(response, before, after, done: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.content[:500]
    if response.status_code not in done:
        assert after == before


@pytest.fixture
def key(ana) -> str:  # type: ignore[no-untyped-def]
    return ApiKey.issue(user=ana, name="tests")[1]


@FEW
@given(fields=hostile(PAGE_BASE, PAGE_FIELDS, BYTES), token=st.booleans())
def test_any_bytes_in_the_pages_forms_change_nothing(
    client, ana, source, media_root, fields, token
):
    client.force_login(ana)
    for path in ["/videos/new", f"/videos/{source.pk}/remix", "/keys"]:
        before = full_state(media_root)
        fresh = {"form_token": str(uuid.uuid4()).encode()} if token else {}
        response = post_multipart(client, path, fresh | fields)
        assert_refused_or_done(response, before, full_state(media_root), (200, 302))
    stored = [
        *ApiKey.objects.values_list("name", flat=True),
        *Video.objects.values_list("prompt", flat=True),
    ]
    assert all(is_text(text) for text in stored if text)


@FEW
@given(fields=hostile(PAGE_BASE, API_FIELDS, BYTES))
def test_any_bytes_in_an_api_multipart_body_change_nothing(client, key, source, media_root, fields):
    for path in ["/v1/videos", f"/v1/videos/{source.pk}/remix"]:
        before = full_state(media_root)
        response = post_multipart(client, path, fields, Authorization=f"Bearer {key}")
        assert_refused_or_done(response, before, full_state(media_root), (200,))
        if response.status_code != 200:
            assert set(response.json()["error"]) == {"message", "type", "param", "code"}


@settings(EXAMPLES, max_examples=60)
@given(body=hostile(API_BASE, API_FIELDS, TEXT | NUMBERS))
def test_any_text_or_number_in_api_json_changes_nothing(client, key, source, media_root, body):
    raw = json.dumps(body)  # "\ud800" and NaN travel as JSON writes them
    for path in ["/v1/videos", f"/v1/videos/{source.pk}/remix"]:
        before = full_state(media_root)
        response = client.post(
            path, raw, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
        )
        assert_refused_or_done(response, before, full_state(media_root), (200,))


@FEW
@given(bad=hostile({}, ["prompt", "seconds", "id"], TEXT | NUMBERS))
def test_any_text_or_number_in_an_edit_or_extension_changes_nothing(
    client, key, source, media_root, bad
):
    body = {"prompt": "black and white", "seconds": "4"} | bad
    body["video"] = {"id": body.pop("id", source.pk)}
    for path in ["/v1/videos/edits", "/v1/videos/extensions"]:
        before = full_state(media_root)
        response = client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert_refused_or_done(response, before, full_state(media_root), (200,))


SIDECAR_KEYS = ["id", "prompt", "model", "size", "seconds", "created_at", "quality"]


@settings(EXAMPLES, max_examples=20)
@given(
    sidecar=hostile(SIDECAR_BASE, [*SIDECAR_KEYS, "\ud800", "a\x00"], TEXT | NUMBERS | st.none())
)
def test_any_sidecar_imports_or_changes_nothing(client, ana, clip_path, media_root, sidecar):
    client.force_login(ana)
    before = full_state(media_root)
    video, side = io.BytesIO(clip_path.read_bytes()), io.BytesIO(json.dumps(sidecar).encode())
    video.name, side.name = "kept.mp4", "kept.json"
    response = client.post("/videos/import", {"video": video, "sidecar": side})
    assert_refused_or_done(response, before, full_state(media_root), (302,))
    Video.objects.all().delete()  # an import that worked: the next example starts afresh
    shutil.rmtree(media_root, ignore_errors=True)


@FEW
@given(query=st.dictionaries(st.sampled_from(["limit", "order", "after", "page", "q"]), BYTES))
def test_any_bytes_in_a_query_string_get_a_page_or_a_400(client, ana, key, query):
    client.force_login(ana)
    encoded = "&".join(f"{name}={quote_from_bytes(value)}" for name, value in query.items())
    assert client.get(f"/?{encoded}").status_code == 200
    assert client.get(f"/remix?{encoded}").status_code == 200
    listed = client.get(f"/v1/videos?{encoded}", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code in (200, 400)


# The faults the property tests found, each pinned --------------------------------------------


@pytest.mark.parametrize("limit", ["²", "٣", "+5", " 5", "5\n", "1" * 5000])
def test_a_limit_that_is_not_ascii_digits_is_a_400(client, key, limit):
    response = client.get(
        "/v1/videos", {"limit": limit}, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 400 and response.json()["error"]["param"] == "limit"


@pytest.mark.parametrize("prompt", ['"\\ud800 waves"', '"waves\\udfff"', '"waves\\u0000"'])
def test_a_json_prompt_that_is_not_text_is_refused_in_words(
    client, key, source, prompt, media_root
):
    before = full_state(media_root)
    for path, model in [("/v1/videos", LOCAL_MODEL), (f"/v1/videos/{source.pk}/remix", "")]:
        raw = f'{{"prompt": {prompt}, "model": "{model}"}}'
        response = client.post(
            path, raw, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["param"] == "prompt" and (
            "not valid" in error["message"] or "Null" in error["message"]
        )
    assert full_state(media_root) == before


@pytest.mark.parametrize("path", ["/v1/videos/edits", "/v1/videos/extensions"])
@pytest.mark.parametrize("video_id", ["\\ud800", "video_\\udfff", "a\\u0000"])
def test_a_json_video_id_that_is_not_text_is_not_found(client, key, media_root, path, video_id):
    raw = f'{{"prompt": "black and white", "seconds": "4", "video": {{"id": "{video_id}"}}}}'
    before = full_state(media_root)
    response = client.post(
        path, raw, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert full_state(media_root) == before


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_live_poll_since_a_time_past_the_calendar_is_a_400(client, ana, since):
    client.force_login(ana)
    response = client.get("/live", {"since": since})
    assert response.status_code == 400 and b"since must be" in response.content


def test_undecodable_bytes_in_a_page_form_are_refused_in_words(client, ana, media_root):
    client.force_login(ana)
    fields = {
        "prompt": b"sunset over the sea \xff\xfe",
        "model": LOCAL_MODEL.encode(),
        "size": b"1280x720",
        "seconds": b"4",
        "form_token": str(uuid.uuid4()).encode(),
    }
    before = full_state(media_root)
    response = post_multipart(client, "/videos/new", fields)
    assert response.status_code == 400
    assert "not valid: it holds bytes that are not UTF-8" in response.content.decode()
    assert full_state(media_root) == before


def configured_handlers(name: str) -> list[logging.Handler]:
    """The handlers a record of this logger reaches, up to (not including) the root, where
    only the test runner listens."""
    found: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger(name)
    while logger is not None and logger is not logging.getLogger():
        found.extend(logger.handlers)
        logger = logger.parent if logger.propagate else None
    return found


def test_a_page_error_is_logged_with_its_traceback(client, ana, monkeypatch, settings):
    def broken(prompt: str, source: object = None) -> None:
        raise RuntimeError("the recipe parser broke")

    settings.DEBUG = False  # as in production
    monkeypatch.setattr("remixer.worker.stills.parse_recipe", broken)
    client.raise_request_exception = False
    client.force_login(ana)
    logged = io.StringIO()
    streams = [
        h for h in configured_handlers("django.request") if isinstance(h, logging.StreamHandler)
    ]
    previous = [handler.setStream(logged) for handler in streams]
    try:
        assert client.get("/recipe", {"prompt": "sepia"}).status_code == 500
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.setStream(stream)
    assert "Internal Server Error: /recipe" in logged.getvalue()
    assert "Traceback" in logged.getvalue() and "the recipe parser broke" in logged.getvalue()
