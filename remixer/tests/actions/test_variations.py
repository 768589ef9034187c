"""Variations: one form asks for up to four jobs of one prompt, admitted whole or not at all."""

import io
import uuid
from dataclasses import replace
from typing import Any

import av
import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from remixer.actions import jobs, specs
from remixer.actions.errors import TooManyJobs
from remixer.models import Provider, Video
from remixer.models.recipes import parse_recipe
from remixer.providers.local import render_create
from remixer.tests.conftest import finished_video, job
from remixer.tests.support.uploads import png_bytes

pytestmark = pytest.mark.django_db


def new_video(client, count, token=None, **fields):  # type: ignore[no-untyped-def]
    data = {
        "prompt": "calm blue waves at dusk",
        "model": "remixer-local",
        "size": "1280x720",
        "seconds": "4",
        "count": str(count),
        "form_token": str(token or uuid.uuid4()),
    }
    return client.post("/videos/new", data | fields)


def test_three_variations_are_three_jobs_grouped_on_each_page(client, ana):
    Provider.default()
    client.force_login(ana)
    token = uuid.uuid4()
    response = new_video(client, 3, token=token)
    made = list(Video.objects.order_by("created_at", "id"))
    assert len(made) == 3 and DBTaskResult.objects.count() == 3  # each its own job and task
    assert response["Location"] == f"/videos/{made[0].id}"  # the first, the others beside it
    assert [v.form_token for v in made] == [uuid.uuid5(token, str(i)) for i in range(3)]
    assert {v.batch for v in made} == {token}
    assert {(v.prompt, v.status, v.progress) for v in made} == {
        ("calm blue waves at dusk", "queued", 0)
    }
    page = client.get(response["Location"]).content.decode()
    assert 'id="variations-heading">Variations' in page
    assert f'id="card-{made[1].id}"' in page and f'id="card-{made[2].id}"' in page
    assert f'id="card-{made[0].id}"' not in page
    library = client.get("/").content.decode()
    assert [library.count(f"variation {n} of 3</span>") for n in (1, 2, 3)] == [1, 1, 1]
    assert f"id={made[1].id}&amp;id={made[2].id}" in page  # their cards follow their progress

    again = new_video(client, 3, token=token)  # the same form sent twice: the same three
    assert again["Location"] == response["Location"] and Video.objects.count() == 3
    alone = client.get(job(ana, status="completed").get_absolute_url()).content.decode()
    assert "Variations" not in alone


def test_variations_past_the_active_job_limit_start_none(client, ana, settings):
    Provider.default()
    settings.REMIXER_MAX_ACTIVE_JOBS = 4
    running = [job(ana, status="in_progress") for _ in range(2)]
    client.force_login(ana)
    refused = new_video(client, 3)
    assert refused.status_code == 400
    said = refused.content.decode()
    assert "You have 2 videos queued or in progress and one may have 4 at once" in said
    assert "Ask for 2 at most" in said
    assert Video.objects.count() == 2 and DBTaskResult.objects.count() == 0  # none started
    assert new_video(client, 2).status_code == 302
    assert Video.objects.exclude(pk__in=[v.pk for v in running]).count() == 2


def test_a_count_out_of_range_is_refused_in_words(client, ana):
    Provider.default()
    client.force_login(ana)
    for count in ("0", "5", "two"):
        response = new_video(client, count)
        assert response.status_code == 400
        assert "Ask for 1 to 4 videos." in response.content.decode()
    assert Video.objects.count() == 0


def test_remix_variations_share_their_source_and_batch(client, ana, source):
    client.force_login(ana)
    token = uuid.uuid4()
    data = {"prompt": "sepia", "count": "2", "form_token": str(token)}
    response = client.post(f"/videos/{source.id}/remix", data, HTTP_HX_REQUEST="true")
    remixes = list(Video.objects.filter(remixed_from=source).order_by("created_at", "id"))
    assert [r.batch for r in remixes] == [token, token]
    assert response["HX-Redirect"] == f"/videos/{remixes[0].id}"
    form = client.get(source.get_absolute_url()).content.decode()
    assert '<select name="count"' in form and '<option value="4">4 variations</option>' in form


