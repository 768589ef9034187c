"""Words for people, made without Django: file names from titles as Django's slugify made them."""

import pytest
from django.utils.text import slugify as django_slugify
from hypothesis import given
from hypothesis import strategies as st

from remixer.lib.words import duration, file_slug, slugify

pytestmark = pytest.mark.database_free


@given(st.text())
def test_slugify_is_djangos(text: str) -> None:
    assert slugify(text) == django_slugify(text)


def test_a_title_names_a_file() -> None:
    assert file_slug("Calm blue waves, at dusk!") == "calm-blue-waves-at-dusk"
    assert file_slug("Crème brûlée — à la carte") == "creme-brulee-a-la-carte"
    assert file_slug("🎉🔥") == ""
    assert len(file_slug("word " * 40)) <= 80


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0.2, "1 second"), (1, "1 second"), (59.1, "60 seconds"), (150, "3 minutes"),
     (420, "7 minutes"), (3600, "60 minutes"), (7201, "3 hours")],
)  # fmt: skip
def test_a_length_of_time_is_told_rounded_up(seconds: float, said: str) -> None:
    assert duration(seconds) == said
