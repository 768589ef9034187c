"""A trashed video is its owner's (and staff's): its pages and its words are theirs alone,
and emptying the Trash removes one's own videos; everyone's is the admin's action, asked first."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from remixer.models import Video
from remixer.tests.conftest import finished_video, made_from, video_row

pytestmark = pytest.mark.django_db


def trashed(video: Video) -> Video:
    Video.objects.filter(pk=video.pk).update(trashed_at=timezone.now())
    return Video.objects.get(pk=video.pk)


def node(page: str, video: Video) -> str:
    """One node of the family tree, up to the next node or the end."""
    start = page.index(f'id="node-{video.pk}"')
    following = re.search(r'id="node-video_', page[start + 1 :])
    return page[start : start + 1 + following.start()] if following else page[start:]


@pytest.fixture
def secret(ana) -> Video:
    """Ana's video in the Trash: its title and prompt are hers."""
    return trashed(
        video_row(ana, status="completed", title="Harbour plans", prompt="a private idea")
    )


def test_a_trashed_video_s_pages_are_its_owner_s_and_staff_s_only(client, ana, ben, staff, secret):
    client.force_login(ben)
    for method in ("get", "post"):
        answer = getattr(client, method)(f"/videos/{secret.pk}/erase")
        assert answer.status_code == 404, method  # as for any video he may not see
        assert "Harbour" not in answer.content.decode()
    assert client.post(f"/videos/{secret.pk}/restore").status_code == 404
    assert client.get(f"/videos/{secret.pk}/lineage").status_code == 404
    assert Video.objects.in_trash().get(pk=secret.pk).prompt == "a private idea"  # untouched

    for person in (ana, staff):
        client.force_login(person)
        asked = client.get(f"/videos/{secret.pk}/erase").content.decode()
        assert "Erase “Harbour plans” completely?" in asked, person
        tree = client.get(f"/videos/{secret.pk}/lineage").content.decode()
        assert "a private idea" in node(tree, secret), person


def test_the_family_tree_shows_others_a_deleted_node_without_its_words(
    client, ana, ben, staff, secret
):
    remix = video_row(
        ben, status="completed", prompt="a private idea mirrored", **made_from(secret)
    )
    client.force_login(ben)
    page = client.get(f"/videos/{remix.pk}/lineage", HTTP_HX_REQUEST="true").content.decode()
    hidden = node(page, secret)
    assert '<span class="badge badge-deleted">Deleted</span>' in hidden
    assert "private" not in hidden and "Harbour" not in hidden and "(erased)" not in hidden
    # Nor do the remix's marks tell which of its words came from the hidden prompt.
    assert "a private idea <ins>mirrored</ins>" not in node(page, remix)

    for person in (ana, staff):
        client.force_login(person)
        page = client.get(f"/videos/{remix.pk}/lineage", HTTP_HX_REQUEST="true").content.decode()
        assert "a private idea" in node(page, secret), person
        assert "a private idea <ins>mirrored</ins>" in node(page, remix), person


def files(*videos: Video) -> list[Path]:
    return [Path(video.video_file.path) for video in videos]


@pytest.fixture
def everyones(ana, ben, staff, clip_path) -> dict[str, Video]:
    """A video of each person in the Trash, files kept."""
    return {
        person.username: trashed(finished_video(person, clip_path, title=f"{person}'s"))
        for person in (ana, ben, staff)
    }


def test_staff_empty_their_own_trash_on_the_trash_page(
    client, staff, everyones, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = client.get("/trash").content.decode()
    assert all(f"trashed-{video.pk}" in page for video in everyones.values())  # staff see all
    asked = client.get("/trash/empty").content.decode()
    assert "Empty your Trash?" in asked and "others’ stay" in asked
    assert 'hx-confirm="Empty your Trash?' in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/trash/empty", follow=True).content.decode()
    assert "the files of 1 video are gone" in answer
    assert not any(path.exists() for path in files(everyones["sam"]))
    teammates = [everyones["ana"], everyones["ben"]]
    assert all(path.exists() for path in files(*teammates))
    client.post(f"/videos/{everyones['ana'].pk}/restore")  # still restorable
    assert Video.objects.in_library().filter(pk=everyones["ana"].pk).exists()


def test_the_admin_empties_everyone_s_trash_after_naming_what_goes(
    client, django_user_model, ana, everyones, clip_path, django_capture_on_commit_callbacks
):
    olga = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    client.force_login(olga)
    kept = finished_video(ana, clip_path, title="in the library")
    selected = [kept.pk, *(video.pk for video in everyones.values())]
    chosen = {"action": "empty_trash", "_selected_action": selected}

    asked = client.post("/admin/remixer/video/", chosen).content.decode()
    assert "3 videos of 3 people" in asked and "cannot be restored" in asked
    assert 'name="post" value="yes"' in asked
    assert all(path.exists() for path in files(*everyones.values()))  # asking removed nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/admin/remixer/video/", {**chosen, "post": "yes"}, follow=True)
    assert "Removed the files of 3 videos" in done.content.decode()
    assert not any(path.exists() for path in files(*everyones.values()))
    assert Video.objects.in_trash().count() == 0
    assert Path(kept.video_file.path).exists() and Video.objects.get(pk=kept.pk).trashed_at is None
