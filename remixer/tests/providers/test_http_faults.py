"""A provider that fails, rate-limits, hangs, drops, garbles or damages: remixer retries
what can be retried, never sends a create twice, and says in words why a video failed."""

import time

import pytest
import requests

from remixer.files import storage
from remixer.models import Provider, Video
from remixer.models.accounts import ApiKey
from remixer.providers import answers
from remixer.tests.support.provider_jobs import assert_archived, create, drive, provider_for
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.worker import pipeline, waits

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_http(settings):  # type: ignore[no-untyped-def]
    settings.REMIXER_HTTP_TIMEOUT = 2


@pytest.fixture
def key(ana) -> str:  # type: ignore[no-untyped-def]
    return ApiKey.issue(user=ana, name="tests")[1]


def test_a_burst_of_5xx_while_polling_is_ridden_out(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.fail_next(4, status=503, method="GET")
    assert_archived(drive(video))
    assert api.count("POST", "/v1/videos") == 1


def test_a_429_on_create_waits_and_sends_once_accepted(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    api.rate_limit_next(1, retry_after=1)
    video = drive(create(client))
    assert_archived(video)
    assert len(api.jobs) == 1


def test_while_the_provider_rate_limits_the_page_says_remixer_will_retry(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.rate_limit_next(1, retry_after=30)
    assert pipeline.submit(video.pk) == waits.Later("submit", 30)
    fragment = client.get(f"/videos/{video.pk}/status").content.decode()
    assert "The provider is rate-limiting. remixer tries again in 30 seconds." in fragment
    assert "Waiting to try the provider again" in fragment
    assert api.jobs == {}

    api.fail_next(3, status=503, method="GET")  # then polling meets an outage
    later = pipeline.submit(video.pk)
    assert later is not None and later.step == "poll" and len(api.jobs) == 1
    assert pipeline.poll(video.pk) is not None
    fragment = client.get(f"/videos/{video.pk}/status").content.decode()
    assert "The provider is failing (HTTP 503). remixer tries again in 15 seconds." in fragment

    assert_archived(drive(video, step="poll"))
    video.refresh_from_db()
    assert video.retry_reason == ""


def test_a_create_whose_answer_never_came_is_found_in_the_providers_list(
    client, ana, api, fast_http
):
    provider_for(api)
    client.force_login(ana)
    api.hang_next(1, seconds=4)
    video = drive(create(client))
    assert_archived(video)
    assert api.count("POST", "/v1/videos") == 1
    assert video.provider_video_id in api.jobs


def test_without_a_list_an_unanswered_create_fails_and_is_not_sent_again(client, ana, fast_http):
    with VideosAPIServer("litellm", job_seconds=0.5) as gateway:
        provider_for(gateway)
        client.force_login(ana)
        gateway.drop_after_create_next(1)
        video = drive(create(client))
        assert gateway.count("POST", "/v1/videos") == 1 and len(gateway.jobs) == 1
    assert video.status == "failed" and video.error_code == "outcome_unknown"
    assert "cannot tell whether the job started" in video.error_message
    assert gateway.url.removesuffix("/v1") in video.error_message  # where to look


def test_malformed_json_while_polling_is_retried(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    assert pipeline.submit(video.pk) is not None
    api.malformed_json_next(2)
    assert_archived(drive(video, step="poll"))


@pytest.mark.parametrize(
    "fault", [{"truncate_content": "body"}, {"truncate_content": "file"}, {"corrupt_content": True}]
)
def test_a_damaged_download_never_lands_and_is_retried(stores, client, ana, api, fault, media_root):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.set(**fault)
    later = pipeline.submit(video.pk)
    while later is not None and Video.objects.get(pk=video.pk).phase != "copying":
        time.sleep(0.2)
        later = pipeline.poll(video.pk)
    video.refresh_from_db()
    assert (video.status, video.phase, video.video_file.name) == ("in_progress", "copying", "")
    assert not (media_root / "videos" / video.pk).exists()
    assert not storage.exists(f"videos/{video.pk}/video.mp4")
    api.set(truncate_content=None, corrupt_content=False)
    assert pipeline.poll(video.pk) is None
    video.refresh_from_db()
    assert_archived(video)


def test_a_download_that_expires_fails_the_video(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.set(truncate_content="body", expires_in=1)  # a download that never arrives whole
    later = pipeline.submit(video.pk)
    while later is not None:
        time.sleep(0.3)
        later = pipeline.poll(video.pk)
    video.refresh_from_db()
    assert video.status == "failed"
    assert video.error_message == "The provider's download expired before remixer could copy it."


def test_a_file_that_is_no_video_fails_in_words_after_a_few_tries(client, ana, key):
    with VideosAPIServer("webpage", job_seconds=0.3) as server:
        provider_for(server)
        client.force_login(ana)
        video = drive(create(client), timeout=30)  # long before the download window ends
        content = server.received("GET", f"/v1/videos/{video.provider_video_id}/content")
        downloads = [r for r in content if "variant" not in r.query]
    assert video.status == "failed" and video.error_code == "unplayable_file"
    assert video.error_message.startswith("The provider's file is not a playable video.")
    assert len(downloads) == pipeline.UNPLAYABLE_ATTEMPTS
    answer = client.get(f"/v1/videos/{video.pk}", headers={"Authorization": f"Bearer {key}"})
    assert answer.json()["status"] == "failed"
    assert answer.json()["error"]["message"] == video.error_message
    assert not video.video_file


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"prompt": "FAIL please"}, "The provider rejected the prompt: Your request was blocked"),
        ({"key": "wrong"}, "The provider refused remixer's key."),
        ({"model": "sora-1"}, "The provider no longer offers this model (sora-1)."),
    ],
)
def test_failures_say_why_in_plain_words(client, ana, api, setup, message):
    provider = provider_for(api, "sora-2", "sora-1")
    Provider.objects.filter(pk=provider.pk).update(api_key=setup.get("key", "test-key"))
    client.force_login(ana)
    video = drive(
        create(client, model=setup.get("model", "sora-2"), prompt=setup.get("prompt", "a calm sea"))
    )
    assert video.status == "failed"
    assert video.error_message.startswith(message), video.error_message


def test_an_unreachable_provider_is_tried_again_later(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.stop()
    later = pipeline.submit(video.pk)
    assert later is not None and later.step == "submit"
    video.refresh_from_db()
    assert (video.status, video.submitted_at) == ("queued", None)
    api.start()
    assert_archived(drive(video))


def test_a_job_past_its_deadline_fails(client, ana, api):
    provider_for(api, job_deadline=1)
    client.force_login(ana)
    video = create(client, prompt="STALL forever")
    later = pipeline.submit(video.pk)
    time.sleep(1.2)
    while later is not None:
        later = pipeline.poll(video.pk)
    video.refresh_from_db()
    assert video.error_message == "The provider did not finish this video within 1 second."


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan"), "1e400", "x", None])
def test_numbers_from_a_provider_that_are_no_numbers_are_not_believed(number):
    assert answers.clamp_progress(number) == 0
    assert answers.unix_seconds(number) is None
    answer = requests.Response()
    answer.headers["Retry-After"] = str(number)
    answer.headers["openai-poll-after-ms"] = str(number)
    assert 0 <= answers.retry_after(answer) <= answers.MAX_RETRY_AFTER
    assert answers.poll_after_header(answer) is None
