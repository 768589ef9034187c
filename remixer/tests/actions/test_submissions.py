"""Submitting a remix or a new video: one job per form, and bad input changes nothing."""

import io
import uuid
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from remixer.actions import jobs, specs, trash
from remixer.models import Video
from remixer.tests.support.library import files_under
from remixer.tests.support.pages import new_video
from remixer.tests.support.uploads import png_bytes, undecodable_png

pytestmark = pytest.mark.django_db


def remix(client, source, prompt="black and white, slow motion", token=None):
    data = {"prompt": prompt, "form_token": str(token or uuid.uuid4())}
    return client.post(f"/videos/{source.id}/remix", data)


def test_a_remix_creates_a_queued_job_and_its_task(client, ana, source):
    client.force_login(ana)
    response = remix(client, source)
    job = Video.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/videos/{job.id}"
    assert (job.status, job.remixed_from, job.remixed_from_video_id) == (
        "queued",
        source,
        source.id,
    )
    assert (job.size, job.seconds, job.owner) == (source.size, source.seconds, ana)
    assert [step["step"] for step in job.recipe["steps"]] == ["speed", "grayscale"]
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.id], "kwargs": {}}


def test_resubmitting_the_same_form_leads_to_the_first_job(client, ana, source):
    client.force_login(ana)
    token = uuid.uuid4()
    first = remix(client, source, token=token)
    again = remix(client, source, token=token)
    assert first["Location"] == again["Location"]
    assert Video.objects.count() == 2 and DBTaskResult.objects.count() == 1


def test_a_fresh_form_with_the_same_prompt_is_a_new_job(client, ana, source):
    client.force_login(ana)
    remix(client, source)
    remix(client, source)
    assert Video.objects.filter(remixed_from=source).count() == 2


def test_a_teammate_can_remix_anything_completed(client, ben, source):
    client.force_login(ben)
    remix(client, source)
    assert Video.objects.get(remixed_from=source).owner == ben


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ("", "Write a prompt."),
        ("   ", "Write a prompt."),
        ("x" * 32001, "The prompt is too long: write at most 32000 characters"),
        ("make it prettier", "The local engine understands"),
    ],
)
def test_a_bad_remix_prompt_is_refused_and_changes_nothing(
    client, ana, source, media_root, prompt, message
):
    client.force_login(ana)
    before = files_under(media_root)
    response = remix(client, source, prompt=prompt)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Video.objects.count() == 1 and DBTaskResult.objects.count() == 0
    assert files_under(media_root) == before


def test_a_source_that_is_not_completed_cannot_be_remixed(client, ana, source):
    client.force_login(ana)
    Video.objects.filter(pk=source.pk).update(status="in_progress")
    response = remix(client, source)
    assert response.status_code == 400
    assert "Only a completed video can be remixed." in response.content.decode()
    assert Video.objects.count() == 1 and DBTaskResult.objects.count() == 0


def test_a_new_video_is_queued(client, ana):
    client.force_login(ana)
    response = new_video(client)
    video = Video.objects.get()
    assert response["Location"] == f"/videos/{video.id}"
    assert (video.status, video.size, video.seconds, video.prompt) == (
        "queued",
        "1280x720",
        "4",
        "sunset over the sea",
    )
    assert DBTaskResult.objects.count() == 1


def test_a_reference_image_is_stored_reencoded_under_a_new_name(client, ana):
    client.force_login(ana)
    upload = io.BytesIO(png_bytes())
    upload.name = "../../etc/passwd.png"
    new_video(client, reference_image=upload)
    video = Video.objects.get()
    assert video.reference_image.name.startswith("references/")
    assert "passwd" not in video.reference_image.name
    with Image.open(video.reference_image.path) as image:
        assert (image.format, image.size) == ("PNG", (64, 36))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"prompt": ""}, "Write a prompt."),
        ({"prompt": "y" * 32001}, "The prompt is too long: write at most 32000 characters"),
        ({"size": "640x480"}, "Select a valid choice"),
        ({"seconds": "5"}, "Select a valid choice"),
        ({"seconds": "four"}, "Select a valid choice"),
        ({"model": "sora-3"}, "Select a valid choice"),
        ({"form_token": "not-a-uuid"}, "This form is out of date"),
    ],
)
def test_bad_new_video_input_is_refused_and_changes_nothing(
    client, ana, media_root, overrides, message
):
    client.force_login(ana)
    response = new_video(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Video.objects.exists() and not DBTaskResult.objects.exists()
    assert files_under(media_root) == []


def test_a_file_that_is_not_an_image_is_refused(client, ana, media_root):
    client.force_login(ana)
    upload = io.BytesIO(b"%PDF-1.4 this is not an image")
    upload.name = "picture.png"
    response = new_video(client, reference_image=upload)
    assert response.status_code == 400
    assert "The file is not an image remixer can read." in response.content.decode()
    assert not Video.objects.exists() and files_under(media_root) == []


def test_an_image_whose_pixels_do_not_decode_is_refused(client, ana, media_root):
    client.force_login(ana)
    upload = io.BytesIO(undecodable_png())
    upload.name = "picture.png"
    response = new_video(client, reference_image=upload)
    assert response.status_code == 400
    assert "The file is not an image remixer can read." in response.content.decode()
    assert not Video.objects.exists() and files_under(media_root) == []


def test_a_reference_image_goes_when_no_video_uses_it(
    client, ana, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    upload = io.BytesIO(png_bytes())
    upload.name = "picture.png"
    new_video(client, reference_image=upload)
    first = Video.objects.get()
    stored = Path(first.reference_image.path)
    Video.objects.filter(pk=first.pk).update(status=Video.Status.FAILED)
    first.refresh_from_db()
    retry = jobs.submit(specs.retry_spec(user=ana, video=first, token=uuid.uuid4()))  # shares it
    with django_capture_on_commit_callbacks(execute=True):
        trash.trash_video(user=ana, video=first)
        assert trash.remove_files(first.pk)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        trash.trash_video(user=ana, video=retry)  # cancelled, then trashed
        assert trash.remove_files(retry.pk)
    assert not stored.exists()


def test_a_submission_that_fails_midway_keeps_no_reference_image(
    client, ana, media_root, monkeypatch
):
    def queue_refuses(video: Video, **options: object) -> None:
        raise RuntimeError("the queue refused the task")

    monkeypatch.setattr(jobs, "enqueue", queue_refuses)  # after the image was stored
    client.force_login(ana)
    upload = io.BytesIO(png_bytes())
    upload.name = "picture.png"
    with pytest.raises(RuntimeError):
        new_video(client, reference_image=upload)
    assert not Video.objects.exists() and files_under(media_root) == []


def test_a_token_another_user_sent_first_makes_this_users_own_job(client, ana, ben, source):
    token = uuid.uuid4()
    client.force_login(ana)
    remix(client, source, token=token)
    client.force_login(ben)
    response = remix(client, source, token=token)
    assert response.status_code == 302
    assert {v.owner.username for v in Video.objects.filter(remixed_from=source)} == {"ana", "ben"}


def test_a_token_sent_again_with_other_values_is_refused_in_words(client, ana, source):
    token = uuid.uuid4()
    client.force_login(ana)
    remix(client, source, token=token)
    response = remix(client, source, prompt="sepia", token=token)
    assert response.status_code == 400
    assert "already used for a different request" in response.content.decode()
    assert Video.objects.filter(remixed_from=source).count() == 1
