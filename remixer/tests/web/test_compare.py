"""Two videos side by side: a remix beside its source, or any two selected in the library."""

import re

import pytest

from remixer.lib.words import word_diff
from remixer.models import Video
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, job
from remixer.tests.support.source_clips import write_clip

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


def test_any_two_videos_selected_in_the_library_are_compared(client, ana, ben, source, clip_path):
    source.title = "Blue waves"
    source.save(update_fields=["title"])
    other = finished_video(ben, clip_path, prompt=f"storm {'over the sea ' * 9}", size="720x1280")
    client.force_login(ana)
    library = client.get("/").content.decode()
    assert 'class="compare-picks" method="get" action="/compare">' in library
    assert f'name="v" value="{other.id}" form="compare-picks"' in library
    assert 'aria-label="Select Blue waves to compare or export"> Select</label>' in library
    assert 'formaction="/exports">Export…</button>' in library  # the selection, to export
    picked = client.get(f"/compare?v={other.id}&v={source.id}")  # as the grid lists them
    assert picked["Location"] == f"/videos/{source.id}/compare?with={other.id}"  # older on A
    page = client.get(picked["Location"]).content.decode()
    assert f'src="/videos/{other.id}/content"' in page
    # Each side is named by its title, else its prompt cut short; the details come after.
    assert f'A · <a href="/videos/{source.id}">Blue waves</a></h2>' in page
    assert f'B · <a href="/videos/{other.id}">storm over the sea over the sea over the' in page
    assert "ben · Portrait 720 × 1280 · 4 s</p>" in page

    one = client.get(f"/compare?v={source.id}", follow=True)
    assert "1 video is selected: select exactly two to compare them." in one.content.decode()


HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "Select two videos to compare them."),
        (1, "1 video is selected: select exactly two to compare them."),
        (3, "3 videos are selected: select exactly two to compare them."),
    ],
)
def test_a_selection_of_other_than_two_is_answered_beside_the_button(
    client, ana, source, count, words
):
    client.force_login(ana)
    answer = client.get("/compare", {"v": [source.id] * count}, headers=HTMX)
    assert answer.status_code == 200 and answer.content.decode() == words
    assert words not in client.get("/").content.decode()  # no message left for the next page


def test_a_selection_of_two_through_htmx_opens_the_comparison(client, ana, source):
    client.force_login(ana)
    answer = client.get("/compare", {"v": [source.id, "video_other"]}, headers=HTMX)
    assert answer["HX-Redirect"] == f"/videos/{source.id}/compare?with=video_other"


def test_the_boxes_take_each_video_shape_and_the_keys_step_the_left_video_frames(
    client, ana, clip_path, tmp_path
):
    portrait = write_clip(tmp_path / "portrait.mp4", "libx264", 36, 64, frames=15, rate=30)
    left = finished_video(ana, portrait, size="36x64")
    right = finished_video(ana, clip_path)  # 1280x720 at the engine's 24 frames a second
    client.force_login(ana)
    page = client.get(f"/videos/{left.id}/compare?with={right.id}").content.decode()
    assert 'data-fps="30"' in page
    assert 'id="box-a" data-ratio="0.5625"' in page
    assert 'id="box-b" data-ratio="1.7778"' in page
    swapped = client.get(f"/videos/{right.id}/compare?with={left.id}").content.decode()
    assert 'data-fps="24"' in swapped
    assert 'id="box-a" data-ratio="1.7778"' in swapped
    # The divider follows the controls, so it comes after them in tab order.
    assert page.index('id="compare-controls"') < page.index('id="wipe-divider"')


def test_the_frame_rate_is_read_from_a_bucket_and_is_the_engine_rate_when_unreadable(
    client, ana, clip_path, tmp_path, bucket
):
    rate = write_clip(tmp_path / "thirty.mp4", "libx264", 64, 36, frames=15, rate=30)
    stored = finished_video(ana, rate, size="64x36")
    (tmp_path / "not-a-video.mp4").write_bytes(b"no video here")
    broken = finished_video(ana, tmp_path / "not-a-video.mp4", size="64x36")
    client.force_login(ana)
    assert (
        'data-fps="30"'
        in client.get(f"/videos/{stored.id}/compare?with={broken.id}").content.decode()
    )
    assert (
        'data-fps="24"'
        in client.get(f"/videos/{broken.id}/compare?with={stored.id}").content.decode()
    )


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
