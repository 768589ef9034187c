"""verify_files passes over what the Trash removed on purpose, and still fails on a lost file."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from remixer.actions import trash
from remixer.models import Video
from remixer.tests.conftest import finished_video

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_files", stdout=out)
    return out.getvalue()


def test_emptied_and_erased_videos_are_skipped_and_counted(
    ana, clip_path, django_capture_on_commit_callbacks
):
    kept = finished_video(ana, clip_path)
    emptied, erased = finished_video(ana, clip_path), finished_video(ana, clip_path)
    trashed = finished_video(ana, clip_path)  # in the Trash, files kept: still checked
    Video.objects.exclude(pk=kept.pk).update(trashed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.remove_files(emptied.pk) and trash.remove_files(erased.pk, erase=True)

    report = verify()
    assert "no video file recorded" not in report
    assert "Checked 2 videos: 0 with missing or damaged files." in report
    assert "Skipped 2 videos whose files were removed on purpose" in report

    Path(trashed.video_file.path).unlink()  # a real loss still fails
    with pytest.raises(CommandError, match="1 video needs attention"):
        verify()
