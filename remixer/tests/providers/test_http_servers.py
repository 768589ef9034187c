"""Making and remixing videos on real Videos-API servers (a loopback stand-in behaving like
each), and copying them home."""

import time
import uuid

import pytest

from remixer.models import Provider, Video
from remixer.tests.support.buckets import served_bytes, stored_bytes
from remixer.tests.support.provider_jobs import assert_archived, create, drive, provider_for
from remixer.tests.support.videos_api_server import VideosAPIServer

pytestmark = pytest.mark.django_db


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
    assert (
        local.provider.kind == Provider.Kind.LOCAL and local.recipe["steps"][0]["step"] == "sepia"
    )


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
