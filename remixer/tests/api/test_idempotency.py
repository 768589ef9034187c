"""Idempotency-Key on /v1: a retry answers the job the first request made, however many
arrive at once; a key reused for another request is a conflict."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django_tasks_db.models import DBTaskResult

from remixer.models import Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.api_calls import auth, create, post_json
from remixer.tests.support.uploads import png_bytes

pytestmark = pytest.mark.django_db


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
