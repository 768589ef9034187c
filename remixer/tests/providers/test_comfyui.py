"""ComfyUI as a provider, against a stand-in that speaks its protocol and runs real work on
the frames: a team's workflows are models, their marked inputs filled; create and remix end
archived with the size, length and pixels the workflow made; refusals, node errors, a
restart and a busy queue are told in words."""

import io
import json
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openai import OpenAI

from remixer import tasks
from remixer.actions import providers, videos
from remixer.admin.providers import CatalogForm
from remixer.models import CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.providers import comfyui, strategies, workflows
from remixer.tests.support import comfyui_workflows as made
from remixer.tests.support.buckets import stored_copy
from remixer.tests.support.comfyui_server import ComfyUIServer, serve
from remixer.tests.support.provider_jobs import drive
from remixer.worker import pipeline, waits

pytestmark = pytest.mark.django_db


@pytest.fixture
def comfy() -> Iterator[ComfyUIServer]:
    with serve(node_seconds=0.01) as server:
        yield server


@pytest.fixture
def team(comfy: ComfyUIServer) -> Provider:
    """A ComfyUI with two workflows: one that makes a red video, one that inverts one."""
    provider = Provider.objects.create(name="gpu box", kind="comfyui", base_url=comfy.url)
    for name, workflow in (
        ("make-red", made.solid_colour()),
        ("invert", made.inverted()),
        ("from-frame", made.from_frame()),
    ):
        providers.save_workflow(provider, name, json.dumps(workflow))
    return provider


@pytest.fixture
def key(ana) -> str:  # type: ignore[no-untyped-def]
    return ApiKey.issue(user=ana, name="tests")[1]


def post(client, key: str, path: str, body: dict[str, str]):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def create(client, key: str, model: str, prompt: str = "a red field") -> Video:  # type: ignore[no-untyped-def]
    body = {"prompt": prompt, "model": model, "size": "720x1280", "seconds": "4"}
    answer = post(client, key, "/v1/videos", body)
    assert answer.status_code == 200, answer.content
    return Video.objects.get(pk=answer.json()["id"])


def first_frame(video: Video) -> tuple[int, int, float, np.ndarray]:
    """Width, height, seconds and the first frame (RGB) of the stored file."""
    with tempfile.TemporaryDirectory() as folder:
        path = stored_copy(video.video_file, Path(folder))
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            seconds = float(stream.frames / stream.average_rate) if stream.frames else 0.0
            frame = next(container.decode(stream)).to_ndarray(format="rgb24")
    return frame.shape[1], frame.shape[0], seconds, frame


def test_a_workflow_makes_a_video_of_the_size_length_and_pixels_asked(client, key, comfy, team):
    video = drive(create(client, key, "make-red"))
    assert (video.status, video.error) == ("completed", None)
    width, height, seconds, frame = first_frame(video)
    assert (width, height, seconds) == (720, 1280, 4.0)
    assert np.abs(frame[640, 360].astype(int) - [255, 0, 0]).max() < 24  # red
    sent = comfy.received("POST", "/prompt")[0].json()
    assert sent["client_id"] == f"remixer-{video.pk}"
    assert sent["prompt"]["10"]["inputs"]["value"] == "a red field"
    assert sent["prompt"]["11"]["inputs"]["value"] == 720
    assert sent["prompt"]["13"]["inputs"]["value"] == 4  # 4 s at the workflow's 1 fps
    assert video.workflow["workflow"] == made.solid_colour()  # kept as it was asked


def test_a_remix_naming_a_workflow_inverts_the_source(client, key, comfy, team):
    red = drive(create(client, key, "make-red"))
    answer = post(
        client, key, f"/v1/videos/{red.pk}/remix", {"prompt": "invert", "model": "invert"}
    )
    assert answer.status_code == 200, answer.content
    remix = drive(Video.objects.get(pk=answer.json()["id"]))
    assert (remix.status, remix.model, remix.strategy) == ("completed", "invert", "workflow")
    assert remix.remixed_from_id == red.pk
    *_, frame = first_frame(remix)
    assert np.abs(frame[640, 360].astype(int) - [0, 255, 255]).max() < 24  # red inverted: cyan
    uploaded = comfy.received("POST", "/upload/image")
    assert len(uploaded) == 1 and b'name="subfolder"\r\n\r\nremixer' in uploaded[0].body
    assert (comfy.input_dir / "remixer" / f"{remix.pk}-source.mp4").exists()


