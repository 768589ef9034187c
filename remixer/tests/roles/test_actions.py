"""The actions refuse a viewer whatever calls them (the pages, /v1, a script): the job door,
the Trash and imports. An operator may still make a job for a viewer (an export imported
with its owners kept)."""

import uuid

import pytest

from remixer.actions import imports, jobs, trash
from remixer.actions.errors import NotAllowed, ViewerRefused
from remixer.actions.videos import cancel_video, rename_video
from remixer.models import LOCAL_MODEL, Provider, Video
from remixer.models.accounts import PeopleBackend, Role, can_make, role_of, set_role
from remixer.tests.conftest import finished_video

pytestmark = pytest.mark.django_db


def spec(owner, **fields) -> jobs.JobSpec:  # type: ignore[no-untyped-def]
    return jobs.JobSpec(
        kind=Video.Kind.CREATE,
        owner=owner,
        token=uuid.uuid4(),
        provider=Provider.default(),
        model=LOCAL_MODEL,
        size="1280x720",
        seconds="4",
        prompt="calm blue waves",
        **fields,
    )


def test_each_person_has_one_role(viewer, ana, staff):
    assert [role_of(person) for person in (viewer, ana, staff)] == [
        Role.VIEWER,
        Role.CREATOR,
        Role.STAFF,
    ]
    assert [can_make(person) for person in (viewer, ana, staff)] == [False, True, True]
    set_role(ana, Role.VIEWER)
    set_role(viewer, Role.CREATOR)
    assert (role_of(ana), role_of(viewer)) == (Role.VIEWER, Role.CREATOR)


def test_the_job_door_refuses_a_viewer_but_not_an_operator_acting_for_one(viewer):
    with pytest.raises(ViewerRefused, match="ask a staff member to make you a creator"):
        jobs.submit(spec(viewer))
    with pytest.raises(ViewerRefused):
        jobs.submit_batch([spec(viewer), spec(viewer)])
    assert not Video.objects.exists()
    assert jobs.submit(spec(viewer, exempt=True)).owner == viewer


def test_the_trash_refuses_a_viewer_even_for_their_own_videos(viewer, clip_path):
    video = finished_video(viewer, clip_path)
    for act in (trash.trash_video, trash.restore_video, trash.erase_video):
        with pytest.raises(ViewerRefused):
            act(user=viewer, video=video)
    with pytest.raises(ViewerRefused):
        trash.empty_trash(user=viewer)
    video.refresh_from_db()
    assert video.trashed_at is None and video.files_removed_at is None
    assert issubclass(ViewerRefused, NotAllowed)  # every page and /v1 already answers it


def test_imports_refuse_a_viewer_before_reading_anything(viewer, tmp_path):
    nothing = tmp_path / "not-even-a-zip.zip"
    nothing.write_bytes(b"not a zip")
    with pytest.raises(ViewerRefused):
        imports.import_export(nothing, importer=viewer, token=uuid.uuid4(), operator=False)
    with nothing.open("rb") as upload, pytest.raises(ViewerRefused):
        imports.receive_export(upload, importer=viewer, token=uuid.uuid4(), operator=False)


def test_the_signed_in_user_comes_with_their_role_at_no_extra_query(
    viewer, ana, django_assert_num_queries
):
    backend = PeopleBackend()
    with django_assert_num_queries(2):  # one each, as Django's own backend
        vera, her_teammate = backend.get_user(viewer.pk), backend.get_user(ana.pk)
    with django_assert_num_queries(0):
        assert (role_of(vera), role_of(her_teammate)) == (Role.VIEWER, Role.CREATOR)


def test_a_viewer_may_neither_cancel_nor_rename_even_their_own_video(viewer, clip_path):
    video = finished_video(viewer, clip_path, title="Mine")
    Video.objects.filter(pk=video.pk).update(status=Video.Status.QUEUED)
    video.refresh_from_db()
    with pytest.raises(ViewerRefused):
        cancel_video(user=viewer, video=video)
    with pytest.raises(ViewerRefused):
        rename_video(user=viewer, video=video, title="Another")
    video.refresh_from_db()
    assert (video.status, video.title) == (Video.Status.QUEUED, "Mine")
