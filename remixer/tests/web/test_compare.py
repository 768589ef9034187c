"""Two videos side by side: a remix beside its source, or any two picked in the library."""

import re

import pytest

from remixer.lib.words import word_diff
from remixer.models import Video
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, job

pytestmark = pytest.mark.django_db


def test_a_remix_is_compared_with_its_source_and_the_changed_words_are_marked(
    client, ana, ben, source, clip_path, django_assert_max_num_queries
):
    source.prompt, source.recipe = "calm blue waves at dusk", None
    source.save(update_fields=["prompt", "recipe"])
    remix = finished_video(
        ben,
        clip_path,
        prompt="calm red waves at dusk",
        remixed_from=source,
        remixed_from_video_id=source.id,
        recipe=parse_recipe("black and white").to_json(),
    )
    client.force_login(ana)
    video_page = client.get(remix.get_absolute_url()).content.decode()
    assert f'href="/videos/{remix.id}/compare">Compare with source</a>' in video_page
    with django_assert_max_num_queries(4):
        page = client.get(f"/videos/{remix.id}/compare").content.decode()
    assert page.index(f'src="/videos/{source.id}/content"') < page.index(
        f'src="/videos/{remix.id}/content"'
    )  # the source on the left (A), the remix on the right (B)
    assert "calm <del>blue</del> waves at dusk" in page
    assert "calm <ins>red</ins> waves at dusk" in page
    assert len(re.findall(r'<script src="/static/compare\.[0-9a-f]+\.js" defer>', page)) == 1
    assert "Compare with source" not in client.get(source.get_absolute_url()).content.decode()
    assert "/static/compare." not in video_page


def test_any_two_videos_picked_in_the_library_are_compared(client, ana, ben, source, clip_path):
    other = finished_video(ben, clip_path, prompt="storm", size="720x1280")
    client.force_login(ana)
    library = client.get("/").content.decode()
    assert 'class="compare-picks" method="get" action="/compare">' in library
    assert f'name="v" value="{other.id}" form="compare-picks"' in library
    picked = client.get(f"/compare?v={source.id}&v={other.id}")
    assert picked["Location"] == f"/videos/{source.id}/compare?with={other.id}"
    page = client.get(picked["Location"]).content.decode()
    assert f'src="/videos/{other.id}/content"' in page and "Portrait 720 × 1280" in page

    one = client.get(f"/compare?v={source.id}", follow=True)
    assert "Tick exactly two videos to compare them." in one.content.decode()


def test_compare_names_what_cannot_be_compared(client, ana, source):
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=10)
    client.force_login(ana)
    alone = client.get(f"/videos/{source.id}/compare").content.decode()
    assert "This video is not a remix" in alone and "/static/compare." not in alone
    assert client.get(f"/videos/{source.id}/compare?with=video_gone").status_code == 404
    assert client.get(f"/videos/{source.id}/compare?with=../etc").status_code == 404
    page = client.get(f"/videos/{source.id}/compare?with={running.id}").content.decode()
    assert "Nothing to play yet." in page and "In progress 10%" in page
    client.logout()
    assert client.get(f"/videos/{source.id}/compare")["Location"].startswith("/login")


def test_the_word_diff_marks_only_what_changed():
    before, after = word_diff("A calm sea, at dusk", "a calm  stormy sea at dawn")
    assert [w.text for w in before if w.changed] == ["sea,", "dusk"]
    assert [w.text for w in after if w.changed] == ["stormy", "sea", "dawn"]