def test_a_workflow_from_an_image_remixes_from_the_first_frame_and_extends_from_the_last(
    client, key, comfy, team
):
    red = drive(create(client, key, "make-red"))
    answer = post(client, key, f"/v1/videos/{red.pk}/remix", {"prompt": "x", "model": "from-frame"})
    cyan = drive(Video.objects.get(pk=answer.json()["id"]))
    assert (cyan.status, cyan.error) == ("completed", None)
    body = {"video": {"id": cyan.pk}, "prompt": "and back", "seconds": "4"}
    answer = post(client, key, "/v1/videos/extensions", body)
    assert answer.status_code == 200, answer.content
    longer = drive(Video.objects.get(pk=answer.json()["id"]))
    assert (longer.status, longer.strategy, longer.seconds) == ("completed", "last_frame", "8")
    assert longer.provider_id == team.pk
    with tempfile.TemporaryDirectory() as folder:
        path = stored_copy(longer.video_file, Path(folder))
        with av.open(str(path)) as container:
            frames = [f.to_ndarray(format="rgb24")[640, 360] for f in container.decode(video=0)]
    assert np.abs(frames[0].astype(int) - [0, 255, 255]).max() < 24  # the source: cyan
    assert np.abs(frames[-1].astype(int) - [255, 0, 0]).max() < 24  # its last frame inverted


def test_the_remix_form_offers_the_workflows_that_remix_any_video(client, ana, comfy, team, source):
    client.force_login(ana)
    page = client.get(source.get_absolute_url()).content.decode()  # a local engine's video
    assert "Or remix through a ComfyUI workflow" in page
    assert '<option value="invert">invert on gpu box (video-to-video)</option>' in page
    assert "from-frame on gpu box (from the first frame)" in page and "make-red on" not in page
    form = {"prompt": "the negative", "workflow": "invert", "form_token": str(uuid.uuid4())}
    answer = client.post(f"/videos/{source.pk}/remix", form)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    remix = Video.objects.get(remixed_from=source)
    assert (remix.provider_id, remix.model, remix.strategy) == (team.pk, "invert", "workflow")
    assert remix.workflow["roles"]["video"] == ["1", "file"]
    said = strategies.describe(team, "invert")  # what a remix of such a video's page says
    assert said == "remixed by gpu box through the workflow invert"


def test_a_workflow_that_only_creates_cannot_remix(client, key, comfy, team):
    red = drive(create(client, key, "make-red"))
    answer = post(client, key, f"/v1/videos/{red.pk}/remix", {"prompt": "bluer"})
    assert answer.status_code == 400
    assert "make-red on gpu box makes videos from words alone" in answer.json()["error"]["message"]
    Provider.objects.filter(pk=team.pk).update(default_remix_model="invert")  # in the admin
    answer = post(client, key, f"/v1/videos/{red.pk}/remix", {"prompt": "bluer"})
    assert answer.status_code == 200, answer.content
    assert Video.objects.get(pk=answer.json()["id"]).model == "invert"


def test_a_node_this_comfyui_lacks_is_named_by_the_connection_test_and_the_job(
    client, key, comfy, team
):
    providers.save_workflow(team, "wan-vace", json.dumps(made.needing("WanVaceToVideo")))
    checked = providers.check_connection(team)
    assert not checked.passed
    assert "wan-vace needs WanVaceToVideo, which this ComfyUI does not have" in checked.message
    video = drive(create(client, key, "wan-vace"))
    assert (video.status, video.error_code) == ("failed", "workflow_refused")
    assert "Cannot execute because node WanVaceToVideo does not exist." in video.error_message


