"""remixer's /v1 remix: a teammate remixes anything completed, with the local engine where
the provider cannot, and a prompt the engine cannot follow is refused."""

import pytest

from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.tests.conftest import finished_video
from remixer.tests.support.api_calls import assert_error, auth, job, page_json, post_json

pytestmark = pytest.mark.django_db


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
