"""A video's family as a tree: one recursive query, deleted videos kept in their place."""

import re

import pytest
from django.utils import timezone

from remixer.models import Video
from remixer.tests.conftest import finished_video, job, made_from, video_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(ana, ben, source, clip_path) -> dict[str, Video]:
    """calm blue waves ─┬─ black and white ── black and white, slow motion ── mirror
    └─ sepia (ben's, still running)"""
    source.prompt = "calm blue waves"
    source.save(update_fields=["prompt"])
    grey = finished_video(
        ana,
        clip_path,
        prompt="black and white",
        strategy="local",
        **made_from(source, "remix"),
    )
    sepia = job(
        ben,
        prompt="sepia",
        status="in_progress",
        progress=40,
        **made_from(source, "remix"),
    )
    slow = video_row(
        ana,
        prompt="black and white, slow motion",
        strategy="extensions",
        status="failed",
        **made_from(grey, "extension"),
    )
    mirror = video_row(
        ben,
        prompt="black and white, mirror",
        status="completed",
        **made_from(slow, "edit"),
    )
    stranger = video_row(ben, prompt="not of this family")
    return {k: v for k, v in locals().items() if isinstance(v, Video)}


def nodes(page: str) -> list[str]:
    """The ids of the tree's nodes in document order."""
    return re.findall(r'id="node-(video_[0-9a-f]+)"', page)


def test_the_whole_family_is_read_by_one_query(client, ana, family, django_assert_num_queries):
    client.force_login(ana)
    client.get("/")  # the session and the user are read once per request: count them apart
    with django_assert_num_queries(3):  # the session, the user, the family
        tree = client.get(f"/videos/{family['slow'].id}/lineage", HTTP_HX_REQUEST="true")
    page = tree.content.decode()
    assert "<html" not in page and "Family tree" in page and "5 videos" in page
    root, grey, slow, mirror, sepia = (
        family[k].id for k in ("source", "grey", "slow", "mirror", "sepia")
    )
    assert nodes(page) == [root, grey, slow, mirror, sepia]  # depth first, oldest first
    assert family["stranger"].id not in page
    current = page[page.index(f'id="node-{slow}"') :]
    assert current.startswith(f'id="node-{slow}"') is True
    assert f'lineage-current" id="node-{slow}"' in page
    assert page.count("lineage-current") == 1 and page.count('aria-current="true"') == 1
    # Each node against its parent: the words that came in are marked.
    assert "black <ins>and</ins> <ins>white,</ins> <ins>slow</ins> <ins>motion</ins>" not in page
    assert "black and <ins>white,</ins> <ins>slow</ins> <ins>motion</ins>" in page
    assert "black and white, <ins>mirror</ins>" in page
    assert (
        'title="Extended from another video">extension</span> <span class="muted">By the provider'
        in page
    )
    assert 'title="Edited from another video">edit</span>' in page
    assert '<span class="badge badge-in_progress">In progress 40%</span> ben' in page
    assert f'<a href="/videos/{root}">calm blue waves </a>' in page  # others link, this one not
    assert f'<a href="/videos/{slow}">' not in page

    # Asked for as a page of its own (no JavaScript), the same tree in the site's layout.
    whole = client.get(f"/videos/{slow}/lineage").content.decode()
    assert "<html" in whole and nodes(whole) == nodes(page)
    video_page = client.get(f"/videos/{slow}").content.decode()
    assert f'hx-get="/videos/{slow}/lineage" hx-trigger="load"' in video_page


def test_a_trashed_video_keeps_its_family_together(client, ana, family):
    slow = family["slow"]
    Video.objects.filter(pk=slow.pk).update(trashed_at=timezone.now())
    client.force_login(ana)
    page = client.get(
        f"/videos/{family['mirror'].id}/lineage", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert nodes(page)[2:4] == [slow.id, family["mirror"].id]  # the child stays under it
    node = page[page.index(f'id="node-{slow.id}"') : page.index(f'id="node-{family["mirror"].id}"')]
    assert '<span class="badge badge-deleted">Deleted</span>' in node
    assert "slow" in node and "<a " not in node and "<img" not in node

    Video.objects.filter(pk=slow.pk).update(erased=True, prompt=None)
    page = client.get(
        f"/videos/{family['mirror'].id}/lineage", HTTP_HX_REQUEST="true"
    ).content.decode()
    node = page[page.index(f'id="node-{slow.id}"') : page.index(f'id="node-{family["mirror"].id}"')]
    assert "(erased)" in node and "slow" not in node


def test_a_source_deleted_for_good_is_named_above_the_tree(client, ana, family):
    grey, gone = family["grey"], family["source"].id
    family["source"].delete()
    client.force_login(ana)
    page = client.get(f"/videos/{grey.id}/lineage", HTTP_HX_REQUEST="true").content.decode()
    assert nodes(page)[0] == grey.id and "3 videos" in page
    assert f"Made from <code>{gone}</code>, no longer in the library." in page
    assert client.get("/videos/video_nothere/lineage").status_code == 404


def test_a_video_alone_loads_no_family_tree(client, ana, source):
    client.force_login(ana)
    assert 'id="lineage"' not in client.get(source.get_absolute_url()).content.decode()
