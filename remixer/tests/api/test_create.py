"""remixer's /v1 create over raw HTTP: its fields, references and models, the bodies it
takes, and never a 500 whatever arrives."""

import base64
import io

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.tests.support.api_calls import (
    ENVELOPE_KEYS,
    JSON,
    assert_error,
    auth,
    create,
    page_json,
    post_json,
)
from remixer.tests.support.uploads import png_bytes, undecodable_png

pytestmark = pytest.mark.django_db


def test_a_json_create_answers_the_video_object_the_pages_render(client, ana, key):
    response = create(client, key)
    assert response.status_code == 200
    answer = response.json()
    assert answer == page_json(client, ana, answer["id"])
    assert (answer["status"], answer["model"], answer["size"], answer["seconds"]) == (
        "queued",
        LOCAL_MODEL,
        "720x1280",
        "4",
    )
    video = Video.objects.get()
    assert (video.owner, video.prompt) == (ana, "calm blue waves")
    assert DBTaskResult.objects.get().args_kwargs == {"args": [video.id], "kwargs": {}}


def test_a_multipart_create_takes_an_input_reference_file(client, key):
    upload = io.BytesIO(png_bytes(128, 72))
    upload.name = "first-frame.png"
    data = {"prompt": "a red card", "size": "1280x720", "seconds": "8", "input_reference": upload}
    response = client.post("/v1/videos", data, headers=auth(key))
    assert response.status_code == 200
    video = Video.objects.get(pk=response.json()["id"])
    assert (video.size, video.seconds) == ("1280x720", "8")
    with Image.open(video.reference_image.path) as image:
        assert (image.format, image.size) == ("PNG", (128, 72))


def test_a_json_create_takes_an_input_reference_as_a_data_url(client, key):
    url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    response = create(client, key, input_reference={"image_url": url}, seconds=4)
    assert response.status_code == 200 and response.json()["seconds"] == "4"
    assert Video.objects.get().reference_image.name.startswith("references/")


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ({"image_url": "https://example.com/cat.png"}, "remixer fetches no URLs"),
        ({"file_id": "file-123"}, "keeps no files"),
        ({"image_url": "data:image/png;base64,not base64!"}, "not valid base64"),
        ("just a string", "as an image file"),
        (["a", "list"], "as an image file"),
    ],
)
def test_a_reference_remixer_cannot_read_is_refused(client, key, reference, says):
    response = create(client, key, input_reference=reference)
    assert_error(response, 400, "input_reference", says)
    assert not Video.objects.exists()


def test_a_reference_that_is_not_an_image_is_refused_like_in_the_page(client, key):
    upload = io.BytesIO(b"%PDF-1.4 not an image")
    upload.name = "x.png"
    response = client.post(
        "/v1/videos", {"prompt": "x", "input_reference": upload}, headers=auth(key)
    )
    assert_error(response, 400, "input_reference", "The file is not an image remixer can read.")


@pytest.mark.parametrize("encoding", ["multipart", "data URL"])
def test_a_reference_whose_pixels_do_not_decode_is_a_400(client, key, media_root, encoding):
    image = undecodable_png()
    if encoding == "multipart":
        upload = io.BytesIO(image)
        upload.name = "reference.png"
        body = {"prompt": "waves", "model": LOCAL_MODEL, "input_reference": upload}
        response = client.post("/v1/videos", body, headers=auth(key))
    else:
        url = "data:image/png;base64," + base64.b64encode(image).decode()
        response = create(client, key, model=LOCAL_MODEL, input_reference={"image_url": url})
    assert_error(response, 400, "input_reference", "not an image remixer can read")
    assert not Video.objects.exists() and not [p for p in media_root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({}, "prompt", "Write a prompt."),
        ({"prompt": ""}, "prompt", "Write a prompt."),
        ({"prompt": "   "}, "prompt", "Write a prompt."),
        (
            {"prompt": "y" * 32001},
            "prompt",
            "The prompt is too long: write at most 32000 characters",
        ),
        ({"prompt": 7}, "prompt", "expected a string"),
        ({"prompt": ["a"]}, "prompt", "expected a string"),
        (
            {"prompt": "a", "size": "640x480"},
            "size",
            "640x480 is not a size on offer: 720x1280, 1280x720, 1024x1792 or 1792x1024.",
        ),
        (
            {"prompt": "a", "seconds": "5"},
            "seconds",
            "5 is not a length on offer, in seconds: 4, 8 or 12.",
        ),
        ({"prompt": "a", "seconds": 4.0}, "seconds", "expected a string"),
        ({"prompt": "a", "seconds": True}, "seconds", "expected a string"),
        ({"prompt": "a", "model": {"name": "sora-2"}}, "model", "expected a string"),
    ],
)
def test_bad_input_is_refused_with_its_param_and_changes_nothing(client, key, body, param, says):
    response = post_json(client, "/v1/videos", body, key)
    error = assert_error(response, 400, param, says)
    assert error["type"] == "invalid_request_error"
    assert not Video.objects.exists() and not DBTaskResult.objects.exists()


def test_a_size_the_model_does_not_make_is_refused(client, key):
    CatalogEntry.objects.filter(name=LOCAL_MODEL).update(sizes="1280x720")
    response = create(client, key, size="720x1280")
    assert_error(response, 400, "size", "remixer-local makes only 1280x720.")


