"""Nothing lost: real workers killed with SIGKILL at the worst moments, and every job ends
completed, with verified files and exactly one create per job at the provider."""

import io
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from remixer.actions import jobs, specs
from remixer.lib import media
from remixer.models import CatalogEntry, Provider, Video
from remixer.tests.conftest import job, start_process, wait_for, worker_args
from remixer.tests.support.videos_api_server import VideosAPIServer

pytestmark = pytest.mark.django_db(transaction=True)
LEASE_SECONDS = "2"  # short leases, so that a dead worker's videos are taken over quickly


class Workers:
    """One real worker per queue, as `make run` starts them, that a test can kill."""

    def __init__(self, media_root: Path, logs: Path, lease: str = LEASE_SECONDS) -> None:
        self.media_root, self.logs, self.lease = media_root, logs, lease
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        for queue in ("render", "default"):
            self.start(queue)

    def start(self, queue: str) -> None:
        log = self.logs / f"worker-{queue}.log"
        self.processes[queue] = start_process(
            worker_args(queue), self.media_root, log, REMIXER_LEASE_SECONDS=self.lease
        )

    def kill(self, queue: str) -> None:
        process = self.processes[queue]
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        self.start(queue)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.wait(timeout=60)

    def log(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in self.logs.glob("worker-*.log"))


def create(owner, entry: CatalogEntry, prompt: str) -> Video:  # type: ignore[no-untyped-def]
    import uuid

    return jobs.submit(
        specs.create_spec(
            owner=owner,
            entry=entry,
            prompt=prompt,
            size="1280x720",
            seconds="4",
            token=uuid.uuid4(),
            exempt=True,
        )
    )


def rendering(workers: Workers) -> bool:
    """The render worker now running is well into a render."""
    pid = workers.processes["render"].pid
    return Video.objects.filter(
        status="in_progress", progress__gte=15, lease_owner__endswith=f":{pid}"
    ).exists()


def test_thirty_jobs_survive_ten_kills(ana, media_root, tmp_path, source):
    local = CatalogEntry.objects.get(provider__kind="local")
    with VideosAPIServer("openai", job_seconds=1.5) as api:
        provider = Provider.objects.create(name="GPU box", base_url=api.url, api_key="test-key")
        remote = CatalogEntry.objects.create(provider=provider, name="sora-2")
        for index in range(11):
            create(ana, local, f"local video number {index}")
        for index in range(4):
            jobs.submit(
                specs.remix_spec(
                    owner=ana,
                    source=source,
                    prompt=f"sepia, '{index}'",
                    recipe={"effects": ["sepia"], "caption": str(index)},
                    token=__import__("uuid").uuid4(),
                    exempt=True,
                )
            )
        workers = Workers(media_root, tmp_path)
        try:
            for _ in range(4):  # mid-render
                wait_for(lambda: rendering(workers), timeout=90)
                workers.kill("render")
            for index in range(3):  # after a create was sent, before its answer was stored
                api.hang_next(1, seconds=20, method="POST", path_prefix="/v1/videos")
                sent = api.count("POST", "/v1/videos")
                create(ana, remote, f"remote video, killed while creating {index}")
                wait_for(lambda sent=sent: api.count("POST", "/v1/videos") > sent, timeout=60)
                workers.kill("default")
            for index in range(3):  # mid-download
                api.hang_next(1, seconds=20, method="GET", path_suffix="/content")
                fetched = api.count("GET")
                create(ana, remote, f"remote video, killed while downloading {index}")
                wait_for(
                    lambda fetched=fetched: any(
                        r.path.endswith("/content") for r in api.requests[fetched:]
                    ),
                    timeout=60,
                )
                workers.kill("default")
            for index in range(9):
                create(ana, remote, f"remote video number {index}")
            made = Video.objects.exclude(pk=source.pk)
            wait_for(lambda: not made.exclude(status__in=Video.TERMINAL).exists(), timeout=300)
        finally:
            workers.stop()
        assert made.count() == 30
        failed = list(made.filter(status="failed").values_list("pk", "error_message"))
        assert not failed, (failed, workers.log())
        for video in made:
            path = Path(video.video_file.path)
            media.verify(path)
            assert (video.file_size, video.file_sha256) == media.size_and_sha256(path)
        creates = [r for r in api.requests if r.method == "POST" and r.path == "/v1/videos"]
        assert len(creates) == 15 == len(api.jobs)
        assert made.filter(note="The render was restarted after its worker stopped.").count() >= 1
        # The tasks the killed workers were running are closed, not left RUNNING for ever.
        assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
        assert DBTaskResult.objects.filter(exception_class_path__endswith=".WorkerStopped").exists()


