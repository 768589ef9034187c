"""`make run`'s set-up: bootstrap queues the demo library and prints the login at once; the
demo waits behind anyone's job, and each of its remixes waits for its source."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from remixer import tasks
from remixer.actions import demo, jobs, specs
from remixer.actions.errors import NotAllowed
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.tests.conftest import start_process, wait_for, worker_args

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("REMIXER_PROVIDER_URL", raising=False)
    monkeypatch.delenv("REMIXER_COMFYUI_URL", raising=False)
    settings.DATA_DIR = tmp_path
    return tmp_path


def bootstrap(*args: str) -> str:
    out = io.StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


def own_job(owner) -> Video:  # type: ignore[no-untyped-def]
    entry = CatalogEntry.objects.get(provider=Provider.default(), name=LOCAL_MODEL)
    spec = specs.create_spec(
        owner=owner,
        entry=entry,
        prompt="calm blue waves",
        size="640x360",
        seconds="2",
        token=uuid.uuid4(),
    )
    return jobs.submit(spec)


def test_bootstrap_queues_the_demo_renders_nothing_and_prints_the_login(data_dir, ana):
    said = bootstrap()

    made = list(Video.objects.filter(owner__username="studio").order_by("created_at"))
    assert len(made) == len(demo.DEMO) == 12
    assert {video.status for video in made} == {Video.Status.QUEUED}
    assert not any(video.video_file for video in made)
    username, password = (data_dir / "login.txt").read_text().split()
    assert f"Log in as {username!r} with password {password!r}" in said
    assert "12 videos are queued" in said

    # The sources are queued behind everyone's; each remix waits, named by its source.
    by_prompt = {video.prompt: video for video in made}
    queued = DBTaskResult.objects.all()
    creates = [video for video in made if video.kind == Video.Kind.CREATE]
    assert {row.args_kwargs["args"][0] for row in queued} == {video.pk for video in creates}
    assert {row.priority for row in queued} == {tasks.BACKGROUND}
    mirror = by_prompt["black and white, mirror"]
    assert by_prompt[demo.DEMO[1][0]].then["video"] == mirror.pk
    assert mirror.then["video"] == by_prompt["reverse, vignette"].pk
    assert mirror.recipe is not None and mirror.remixed_from_id == by_prompt[demo.DEMO[1][0]].pk

    # Anyone's job, submitted after, is the first a worker takes.
    mine = own_job(ana)
    assert DBTaskResult.objects.ready().first().args_kwargs["args"] == [mine.pk]

    # Again (a restart): nothing new, the same login.
    assert f"with password {password!r}" in bootstrap()
    assert Video.objects.filter(owner__username="studio").count() == 12
    assert [video.pk for video in demo.load()] == [video.pk for video in made]


def test_without_the_demo_only_the_login_is_made(data_dir):
    said = bootstrap("--no-demo")
    assert not Video.objects.exists()
    assert "Log in as 'admin'" in said


def test_a_remix_waits_for_its_source_then_starts_behind_everyones():
    with transaction.atomic():
        source = demo.make_video("calm blue waves", "640x360", "2")
        remix = demo.remix_after(source, "sepia, mirror", uuid.uuid4())
    assert [row.args_kwargs["args"] for row in DBTaskResult.objects.all()] == [[source.pk]]
    with pytest.raises(NotAllowed, match="already waiting"):
        demo.remix_after(source, "invert", uuid.uuid4())  # one waits at most
    assert Video.objects.count() == 2

    tasks.render_video.call(source.pk)

    source.refresh_from_db()
    assert (source.status, source.then) == (Video.Status.COMPLETED, None)
    started = DBTaskResult.objects.get(args_kwargs__args__0=remix.pk)
    assert (started.task_path, started.priority) == (
        tasks.render_video.module_path,
        tasks.BACKGROUND,
    )
    tasks.render_video.call(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.size, remix.seconds) == (Video.Status.COMPLETED, "640x360", "2")


def test_a_remix_whose_source_was_cancelled_fails_in_words_at_the_next_sweep():
    with transaction.atomic():
        source = demo.make_video("calm blue waves", "640x360", "2")
        remix = demo.remix_after(source, "sepia, mirror", uuid.uuid4())
    cancelled = {"error_code": "cancelled", "error_message": "Cancelled by ana."}
    Video.objects.filter(pk=source.pk).update(status=Video.Status.FAILED, **cancelled)

    tasks.sweep()

    remix.refresh_from_db()
    assert (remix.status, remix.error_message) == (
        Video.Status.FAILED,
        "Its source video did not finish: Cancelled by ana.",
    )
    assert Video.objects.get(pk=source.pk).then is None


@pytest.mark.django_db(transaction=True)
def test_a_job_submitted_after_the_demo_is_made_before_any_of_it(ana, media_root, tmp_path):
    Provider.default()  # a transactional test flushes the row the migration made
    made = demo.load()
    mine = own_job(ana)
    worker = start_process(worker_args("render"), media_root, tmp_path / "worker.log")
    try:
        wait_for(lambda: Video.objects.get(pk=mine.pk).is_finished, timeout=120)
    finally:
        worker.kill()  # the demo's render it went on to is of no interest here
        worker.wait()
    assert Video.objects.get(pk=mine.pk).status == Video.Status.COMPLETED
    rows = {row.args_kwargs["args"][0]: row for row in DBTaskResult.objects.all()}
    started = [rows[video.pk].started_at for video in made if video.pk in rows]
    finished = rows[mine.pk].finished_at
    assert all(when is None or when >= finished for when in started), (finished, started)