def test_an_execution_error_names_the_node_and_its_exception(client, key, comfy, team):
    red = drive(create(client, key, "make-red"))
    comfy.set(fail_node_class="ImageInvert", fail_message="out of memory")
    answer = post(client, key, f"/v1/videos/{red.pk}/remix", {"prompt": "x", "model": "invert"})
    video = drive(Video.objects.get(pk=answer.json()["id"]))
    assert (video.status, video.error_code) == ("failed", "execution_error")
    assert "ImageInvert (node 3) failed: out of memory" in video.error_message


def test_a_workflow_whose_output_is_no_video_fails_in_words(client, key, comfy, team):
    providers.save_workflow(team, "a-still", json.dumps(made.still_image()))
    video = drive(create(client, key, "a-still"))
    assert (video.status, video.error_code) == ("failed", "not_a_video")
    assert video.error_message == (
        "The workflow's output is not a video (ComfyUI saved remixer_00001_.png and 3 more): "
        "end it in SaveVideo, or title its video output node remixer:output."
    )


def test_a_restart_that_forgets_the_job_queues_it_once_more_then_fails_in_words(
    client, key, comfy, team
):
    comfy.set(job_seconds=30)  # still running when the server restarts
    video = create(client, key, "make-red")
    assert pipeline.submit(video.pk) is not None
    comfy.stop()
    comfy.start()  # every job forgotten
    later = pipeline.poll(video.pk)
    assert later is not None and later.step == "submit"
    video.refresh_from_db()
    assert (video.status, video.resends, video.provider_video_id) == ("queued", 1, "")
    assert "forgot this job: remixer queued it there once more" in video.note
    assert pipeline.submit(video.pk) is not None
    comfy.stop()
    comfy.start()
    assert pipeline.poll(video.pk) is None
    video.refresh_from_db()
    assert (video.status, video.error_code) == ("failed", "job_forgotten")
    assert video.error_message == (
        "gpu box forgot this job again (it restarted before it finished); Retry sends it anew."
    )
    comfy.set(job_seconds=0)


def test_progress_is_read_from_the_events_in_short_visits(client, key, comfy, team):
    comfy.set(job_seconds=10)  # 8 nodes to run, each over a second
    video = create(client, key, "make-red")
    pipeline.submit(video.pk)
    seen = []
    for _ in range(3):
        started = time.monotonic()
        pipeline.poll(video.pk)
        assert time.monotonic() - started < comfyui.LISTEN_SECONDS + 2  # a visit, not the job
        video.refresh_from_db()
        seen.append(video.progress)
    assert seen == sorted(seen) and 0 < seen[0] < seen[-1] <= 99, seen
    assert video.status == "in_progress"
    comfy.set(job_seconds=0)
    assert drive(video, step="poll").status == "completed"


def test_a_job_whose_worker_died_while_queuing_it_is_queued_again(client, key, comfy, team):
    video = create(client, key, "make-red")
    Video.objects.filter(pk=video.pk).update(submitted_at=timezone.now())  # then it died
    assert pipeline.recover(video.pk) == waits.Later("submit", 0.5)
    assert drive(video).status == "completed"


def test_a_job_behind_others_says_how_many_wait_ahead(client, key, comfy, team):
    comfy.set(job_seconds=30)
    comfy.queue_other()
    comfy.queue_other()
    video = create(client, key, "make-red")
    pipeline.submit(video.pk)
    pipeline.poll(video.pk)
    video.refresh_from_db()
    assert video.retry_reason == "2 jobs ahead on ComfyUI."


def test_cancel_takes_the_job_out_of_comfyuis_queue_and_stops_only_it(
    client, ana, key, comfy, team, django_capture_on_commit_callbacks
):
    comfy.set(job_seconds=30)
    theirs = comfy.queue_other()  # someone else's job, running
    video = create(client, key, "make-red")
    pipeline.submit(video.pk)
    video.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert videos.cancel_video(user=ana, video=video)
    waiting = DBTaskResult.objects.get(task_path="remixer.tasks.cancel_upstream")
    assert waiting.args_kwargs["args"] == [team.pk, video.provider_video_id]
    tasks.cancel_upstream.call(team.pk, video.provider_video_id)
    assert comfy.received("POST", "/queue")[-1].json() == {"delete": [video.provider_video_id]}
    assert comfy.received("POST", "/interrupt")[-1].json() == {"prompt_id": video.provider_video_id}
    queue = requests.get(f"{comfy.url}/queue", timeout=5).json()
    assert [item[1] for item in queue["queue_running"]] == [theirs]  # theirs runs on
    assert queue["queue_pending"] == []
    comfy.set(job_seconds=0)


