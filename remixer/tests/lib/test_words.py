"""Words for people, made without Django: file names from titles as Django's slugify made them."""

from django.utils.text import slugify as django_slugify
from hypothesis import given
from hypothesis import strategies as st

from remixer.lib.words import file_slug, slugify


@given(st.text())
def test_slugify_is_djangos(text: str) -> None:
    assert slugify(text) == django_slugify(text)


def test_a_title_names_a_file() -> None:
    assert file_slug("Calm blue waves, at dusk!") == "calm-blue-waves-at-dusk"
    assert file_slug("Crème brûlée — à la carte") == "creme-brulee-a-la-carte"
    assert file_slug("🎉🔥") == ""
    assert len(file_slug("word " * 40)) <= 80
