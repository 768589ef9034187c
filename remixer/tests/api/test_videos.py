"""remixer's /v1 Videos API over raw HTTP: every answer, every error envelope, and its limits."""

import base64
import datetime as dt
import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.test import Client
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from remixer.actions import jobs, specs
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.actions.test_submissions import png_bytes, undecodable_png
from remixer.tests.conftest import finished_video

pytestmark = pytest.mark.django_db
ENVELOPE_KEYS = {"message", "type", "param", "code"}


@pytest.fixture
def key(ana) -> str:
    return ApiKey.issue(user=ana, name="tests")[1]


@pytest.fixture
def ben_key(ben) -> str:
    return ApiKey.issue(user=ben, name="tests")[1]


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
    session = Client()
    session.force_login(user)
    return session.get(f"/videos/{video_id}.json").json()


# Create ---------------------------------------------------------------------------------------


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


# Models and aliases ---------------------------------------------------------------------------


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


# Bodies ---------------------------------------------------------------------------------------


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


# Keys -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer   ", "Basic YW5hOmFuYS1wYXNzd29yZC0x", "Token rmx_x"],
)
def test_a_request_without_a_key_is_a_401(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    error = assert_error(client.get("/v1/videos", headers=headers), 401, None, "API key")
    assert error["code"] is None


def test_an_unknown_revoked_or_deactivated_key_is_a_401(client, ana, key):
    for wrong in ["rmx_" + "x" * 43, key + "x", key.upper()]:
        error = assert_error(client.get("/v1/videos", headers=auth(wrong)), 401)
        assert error["code"] == "invalid_api_key"
    ana.is_active = False
    ana.save()
    assert_error(client.get("/v1/videos", headers=auth(key)), 401)
    ana.is_active = True
    ana.save()
    assert client.get("/v1/videos", headers=auth(key)).status_code == 200
    ApiKey.objects.get().revoke()
    assert_error(client.get("/v1/videos", headers=auth(key)), 401)


def test_a_session_cookie_does_not_open_the_api(client, ana):
    client.force_login(ana)
    assert_error(client.get("/v1/videos"), 401)
    assert_error(client.post("/v1/videos", {"prompt": "x"}), 401)
    assert not Video.objects.exists()


def test_a_key_does_not_open_the_pages(client, key):
    for url in ["/", "/keys", "/videos/new", "/admin/"]:
        response = client.get(url, headers=auth(key))
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_api_needs_no_csrf_token_even_beside_a_session(ana, key):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert create(client, key).status_code == 200


# Routes and methods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/v1/videos", "GET, POST"),
        ("patch", "/v1/videos/video_1", "GET, DELETE"),
        ("get", "/v1/videos/video_1/remix", "POST"),
        ("delete", "/v1/videos/video_1/content", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_a_405_in_the_envelope(client, key, method, path, allowed):
    response = getattr(client, method)(path, headers=auth(key))
    assert_error(response, 405, None, allowed)
    assert response["Allow"] == allowed


@pytest.mark.parametrize(
    "path", ["/v1", "/v1/", "/v1/models", "/v1/videos/", "/v1/videos/x/y/z", "/v1/chat/completions"]
)
def test_an_unknown_route_under_v1_is_a_404_in_the_envelope(client, key, path):
    assert_error(client.get(path, headers=auth(key)), 404, None, "has no GET")
    assert_error(client.post(path, headers=auth(key)), 404)


# Retrieve, delete, remix ----------------------------------------------------------------------


def test_retrieve_answers_what_the_page_json_answers_for_any_teammate(client, ana, ben_key, source):
    response = client.get(f"/v1/videos/{source.pk}", headers=auth(ben_key))
    assert response.status_code == 200
    assert response.json() == page_json(client, ana, source.pk)


def test_an_unknown_id_is_a_404_everywhere(client, key):
    for method, suffix in [("get", ""), ("delete", ""), ("post", "/remix"), ("get", "/content")]:
        response = getattr(client, method)(f"/v1/videos/video_nope{suffix}", headers=auth(key))
        assert_error(response, 404, None, "video_nope")


def test_an_id_no_video_can_have_is_a_404_too(client, key):
    for method, suffix in [("get", ""), ("delete", ""), ("post", "/remix"), ("get", "/content")]:
        response = getattr(client, method)(f"/v1/videos/video%00x{suffix}", headers=auth(key))
        assert_error(response, 404)
    assert_error(client.get("/v1/videos", {"after": "a\x00b"}, headers=auth(key)), 400, "after")


def test_the_owner_deletes_a_finished_video(client, key, source, media_root):
    response = client.delete(f"/v1/videos/{source.pk}", headers=auth(key))
    assert response.status_code == 200
    assert response.json() == {"id": source.pk, "object": "video.deleted", "deleted": True}
    assert not Video.objects.in_library().exists()  # in the Trash, its files kept for now
    assert (media_root / "videos" / source.pk / "video.mp4").exists()
    assert_error(client.get(f"/v1/videos/{source.pk}", headers=auth(key)), 404)
    assert_error(client.delete(f"/v1/videos/{source.pk}", headers=auth(key)), 404)
    failed = job(source.owner, status="failed", error_message="boom")
    assert client.delete(f"/v1/videos/{failed.pk}", headers=auth(key)).status_code == 200


def test_a_running_video_is_not_deleted(client, ana, key):
    for status in ["queued", "in_progress"]:
        video = job(ana, status=status)
        response = client.delete(f"/v1/videos/{video.pk}", headers=auth(key))
        assert_error(response, 400, None, f"this one is {status}")
    assert Video.objects.count() == 2


def test_a_teammate_may_not_delete_anothers_video(client, ben_key, source):
    response = client.delete(f"/v1/videos/{source.pk}", headers=auth(ben_key))
    error = assert_error(response, 403, None, "Only the owner")
    assert error["code"] == "permission_denied"
    assert Video.objects.filter(pk=source.pk).exists()


def test_a_staff_key_deletes_only_its_owners_videos(client, staff, source, clip_path):
    staff_key = ApiKey.issue(user=staff, name="cleanup")[1]
    refused = client.delete(f"/v1/videos/{source.pk}", headers=auth(staff_key))
    assert_error(refused, 403, says="Only the owner of this video can delete it")
    assert Video.objects.filter(pk=source.pk).exists() and source.video_file.storage.exists(
        source.video_file.name
    )
    own = finished_video(staff, clip_path)
    assert client.delete(f"/v1/videos/{own.pk}", headers=auth(staff_key)).status_code == 200


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


def test_a_teammate_remixes_anything_completed(client, ben, ben_key, source):
    response = post_json(client, f"/v1/videos/{source.pk}/remix", {"prompt": "sepia"}, ben_key)
    assert response.status_code == 200
    answer = response.json()
    remix = Video.objects.get(pk=answer["id"])
    assert answer == page_json(client, ben, remix.pk)
    assert answer["remixed_from_video_id"] == source.pk
    assert (answer["size"], answer["seconds"], answer["model"]) == ("1280x720", "4", LOCAL_MODEL)
    assert remix.owner == ben
    assert remix.recipe["steps"] == [{"step": "sepia", "params": {"strength": 1.0}}]


def test_a_multipart_remix_works_too(client, key, source):
    response = client.post(f"/v1/videos/{source.pk}/remix", {"prompt": "mirror"}, headers=auth(key))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "Write a prompt."),
        ({"prompt": "make it prettier"}, "The local engine understands"),
        ({"prompt": 3}, "expected a string"),
    ],
)
def test_a_remix_prompt_the_engine_cannot_follow_is_refused(client, key, source, body, says):
    response = post_json(client, f"/v1/videos/{source.pk}/remix", body, key)
    assert_error(response, 400, "prompt", says)
    assert Video.objects.count() == 1


