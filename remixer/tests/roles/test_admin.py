"""The user admin shows each person's role and sets it: the Viewers group, or its actions."""

import re

import pytest
from django.contrib.auth.models import Group

from remixer.models.accounts import VIEWERS, Role, role_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_superuser("olga", password="olga-password-1")


def role_cells(page: str) -> list[str]:
    return re.findall(r'<td class="field-shown_role">(\w+)</td>', page)


def test_the_user_list_shows_each_role(client, olga, viewer, ana, staff):
    client.force_login(olga)
    page = client.get("/admin/auth/user/?o=1").content.decode()  # by username
    assert re.search(r"<th[^>]*column-shown_role[^>]*>.*?Role", page, re.DOTALL)
    assert role_cells(page) == ["Creator", "Staff", "Staff", "Viewer"]  # ana olga sam vera


def test_an_operator_makes_people_viewers_and_creators(client, olga, ana, staff):
    client.force_login(olga)
    Group.objects.filter(name=VIEWERS).delete()
    form = client.get(f"/admin/auth/user/{ana.pk}/change/").content.decode()
    viewers = Group.objects.get(name=VIEWERS)  # offered from the first form on
    assert f'value="{viewers.pk}"' in form
    chosen = {"action": "make_viewers", "_selected_action": [ana.pk, staff.pk]}
    answer = client.post("/admin/auth/user/", chosen, follow=True).content.decode()
    assert "1 person is now a viewer." in answer
    assert "1 staff member stays staff" in answer
    assert (role_of(ana), role_of(staff)) == (Role.VIEWER, Role.STAFF)
    chosen["action"] = "make_creators"
    client.post("/admin/auth/user/", chosen)
    ana.refresh_from_db()
    assert role_of(ana) == Role.CREATOR
