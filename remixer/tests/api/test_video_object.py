"""Every video renders as exactly the Videos API's Video object."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError

from remixer.models import LOCAL_MODEL, Video
from remixer.tests.conftest import VIDEO_KEYS, video_row

KEYS = VIDEO_KEYS
CREATED = dt.datetime(2026, 11, 1, 12, 0, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def make(owner, **fields) -> Video:
    return video_row(owner, **{"prompt": "waves", "created_at": CREATED, **fields})


def test_a_queued_video_has_every_key_and_nulls_where_the_api_has_them(ana):
    video = make(ana)
    assert video.as_api_object() == {
        "id": video.id,
        "object": "video",
        "model": LOCAL_MODEL,
        "status": "queued",
        "progress": 0,
        "created_at": 1793534400,
        "completed_at": None,
        "expires_at": None,
        "prompt": "waves",
        "size": "1280x720",
        "seconds": "4",
        "remixed_from_video_id": None,
        "error": None,
    }
    assert video.id.startswith("video_") and len(video.id) == 38


def test_in_progress_reports_its_progress(ana):
    obj = make(ana, status=Video.Status.IN_PROGRESS, progress=42).as_api_object()
    assert (obj["status"], obj["progress"], obj["completed_at"]) == ("in_progress", 42, None)


def test_completed_has_unix_second_integers(ana):
    done = CREATED + dt.timedelta(seconds=95, microseconds=700)
    obj = make(ana, status=Video.Status.COMPLETED, progress=100, completed_at=done).as_api_object()
    assert obj["completed_at"] == 1793534495 and isinstance(obj["completed_at"], int)
    assert obj["status"] == "completed" and obj["error"] is None


def test_failed_carries_code_and_message(ana):
    video = make(
        ana, status=Video.Status.FAILED, error_code="cancelled", error_message="Cancelled by ana."
    )
    assert video.as_api_object()["error"] == {"code": "cancelled", "message": "Cancelled by ana."}


def test_a_remix_names_its_source_even_after_the_source_is_deleted(ana):
    source = make(ana, status=Video.Status.COMPLETED, progress=100)
    source_id = source.id
    remix = make(ana, remixed_from=source, remixed_from_video_id=source_id)
    source.delete()
    remix.refresh_from_db()
    assert remix.remixed_from is None
    assert remix.as_api_object()["remixed_from_video_id"] == source_id


def test_the_raw_provider_object_is_kept_whole(ana):
    raw = {
        "id": "task_1",
        "quality": "high",
        "usage": {"seconds": 4},
        "file_path": "/x.mp4",
        "nested": [1, None, {"a": "ü"}],
    }
    video = make(ana, provider_object=raw)
    video.refresh_from_db()
    assert video.provider_object == raw
    assert set(video.as_api_object()) == KEYS


def test_progress_outside_0_to_100_is_refused_by_the_database(ana):
    with pytest.raises(IntegrityError):
        make(ana, progress=101)


def test_the_json_url_answers_the_object(client, ana):
    video = make(ana)
    client.force_login(ana)
    response = client.get(f"/videos/{video.id}.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == video.as_api_object()


def test_the_json_url_needs_a_login(client, ana):
    video = make(ana)
    response = client.get(f"/videos/{video.id}.json")
    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_the_status_fragments_own_query_reads_each_field_into_its_place(ana):
    video = make(
        ana,
        status="in_progress",
        progress=42,
        phase=Video.Phase.COPYING,
        retry_reason="The provider cannot be reached; remixer will retry.",
        size="720x1280",
        error_code="code",
        error_message="message",
    )
    polled = Video.objects.status_of(video.pk)
    assert polled is not None
    for name in ("status", "progress", "phase", "retry_reason", "size", "owner_id"):
        assert getattr(polled, name) == getattr(video, name), name
    assert (polled.error_code, polled.error_message) == ("code", "message")
    assert Video.objects.status_of("video_unknown") is None