def test_one_sigterm_lets_the_running_render_finish(ana, media_root, tmp_path, source):
    workers = Workers(media_root, tmp_path)
    try:
        create(ana, CatalogEntry.objects.get(provider__kind="local"), "a slow, calm sea")
        wait_for(lambda: rendering(workers), timeout=60)
        render = workers.processes["render"]
        render.send_signal(signal.SIGTERM)
        assert render.wait(timeout=90) == 0
        video = Video.objects.exclude(pk=source.pk).get()
        assert (video.status, video.note) == ("completed", "")
    finally:
        workers.stop()


def test_the_sweep_removes_work_folders_of_gone_processes_at_once(settings, ana):
    from remixer import tasks
    from remixer.worker import scratch

    root = settings.REMIXER_SCRATCH_DIR
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = root / f"{socket.gethostname()}-{gone.pid}" / "video_a-abc"
    live = scratch.own_folder() / "video_b-def"
    far_old, far_new = root / "other-host-12" / "video_c-1", root / "other-host-13" / "video_d-2"
    for folder in (dead, live, far_old, far_new):
        folder.mkdir(parents=True)
        (folder / "video.mp4").write_bytes(b"half a video")
    long_ago = time.time() - 7 * 3600
    os.utime(far_old.parent, (long_ago, long_ago))
    tasks.sweep()
    assert not dead.parent.exists() and not far_old.parent.exists()
    assert live.exists() and far_new.exists()  # a live process's, and another host's of late
    assert scratch.clean_scratch() == 0


def test_taking_a_video_over_clears_what_earlier_attempts_left(settings, ana):
    from remixer.worker import scratch

    video = job(ana)
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = settings.REMIXER_SCRATCH_DIR / f"{socket.gethostname()}-{gone.pid}"
    left = [scratch.own_folder() / f"{video.pk}-old", dead / f"{video.pk}-older"]
    for folder in left:
        folder.mkdir(parents=True)
    with scratch.workdir_for(video) as workdir:
        assert workdir.exists() and not any(folder.exists() for folder in left)
    assert not workdir.exists()


def checking(workers: Workers) -> bool:
    """The render worker now running is partway through checking an import's frames."""
    pid = workers.processes["render"].pid
    return Video.objects.filter(
        phase="verifying", progress__gte=5, lease_owner__endswith=f":{pid}"
    ).exists()


def test_an_import_whose_worker_dies_is_checked_again_or_fails_in_words(
    client, ana, media_root, tmp_path, long_clip_path
):
    client.force_login(ana)
    workers = Workers(media_root, tmp_path, lease="3")
    try:
        for keep_upload in (True, False):
            upload = io.BytesIO(long_clip_path.read_bytes())
            upload.name = "kept.mp4"
            client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})
            video = Video.objects.latest("created_at")
            wait_for(lambda: checking(workers), timeout=120)
            workers.kill("render")
            if not keep_upload:
                (media_root / "imports" / f"{video.pk}.mp4").unlink()
            wait_for(lambda: Video.objects.get(pk=video.pk).is_finished, timeout=180)  # noqa: B023
    finally:
        workers.stop()
    kept, lost = Video.objects.order_by("created_at")
    assert (kept.status, kept.kind, kept.model) == ("completed", "import", "imported"), (
        workers.log()
    )
    assert Path(kept.video_file.path).read_bytes() == long_clip_path.read_bytes()
    assert (lost.status, lost.error_code) == ("failed", "upload_missing")
    assert "The uploaded file is gone" in lost.error_message
    assert not list((media_root / "imports").glob("*"))
    assert not Video.objects.filter(phase="rendering").exists()