def test_workflows_from_a_folder_and_the_ui_format_refused_in_words(comfy, tmp_path):
    (tmp_path / "wan-vace.json").write_text(json.dumps(made.inverted()))
    (tmp_path / "from-the-ui.json").write_text(json.dumps(made.UI_FORMAT))
    environ = {"REMIXER_COMFYUI_URL": comfy.url, "REMIXER_COMFYUI_WORKFLOWS": str(tmp_path)}
    provider, said = providers.comfyui_from_environment(environ)
    assert provider is not None and provider.name == "ComfyUI"
    assert list(provider.catalog.values_list("name", flat=True)) == ["wan-vace"]
    assert said == [
        "from-the-ui.json was not added: This workflow is in ComfyUI's UI format (it has nodes "
        "and links lists): export it with Export (API) in ComfyUI's workflow menu.",
        "wan-vace.json is the model 'wan-vace'.",
    ]
    changed = made.inverted()
    changed["10"]["inputs"]["value"] = "changed"
    (tmp_path / "wan-vace.json").write_text(json.dumps(changed))
    assert (
        providers.comfyui_from_environment(environ)[1][-1]
        == "wan-vace.json is the model 'wan-vace'."
    )
    assert CatalogEntry.objects.get(name="wan-vace").workflow == changed
    assert providers.comfyui_from_environment(environ)[1] == [said[0]]  # unchanged: quiet


def test_the_admin_shows_what_each_workflow_fills_and_takes_a_role_by_hand(admin_client, team):
    page = admin_client.get(f"/admin/remixer/provider/{team.pk}/change/").content.decode()
    assert (
        "video → node 1 file" in page and "This workflow remixes a video (video-to-video)." in page
    )
    assert "prompt → node 10 value" in page
    roles = workflows.find_roles(made.solid_colour(), {"seed": ["1", "color"]})
    assert roles["seed"] == ("1", "color")
    with pytest.raises(workflows.WorkflowError, match="has no input 'nope'"):
        workflows.find_roles(made.solid_colour(), {"seed": ["1", "nope"]})
    fields = {"name": "wan", "sizes": "720x1280", "seconds": "4", "price_per_second": "0"}
    for workflow, valid in ((made.UI_FORMAT, False), (made.inverted(), True)):
        upload = SimpleUploadedFile("wan.json", json.dumps(workflow).encode())
        entry = CatalogEntry(provider=team)
        form = CatalogForm({**fields, "roles": "{}"}, {"workflow_file": upload}, instance=entry)
        assert form.is_valid() is valid, form.errors
    assert "export it with Export (API)" not in str(form.errors)
    assert form.save().workflow == made.inverted()
    refused = CatalogForm(
        {**fields, "roles": "{}"},
        {"workflow_file": SimpleUploadedFile("ui.json", json.dumps(made.UI_FORMAT).encode())},
        instance=CatalogEntry(provider=team),
    )
    assert "export it with Export (API)" in refused.errors["workflow_file"][0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK's Sora notice
def test_the_official_sdk_creates_through_a_workflow(live_server, ana, comfy, team):
    sdk = OpenAI(
        base_url=f"{live_server.url}/v1",
        api_key=ApiKey.issue(user=ana, name="sdk")[1],
        max_retries=0,
    )
    with sdk:
        asked = sdk.videos.create(prompt="a red field", model="make-red", seconds="4")
        drive(Video.objects.get(pk=asked.id))
        done = sdk.videos.retrieve(asked.id)
        assert (done.status, done.model, done.size, done.seconds) == (
            "completed",
            "make-red",
            "720x1280",
            "4",
        )
        content = sdk.videos.download_content(asked.id).read()
    with av.open(io.BytesIO(content)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert frame.shape[:2] == (1280, 720)
    assert np.abs(frame[640, 360].astype(int) - [255, 0, 0]).max() < 24
