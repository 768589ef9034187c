"""The limit on jobs in flight: each person's, told with Retry-After on /v1 and in words on
the pages, exact under concurrent creates, and none for operators and workers."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django_tasks_db.models import DBTaskResult

from remixer.actions import jobs, specs
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.api_calls import assert_error, auth, create, job, post_json

pytestmark = pytest.mark.django_db


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
        assert "1 video queued or in progress" in response.content.decode()
    assert retried.status_code == 403  # the video page's refusal, in the same words
    assert "1 video queued or in progress" in retried.content.decode()
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
