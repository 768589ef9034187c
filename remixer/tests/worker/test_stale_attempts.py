"""A worker that wakes late never harms the video another completed meanwhile: each attempt
stores under names of its own, and they become the video's only by a commit that checks the
lease. Two workers in one process, told apart by their worker ids; the first is paused between
its upload and its commit while its lease runs out and the second makes the video."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from remixer.files import attempts, storage
from remixer.models import Video
from remixer.models.exports import Export
from remixer.tests.conftest import video_row
from remixer.worker import archiving, calls, endings, exports, leases, pipeline, recovery

pytestmark = pytest.mark.django_db
FIELDS = ("video_file", "thumbnail_file", "spritesheet_file")


class WorkerIds:
    """Which worker this process is being: host 1 or host 2."""

    def __init__(self) -> None:
        self.now = "host-1:101"

    def __call__(self) -> str:
        return self.now

    def run_as(self, worker: str, step: Callable[[], object]) -> None:
        before, self.now = self.now, worker
        try:
            step()
        finally:
            self.now = before


@pytest.fixture
def workers(monkeypatch) -> WorkerIds:  # type: ignore[no-untyped-def]
    current = WorkerIds()
    monkeypatch.setattr(leases, "worker_id", current)
    monkeypatch.setattr(endings, "worker_id", current)
    monkeypatch.setattr(calls, "worker_id", current)
    return current


def test_a_worker_that_lost_its_lease_leaves_the_completed_videos_files(
    stores, ana, workers, monkeypatch, capsys
):
    video = video_row(ana, prompt="calm blue waves at dusk", size="320x180", seconds="1")
    stored = archiving.checked_files
    paused: dict[str, object] = {}

    def stall_after_upload(*args, **kwargs):  # type: ignore[no-untyped-def]
        files = stored(*args, **kwargs)
        if workers.now == "host-1:101" and not paused:  # host 1 uploaded; its link stalls
            paused.update(files)
            Video.objects.filter(pk=video.pk).update(
                lease_expires_at=timezone.now() - timedelta(seconds=1)
            )
            assert recovery.sweep() == [(video.pk, "render")]  # given to host 2
            workers.run_as("host-2:202", lambda: pipeline.render(video.pk))
            assert Video.objects.get(pk=video.pk).status == "completed"
        return files  # host 1's link comes back: on to its commit

    monkeypatch.setattr(archiving, "checked_files", stall_after_upload)
    pipeline.render(video.pk)

    video.refresh_from_db()
    assert (video.status, video.progress, video.error) == ("completed", 100, None)
    names = [str(getattr(video, field)) for field in FIELDS]
    assert all(storage.exists(name) for name in names)  # host 2's, kept
    assert not any(storage.exists(str(paused[field])) for field in FIELDS)  # host 1's, gone
    assert sorted(storage.listed(f"videos/{video.pk}")) == sorted(names)
    assert storage.size_and_sha256(names[0]) == (video.file_size, video.file_sha256)
    call_command("verify_files")  # raises CommandError on a missing or damaged file
    assert "0 with missing or damaged files" in capsys.readouterr().out


def test_an_attempt_killed_before_its_commit_is_cleared_by_the_sweep(
    stores, ana, clip_path, django_capture_on_commit_callbacks
):
    video = video_row(ana, status=Video.Status.IN_PROGRESS, lease_owner="host-1:101")
    leftover = f"videos/{video.pk}/{int(timezone.now().timestamp()) - 120}-dead/video.mp4"
    storage.save(clip_path, leftover)  # its worker died after the upload, before the commit
    recent = f"{attempts.attempt_folder(video.pk)}/video.mp4"  # maybe a live worker's: kept
    storage.save(clip_path, recent)
    Video.objects.filter(pk=video.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.sweep() == [(video.pk, "render")]
    assert storage.listed(f"videos/{video.pk}") == [recent]
    assert endings.fail(video.pk, "failed", "Given up.")  # a video that ends keeps none
    assert storage.listed(f"videos/{video.pk}") == []


def test_a_video_archived_under_the_names_of_old_keeps_them_until_it_is_purged(
    stores, ana, source, media_root
):
    assert source.video_file.name == f"videos/{source.pk}/video.mp4"
    call_command("verify_files")
    attempts.delete_video_files(source.pk)  # what the Trash's purge does
    assert not storage.exists(source.video_file.name) and storage.listed("videos") == []


def test_an_export_failed_by_the_sweep_is_not_completed_by_its_late_worker(
    stores, ana, source, monkeypatch
):
    export = Export.objects.create(owner=ana, scope="mine")
    written = exports.write_export

    def stall_before_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        count = written(*args, **kwargs)
        stale = timezone.now() - exports.STALLED - timedelta(seconds=1)
        Export.objects.filter(pk=export.pk).update(updated_at=stale)
        exports.upkeep()  # the sweep: its worker looks stopped
        return count

    monkeypatch.setattr(exports, "write_export", stall_before_commit)
    exports.build(str(export.pk))
    export.refresh_from_db()
    assert (export.status, export.file) == ("failed", "")
    assert not storage.exists(exports.zip_name(export.pk))  # the late worker removed its ZIP