# Models and aliases -------------------------------------------------------------------------------


def test_an_unknown_model_is_refused_with_the_models_on_offer(client, key):
    CatalogEntry.objects.filter(name=LOCAL_MODEL).update(aliases="sora-2-pro")
    response = create(client, key, model="veo-3")
    error = assert_error(response, 400, "model", "veo-3 is not a model on offer")
    assert "remixer-local (also sora-2-pro)" in error["message"]


def test_an_alias_chooses_its_entry_and_the_video_names_the_entry(client, key):
    CatalogEntry.objects.filter(name=LOCAL_MODEL).update(aliases="sora-2, sora-2-pro")
    for asked in ["sora-2", "sora-2-pro", None]:
        body = {} if asked is None else {"model": asked}
        response = create(client, key, **body)
        assert response.status_code == 200
        assert response.json()["model"] == LOCAL_MODEL
    assert Video.objects.filter(provider=Provider.default()).count() == 3


def test_without_a_model_the_entry_called_sora_2_is_chosen_if_there_is_one(client, key):
    gateway = Provider.objects.create(name="Gateway", base_url="http://127.0.0.1:9/v1")
    CatalogEntry.objects.create(provider=gateway, name="sora-2")
    response = create(client, key)
    assert response.status_code == 200 and response.json()["model"] == "sora-2"
    assert Video.objects.get().provider == gateway
    Provider.objects.filter(pk=gateway.pk).update(enabled=False)
    assert create(client, key).json()["model"] == LOCAL_MODEL


def test_an_alias_never_hides_a_real_name(client, key):
    gateway = Provider.objects.create(name="Gateway", base_url="http://127.0.0.1:9/v1")
    CatalogEntry.objects.create(provider=gateway, name="sora-2")
    CatalogEntry.objects.filter(name=LOCAL_MODEL).update(aliases="sora-2")
    create(client, key, model="sora-2")
    assert Video.objects.get().provider == gateway


# Bodies -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"prompt": "a",}', b"\xff\xfe\x00garbage", b"[" * 100_000, b'"prompt"', b"[1, 2]"],
)
def test_a_body_that_is_not_a_json_object_is_a_400(client, key, raw):
    response = post_json(client, "/v1/videos", raw, key)
    assert_error(response, 400, None, "JSON")


def test_a_body_of_another_type_is_a_415(client, key):
    response = client.post(
        "/v1/videos", "prompt=waves", content_type="text/plain", headers=auth(key)
    )
    assert_error(response, 415, None, "application/json or multipart/form-data")


def test_a_form_encoded_body_works_like_multipart(client, key):
    response = client.post(
        "/v1/videos",
        "prompt=waves&seconds=8",
        content_type="application/x-www-form-urlencoded",
        headers=auth(key),
    )
    assert response.status_code == 200 and response.json()["seconds"] == "8"


def test_an_oversized_json_body_is_a_413(client, key):
    response = create(client, key, padding="x" * (6 * 1024 * 1024))
    assert_error(response, 413, None, "too large")
    assert not Video.objects.exists()


def test_an_oversized_multipart_body_is_refused_before_it_is_read(client, key, settings):
    settings.REMIXER_MAX_IMAGE_BYTES = 1024
    upload = io.BytesIO(b"\0" * (2 * 1024 * 1024))
    upload.name = "huge.png"
    response = client.post(
        "/v1/videos", {"prompt": "x", "input_reference": upload}, headers=auth(key)
    )
    assert_error(response, 413, None, "too large")


def test_a_broken_multipart_body_is_a_400(client, key):
    response = client.post(
        "/v1/videos",
        b"--nope\r\nContent-Disposition: form-data\r\n\r\nx",
        content_type="multipart/form-data",  # no boundary
        headers=auth(key),
    )
    assert_error(response, 400, None, "multipart")


# Whatever arrives, never a 500 --------------------------------------------------------------------


FIELDS = st.sampled_from(["prompt", "model", "size", "seconds", "input_reference"]) | st.text(
    max_size=10
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.dictionaries(FIELDS, JSON | st.sampled_from(["4", "1280x720", LOCAL_MODEL]), max_size=5)
)
def test_any_json_object_to_create_gets_a_video_or_an_error_never_a_500(client, key, body):
    before = Video.objects.count()
    response = post_json(client, "/v1/videos", body, key)
    assert response.status_code in (200, 400, 429), response.content
    assert (Video.objects.count() > before) == (response.status_code == 200)
    if response.status_code != 200:
        assert set(response.json()["error"]) == ENVELOPE_KEYS


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            "application/json",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "text/plain",
            "",
            "application/json; charset=latin-1",
        ]
    ),
    path=st.sampled_from(
        ["/v1/videos", "/v1/videos/video_1/remix", "/v1/videos/%00/remix", "/v1/videos/edits"]
    ),
)
def test_any_bytes_to_a_post_get_an_envelope_never_a_500(client, key, raw, content_type, path):
    response = client.generic("POST", path, raw, content_type=content_type, headers=auth(key))
    assert 400 <= response.status_code < 500 or response.status_code == 200
    if response.status_code != 200:
        assert set(response.json()["error"]) == ENVELOPE_KEYS