def test_model_remixer_local_remixes_a_video_whose_provider_cannot(client, ana, key, clip_path):
    gpu = Provider.objects.create(name="GPU box", base_url="http://127.0.0.1:9/v1")
    made_there = finished_video(ana, clip_path, provider=gpu, provider_video_id="video_gpu_1")
    CatalogEntry.objects.create(provider=gpu, name=made_there.model, remix_strategy="none")
    path = f"/v1/videos/{made_there.pk}/remix"
    refused = post_json(client, path, {"prompt": "sepia"}, key)
    assert_error(refused, 400, None, "GPU box cannot remix videos; remix with the local engine")
    assert Video.objects.count() == 1

    answer = post_json(client, path, {"prompt": "sepia", "model": LOCAL_MODEL}, key).json()
    remix = Video.objects.get(pk=answer["id"])
    assert (answer["model"], remix.provider, remix.recipe["steps"][0]["step"]) == (
        LOCAL_MODEL,
        Provider.default(),
        "sepia",
    )
    # Any other model name leaves the choice where it was.
    refused = post_json(client, path, {"prompt": "mirror", "model": "sora-2"}, key)
    assert refused.status_code == 400 and Video.objects.count() == 2


def test_an_unfinished_video_cannot_be_remixed(client, ana, key):
    video = job(ana, status="in_progress")
    response = post_json(client, f"/v1/videos/{video.pk}/remix", {"prompt": "sepia"}, key)
    assert_error(response, 400, None, "Only a completed video can be remixed.")