def test_one_job_goes_through_the_same_door_as_a_batch(ana, source, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    recipe = parse_recipe("sepia").to_json()
    spec = specs.remix_spec(
        owner=ana, source=source, prompt="sepia", recipe=recipe, token=uuid.uuid4()
    )
    first = jobs.submit(spec)
    assert first.batch is None and jobs.submit(spec) == first  # the token finds it again
    with pytest.raises(TooManyJobs):
        jobs.submit_batch(jobs.variations(replace(spec, token=uuid.uuid4()), 2))
    assert Video.objects.filter(remixed_from=source).count() == 1


def first_frame(path):  # type: ignore[no-untyped-def]
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def test_the_local_engine_draws_each_variation_as_another_take(tmp_path):
    takes: list[Any] = []
    for variation in (0, 0, 1):
        output = tmp_path / f"take-{len(takes)}.mp4"
        render_create(
            prompt="calm blue waves at dusk",
            size="320x180",
            seconds=1,
            output=output,
            reference_image=None,
            on_progress=lambda done, total: None,
            variation=variation,
        )
        takes.append(first_frame(output).astype(int))
    assert abs(takes[0] - takes[1]).mean() < 0.5  # the prompt's own take, as ever
    assert abs(takes[0] - takes[2]).mean() > 5  # another take of it
    video = Video(submission={"variation": 2}, batch=uuid.uuid4())
    assert (video.variation, Video(submission=None).variation) == (2, 0)


def test_variations_of_an_image_each_start_from_the_image(client, ana):
    Provider.default()
    client.force_login(ana)
    upload = io.BytesIO(png_bytes())
    upload.name = "harbour.png"
    assert new_video(client, 2, reference_image=upload).status_code == 302
    names = [v.reference_image.name for v in Video.objects.all()]
    assert len(set(names)) == 2 and all(name.startswith("references/") for name in names)
    for video in Video.objects.all():
        with Image.open(video.reference_image.path) as image:
            assert (image.format, image.size) == ("PNG", (64, 36))


def remix(client, source, prompt, count, **headers):  # type: ignore[no-untyped-def]
    data = {"prompt": prompt, "count": str(count), "form_token": str(uuid.uuid4())}
    return client.post(f"/videos/{source.id}/remix", data, **headers)


def strengths(video: Video) -> list[float]:
    return [step["params"]["strength"] for step in video.recipe["steps"]]


def test_local_remix_variations_go_gentler_to_stronger_each_with_its_recipe(client, ana, source):
    client.force_login(ana)
    assert remix(client, source, "grainy and warmer", 3).status_code == 302
    made = list(Video.objects.filter(remixed_from=source).order_by("created_at", "id"))
    assert [strengths(v) for v in made] == [[0.3, 0.3], [0.5, 0.5], [0.75, 0.75]]
    assert made[1].recipe == parse_recipe("grainy and warmer").to_json()  # as asked, as alone
    seeds = [v.recipe["steps"][1]["params"]["seed"] for v in made]
    assert len(set(seeds)) == 3  # each grain its own draw
    library = client.get("/").content.decode()
    for number, label in enumerate(["gentler", "as asked", "stronger"], start=1):
        assert library.count(f"variation {number} of 3 · {label}</span>") == 1
    page = client.get(made[0].get_absolute_url()).content.decode()
    assert "Warmer (30%)" in page and "Film grain (30%, take 1)" in page

    Video.objects.filter(pk=made[2].pk).update(status=Video.Status.FAILED)
    made[2].refresh_from_db()
    retry = specs.retry_spec(user=ana, video=made[2], token=uuid.uuid4())
    assert retry.recipe == made[2].recipe  # run again, the stronger one renders the same


def test_a_mirror_alone_makes_one_video_and_says_why(client, ana, source):
    client.force_login(ana)
    response = remix(client, source, "mirror it", 3, HTTP_HX_REQUEST="true")
    (video,) = Video.objects.filter(remixed_from=source)
    assert response["HX-Redirect"] == video.get_absolute_url() and video.batch is None
    page = client.get(video.get_absolute_url()).content.decode()
    assert "This recipe has nothing to vary (mirror), so it makes one video." in page
    assert "variation" not in video.submission
    alone = remix(client, source, "mirror it", 1)  # asked for one: nothing to say
    assert "nothing to vary" not in client.get(alone["Location"]).content.decode()


def test_variations_elsewhere_stay_takes_of_one_prompt(client, ana, clip_path):
    provider = Provider.objects.create(name="api", base_url="http://127.0.0.1:9/v1")
    source = finished_video(
        ana, clip_path, provider=provider, model="sora-2", provider_video_id="video_upstream"
    )
    client.force_login(ana)
    assert remix(client, source, "mirror it", 2).status_code == 302
    made = list(Video.objects.filter(remixed_from=source).order_by("created_at", "id"))
    assert [(v.provider, v.recipe, v.variation) for v in made] == [
        (provider, None, 0),
        (provider, None, 1),
    ]
    library = client.get("/").content.decode()
    assert "variation 2 of 2</span>" in library and "nothing to vary" not in library
