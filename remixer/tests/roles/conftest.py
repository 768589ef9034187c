"""The roles tests' people: vera, a viewer (a member of the Viewers group), and her key."""

import pytest

from remixer.models.accounts import VIEWERS, ApiKey, viewers_group


@pytest.fixture
def viewer(django_user_model):  # type: ignore[no-untyped-def]
    vera = django_user_model.objects.create_user("vera", password="vera-password-1")
    vera.groups.add(viewers_group())
    assert vera.groups.filter(name=VIEWERS).exists()
    return vera


@pytest.fixture
def viewer_key(viewer) -> str:  # type: ignore[no-untyped-def]
    return ApiKey.issue(user=viewer, name="tests")[1]