# List -----------------------------------------------------------------------------------------


@pytest.fixture
def five(ana, ben) -> list[str]:
    """Five videos a minute apart, oldest first, by two people."""
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return [
        job(ana if i % 2 else ben, created_at=start + dt.timedelta(minutes=i)).pk for i in range(5)
    ]


def listing(client, key, **params) -> dict:
    response = client.get("/v1/videos", params, headers=auth(key))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_list_is_the_team_library_newest_first(client, ana, key, five):
    answer = listing(client, key)
    assert [v["id"] for v in answer["data"]] == five[::-1]
    assert answer["data"][0] == page_json(client, ana, five[-1])
    assert (answer["object"], answer["first_id"], answer["last_id"], answer["has_more"]) == (
        "list",
        five[-1],
        five[0],
        False,
    )


@pytest.mark.parametrize("order", ["desc", "asc"])
def test_the_list_pages_with_after(client, key, five, order):
    expected = five[::-1] if order == "desc" else five
    seen, after, pages = [], None, 0
    while True:
        answer = listing(client, key, limit=2, order=order, **({"after": after} if after else {}))
        seen += [v["id"] for v in answer["data"]]
        pages += 1
        if not answer["has_more"]:
            break
        after = answer["last_id"]
    assert (seen, pages) == (expected, 3)


def test_videos_made_in_the_same_instant_page_by_id(client, ana, key):
    moment = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ids = sorted(job(ana, created_at=moment).pk for _ in range(4))
    first = listing(client, key, limit=2, order="asc")
    second = listing(client, key, limit=2, order="asc", after=first["last_id"])
    assert [v["id"] for v in first["data"] + second["data"]] == ids


def test_a_limit_of_zero_answers_an_empty_page(client, key, five):
    answer = listing(client, key, limit=0)
    assert answer == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": True,
    }


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": "-1"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"order": "newest"}, "order"),
        ({"after": "video_gone"}, "after"),
    ],
)
def test_bad_list_parameters_are_a_400(client, key, params, param):
    assert_error(client.get("/v1/videos", params, headers=auth(key)), 400, param)


# Content --------------------------------------------------------------------------------------


def test_content_is_the_mp4_with_the_pages_range_support(client, key, source, clip_path):
    whole = client.get(f"/v1/videos/{source.pk}/content", headers=auth(key))
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    body = b"".join(whole.streaming_content)
    assert body == clip_path.read_bytes() and body[4:8] == b"ftyp"
    part = client.get(
        f"/v1/videos/{source.pk}/content?variant=video", headers=auth(key, Range="bytes=0-99")
    )
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{len(body)}"
    assert b"".join(part.streaming_content) == body[:100]
    beyond = client.get(
        f"/v1/videos/{source.pk}/content", headers=auth(key, Range=f"bytes={len(body)}-")
    )
    assert beyond.status_code == 416
    head = client.head(f"/v1/videos/{source.pk}/content", headers=auth(key))
    assert (head.status_code, head["Content-Length"]) == (200, str(len(body)))
    assert head.content == b""


