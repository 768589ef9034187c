"""Driving real Videos-API servers (a loopback stand-in behaving like each) and copying home."""

import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django_tasks_db.models import DBTaskResult

from remixer.actions import videos
from remixer.files import storage
from remixer.lib import media
from remixer.models import CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.providers import answers
from remixer.tests.support.buckets import served_bytes, stored_bytes, stored_copy
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.worker import pipeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_http(settings):  # type: ignore[no-untyped-def]
    settings.REMIXER_HTTP_TIMEOUT = 2


@pytest.fixture
def api() -> Iterator[VideosAPIServer]:
    with VideosAPIServer("openai", job_seconds=0.6) as server:
        yield server


@pytest.fixture
def key(ana) -> str:  # type: ignore[no-untyped-def]
    return ApiKey.issue(user=ana, name="tests")[1]


def provider_for(server: VideosAPIServer, *models: str, **fields) -> Provider:  # type: ignore[no-untyped-def]
    provider = Provider.objects.create(
        name=f"{server.behaviour.name} server", base_url=server.url, api_key="test-key", **fields
    )
    for model in models or ("sora-2",):
        CatalogEntry.objects.create(provider=provider, name=model)
    return provider


def create(client, model="sora-2", prompt="a lighthouse in a storm", **extra):  # type: ignore[no-untyped-def]
    data = {
        "prompt": prompt,
        "model": model,
        "size": "1280x720",
        "seconds": "4",
        "form_token": str(uuid.uuid4()),
        **extra,
    }
    response = client.post("/videos/new", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Video.objects.get(pk=response["Location"].rsplit("/", 1)[1])


def drive(video: Video, timeout: float = 60, step: str = "submit") -> Video:
    """Run the job's steps as the workers would, from `step`, without waiting out their delays."""
    later: pipeline.Later | None = pipeline.Later(step, 0)
    deadline = time.monotonic() + timeout
    while later is not None:
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(min(later.seconds, 0.2))
        later = (pipeline.submit if later.step == "submit" else pipeline.poll)(video.pk)
    video.refresh_from_db()
    return video


def assert_archived(video: Video) -> None:
    assert (video.status, video.progress, video.error) == ("completed", 100, None), video.error
    with tempfile.TemporaryDirectory() as folder:
        path = stored_copy(video.video_file, Path(folder))
        probe = media.verify(path)
        assert (probe.width, probe.height) == (1280, 720)
        assert (video.file_size, video.file_sha256) == media.size_and_sha256(path)
    assert stored_bytes(video.thumbnail_file)[8:12] == b"WEBP"
    assert stored_bytes(video.spritesheet_file)[:3] == b"\xff\xd8\xff"


def test_a_video_made_on_a_server_is_copied_home_and_outlives_it(stores, client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = drive(create(client))
    assert_archived(video)
    assert api.count("POST", "/v1/videos") == 1
    assert video.provider_video_id in api.jobs
    obj = video.as_api_object()
    assert (obj["id"], obj["model"], obj["prompt"]) == (
        video.pk,
        "sora-2",
        "a lighthouse in a storm",
    )
    assert obj["expires_at"] is None
    assert video.provider_object["id"] == video.provider_video_id  # the raw answer, kept whole
    api.stop()
    assert served_bytes(client, f"/videos/{video.pk}/content") == stored_bytes(video.video_file)


def test_a_remix_goes_to_the_provider_that_made_the_source(client, ana, api):
    provider = provider_for(api)
    client.force_login(ana)
    source = drive(create(client))
    response = client.post(
        f"/videos/{source.pk}/remix", {"prompt": "make it winter", "form_token": str(uuid.uuid4())}
    )
    remix = Video.objects.get(pk=response["Location"].rsplit("/", 1)[1])
    assert (remix.provider, remix.model, remix.recipe) == (provider, "sora-2", None)
    remix = drive(remix)
    assert_archived(remix)
    assert api.count("POST", f"/v1/videos/{source.provider_video_id}/remix") == 1
    assert remix.remixed_from_video_id == source.pk
    assert Provider.objects.get(pk=provider.pk).can_remix is True


def test_litellm_style_ids_dropped_keys_and_ignored_variants(client, ana):
    with VideosAPIServer("litellm", job_seconds=0.5) as server:
        provider_for(server)
        client.force_login(ana)
        video = drive(create(client, prompt="fog over a harbour"))
    assert_archived(video)
    assert len(video.provider_video_id) > 200 and video.provider_video_id.endswith("=")
    assert (video.prompt, video.model) == ("fog over a harbour", "sora-2")
    assert (
        Provider.objects.get(kind="http").has_variants is False
    )  # thumbnail made here, not trusted


def test_sglang_style_no_remix_is_learnt_and_the_page_offers_the_local_engine(client, ana):
    with VideosAPIServer("sglang", job_seconds=0.5) as server:
        provider = provider_for(server, "Wan2.2")
        client.force_login(ana)
        source = drive(create(client, model="Wan2.2"))
        assert_archived(source)
        client.post(
            f"/videos/{source.pk}/remix", {"prompt": "at night", "form_token": str(uuid.uuid4())}
        )
        remix = drive(Video.objects.get(remixed_from=source))
    assert remix.status == "failed"
    assert (
        remix.error_message
        == "This provider cannot remix videos; remix with the local engine instead."
    )
    assert Provider.objects.get(pk=provider.pk).can_remix is False
    page = client.get(source.get_absolute_url()).content.decode()
    assert "cannot remix videos" in page and "procedural, not generative" in page
    client.post(
        f"/videos/{source.pk}/remix",
        {"prompt": "sepia", "form_token": str(uuid.uuid4()), "use_local": "True"},
    )
    local = Video.objects.filter(remixed_from=source).exclude(pk=remix.pk).get()
    assert local.provider.is_local and local.recipe["steps"][0]["step"] == "sepia"


def test_vllm_style_failed_job_with_a_500_video_body(client, ana):
    with VideosAPIServer("vllm", job_seconds=0.4) as server:
        provider_for(server, "Wan2.2")
        client.force_login(ana)
        video = drive(create(client, model="Wan2.2", prompt="FAIL this one"))
    assert video.status == "failed"
    assert video.error_message.startswith("The provider rejected the prompt:")


def test_newapi_style_milliseconds_and_status_words(client, ana):
    with VideosAPIServer(
        "newapi",
        job_seconds=0.5,
        status_words={"completed": "SUCCEEDED", "in_progress": "Processing"},
    ) as server:
        provider_for(server)
        client.force_login(ana)
        video = drive(create(client))
    assert_archived(video)
    assert video.completed_at.year == time.gmtime().tm_year


def test_bifrost_style_json_only_and_ids_routed_by_provider(client, ana):
    with VideosAPIServer("bifrost", job_seconds=0.5) as gateway:
        provider = provider_for(gateway, "openai/sora-2", body_encoding="json")
        client.force_login(ana)
        source = drive(create(client, model="openai/sora-2"))
        assert_archived(source)
        assert source.provider_video_id.endswith(":openai")
        assert source.provider_video_id.removesuffix(":openai") in gateway.jobs
        response = client.post(
            f"/videos/{source.pk}/remix", {"prompt": "in autumn", "form_token": str(uuid.uuid4())}
        )
        remix = drive(Video.objects.get(pk=response["Location"].rsplit("/", 1)[1]))
    assert_archived(remix)
    assert (remix.provider, remix.model) == (provider, "openai/sora-2")
    assert gateway.count("POST", f"/v1/videos/{source.provider_video_id}/remix") == 1


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
    assert pipeline.submit(video.pk) == pipeline.Later("submit", 30)
    fragment = client.get(f"/videos/{video.pk}/status").content.decode()
    assert "The provider is rate-limiting; remixer will retry." in fragment
    assert "Waiting to try the provider again" in fragment
    assert api.jobs == {}

    api.fail_next(3, status=503, method="GET")  # then polling meets an outage
    later = pipeline.submit(video.pk)
    assert later is not None and later.step == "poll" and len(api.jobs) == 1
    assert pipeline.poll(video.pk) is not None
    fragment = client.get(f"/videos/{video.pk}/status").content.decode()
    assert "The provider is failing (HTTP 503); remixer will retry." in fragment

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
    assert video.error_message == "The provider did not finish this video within 0 minutes."


def test_the_page_never_calls_the_provider(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    before = len(api.requests)
    for _ in range(5):
        client.get(f"/videos/{video.pk}/status")
        client.get(video.get_absolute_url())
    assert len(api.requests) == before == 0
    assert DBTaskResult.objects.count() == 1


def test_test_connection_learns_what_it_can(api):
    provider = provider_for(api)
    passed, said = videos.check_connection(provider)
    assert passed and said.startswith("The server answers and accepts the key. Remixing: ")
    provider.refresh_from_db()
    assert provider.can_list is True and provider.checked_at is not None
    Provider.objects.filter(pk=provider.pk).update(api_key="wrong")
    provider.refresh_from_db()
    assert videos.check_connection(provider) == (False, "The server answers but refuses the key.")
    with VideosAPIServer("litellm") as gateway:
        other = provider_for(gateway)
        videos.check_connection(other)
        other.refresh_from_db()
        assert other.can_list is False


@pytest.mark.parametrize(
    "server",
    [
        {"framework": "starlette", "missing_routes": {"list": 404, "retrieve": 404}},
        {"framework": "gin", "missing_routes": {"list": 404, "retrieve": 404}},
        {"framework": "openai", "missing_routes": {"list": 404, "retrieve": 404}},
    ],
)
def test_test_connection_fails_where_every_path_answers_404(server):
    with VideosAPIServer("openai", **server) as nowhere:
        provider = provider_for(nowhere)
        passed, said = videos.check_connection(provider)
    assert not passed and said.startswith("The server answers, but not as a Videos API:")
    assert "HTTP 404" in said and "Check the base URL" in said


def test_a_provider_can_be_defined_by_environment_variables(api):
    environ = {
        "REMIXER_PROVIDER_URL": api.url,
        "REMIXER_PROVIDER_KEY": "test-key",
        "REMIXER_PROVIDER_NAME": "Studio GPU",
        "REMIXER_PROVIDER_MODELS": "sora-2, sora-2-pro",
    }
    provider = videos.provider_from_environment(environ)
    again = videos.provider_from_environment({**environ, "REMIXER_PROVIDER_KEY": "new-key"})
    assert provider.pk == again.pk and again.api_key == "new-key"
    assert sorted(again.catalog.values_list("name", flat=True)) == ["sora-2", "sora-2-pro"]


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan"), "1e400", "x", None])
def test_numbers_from_a_provider_that_are_no_numbers_are_not_believed(number):
    assert answers.clamp_progress(number) == 0
    assert answers.unix_seconds(number) is None
    answer = requests.Response()
    answer.headers["Retry-After"] = str(number)
    answer.headers["openai-poll-after-ms"] = str(number)
    assert 0 <= answers.retry_after(answer) <= answers.MAX_RETRY_AFTER
    assert answers.poll_after_header(answer) is None