def test_content_errors_are_in_the_envelope(client, ana, key, source):
    url = f"/v1/videos/{source.pk}/content"
    assert_error(client.get(url, {"variant": "poster"}, headers=auth(key)), 400, "variant")
    assert_error(client.get(url, {"variant": "thumbnail"}, headers=auth(key)), 404)
    running = job(ana, status="in_progress")
    response = client.get(f"/v1/videos/{running.pk}/content", headers=auth(key))
    assert_error(response, 400, None, "in_progress")


# The limit on jobs in flight ------------------------------------------------------------------


def test_too_many_jobs_in_flight_is_a_429_with_retry_after(client, ana, key, source, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 2
    assert create(client, key).status_code == 200
    remix = post_json(client, f"/v1/videos/{source.pk}/remix", {"prompt": "sepia"}, key)
    assert remix.status_code == 200
    for response in [
        create(client, key),
        post_json(client, f"/v1/videos/{source.pk}/remix", {"prompt": "sepia"}, key),
    ]:
        error = assert_error(response, 429, None, "2 videos queued or in progress")
        assert (error["type"], error["code"]) == ("rate_limit_error", "rate_limit_exceeded")
        assert int(response["Retry-After"]) > 0
    assert Video.objects.count() == 3
    Video.objects.filter(pk=remix.json()["id"]).update(status="completed")
    assert create(client, key).status_code == 200


def test_the_limit_counts_each_person_apart(client, key, ben_key, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    assert create(client, key).status_code == 200
    assert create(client, ben_key).status_code == 200
    assert create(client, key).status_code == 429


def test_the_pages_say_so_too(client, ana, source, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    job(ana)
    client.force_login(ana)
    made = client.post(
        "/videos/new",
        {
            "prompt": "x",
            "model": LOCAL_MODEL,
            "size": "1280x720",
            "seconds": "4",
            "form_token": "b" * 32,
        },
    )
    remixed = client.post(f"/videos/{source.pk}/remix", {"prompt": "sepia", "form_token": "c" * 32})
    failed = job(ana, status=Video.Status.FAILED, error_message="boom")
    retried = client.post(f"/videos/{failed.pk}/retry", {"form_token": "d" * 32})
    for response in [made, remixed]:
        assert response.status_code == 400
        assert "1 videos queued or in progress" in response.content.decode()
    assert retried.status_code == 403  # the video page's refusal, in the same words
    assert "1 videos queued or in progress" in retried.content.decode()
    assert Video.objects.count() == 3


def test_the_limit_is_on_what_people_submit_not_on_operators_and_workers(ana, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    entry = CatalogEntry.objects.get(name=LOCAL_MODEL)
    for _ in range(3):
        jobs.submit(
            specs.create_spec(
                owner=ana,
                entry=entry,
                prompt="batch",
                size="1280x720",
                seconds="4",
                token=uuid.uuid4(),
                exempt=True,
            )
        )
    assert Video.objects.count() == 3


# Idempotency-Key ------------------------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_answers_the_first_job(client, key, ben_key):
    first = post_json(client, "/v1/videos", {"prompt": "a"}, key, **{"Idempotency-Key": "k1"})
    again = post_json(client, "/v1/videos", {"prompt": "a"}, key, **{"Idempotency-Key": "k1"})
    assert first.json() == again.json()
    assert Video.objects.count() == 1 and DBTaskResult.objects.count() == 1
    other = post_json(client, "/v1/videos", {"prompt": "a"}, ben_key, **{"Idempotency-Key": "k1"})
    assert other.json()["id"] != first.json()["id"]
    create(client, key)
    create(client, key)
    assert Video.objects.count() == 4


def test_a_key_reused_for_another_request_is_a_conflict(client, key):
    first = post_json(client, "/v1/videos", {"prompt": "a"}, key, **{"Idempotency-Key": "k2"})
    other = post_json(client, "/v1/videos", {"prompt": "b"}, key, **{"Idempotency-Key": "k2"})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert first.json()["id"] in other.json()["error"]["message"]
    assert Video.objects.count() == 1


def test_a_retry_finds_its_job_even_at_the_limit(client, key, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    first = post_json(client, "/v1/videos", {"prompt": "a"}, key, **{"Idempotency-Key": "k"})
    again = post_json(client, "/v1/videos", {"prompt": "a"}, key, **{"Idempotency-Key": "k"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_the_same_key_on_a_remix_is_its_own_job(client, key, source):
    headers = {"Idempotency-Key": "same"}
    made = post_json(client, "/v1/videos", {"prompt": "a"}, key, **headers).json()
    path = f"/v1/videos/{source.pk}/remix"
    remixed = post_json(client, path, {"prompt": "sepia"}, key, **headers).json()
    assert remixed["id"] != made["id"]
    assert post_json(client, path, {"prompt": "sepia"}, key, **headers).json() == remixed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_image", [False, True])
def test_twenty_concurrent_retries_make_one_job(live_server, ana, media_root, with_image):
    Provider.default()
    _, key = ApiKey.issue(user=ana, name="tests")
    headers = auth(key, **{"Idempotency-Key": "one-job-please"})
    fields = {"prompt": "calm blue waves", "seconds": "4"}
    image = {"input_reference": ("square.png", png_bytes(), "image/png")}
    body = {"data": fields, "files": image} if with_image else {"json": fields}

    def send(_: int) -> requests.Response:
        url = f"{live_server.url}/v1/videos"
        return requests.post(url, headers=headers, timeout=60, **body)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, range(20)))
    assert {response.status_code for response in answers} == {200}
    assert len({response.json()["id"] for response in answers}) == 1
    assert Video.objects.count() == 1 and DBTaskResult.objects.count() == 1
    stored = list((media_root / "references").glob("*"))
    assert len(stored) == with_image  # the image is stored once, for the one job


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_stop_exactly_at_the_limit(live_server, ana, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 5
    Provider.default()
    _, key = ApiKey.issue(user=ana, name="tests")

    def send(_: int) -> int:
        url = f"{live_server.url}/v1/videos"
        return requests.post(
            url, json={"prompt": "waves"}, headers=auth(key), timeout=60
        ).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = sorted(pool.map(send, range(12)))
    assert statuses == [200] * 5 + [429] * 7
    assert Video.objects.count() == 5 and DBTaskResult.objects.count() == 5


# The API and the pages share one library ------------------------------------------------------


def test_a_video_made_through_the_api_is_in_the_library_page(client, ben, key):
    made = create(client, key, prompt="a lighthouse at dusk").json()
    session = Client()
    session.force_login(ben)
    page = session.get("/").content.decode()
    assert made["id"] in page and "a lighthouse at dusk" in page


def test_a_video_made_in_the_page_is_retrievable_through_the_api(client, ana, key):
    session = Client()
    session.force_login(ana)
    session.post(
        "/videos/new",
        {
            "prompt": "x",
            "model": LOCAL_MODEL,
            "size": "1280x720",
            "seconds": "4",
            "form_token": "a" * 32,
        },
    )
    video = Video.objects.get()
    answer = client.get(f"/v1/videos/{video.pk}", headers=auth(key)).json()
    assert answer == session.get(f"/videos/{video.pk}.json").json()


# Whatever arrives, never a 500 ----------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
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


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["limit", "order", "after", "x"]),
        st.text(max_size=12) | st.sampled_from(["\x00", "5", "asc", "video_1"]),
    )
)
def test_any_list_query_gets_a_page_or_a_400(client, key, params):
    response = client.get("/v1/videos", params, headers=auth(key))
    assert response.status_code in (200, 400), response.content
