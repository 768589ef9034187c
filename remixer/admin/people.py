"""People: Django's user admin with each person's role (viewer, creator or staff) in a
column, and actions that make the chosen people viewers or creators. A viewer is a member of
the Viewers group, which the group field offers too; staff is the "Staff status" flag."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from remixer.lib.words import counted
from remixer.models.accounts import Role, role_of, set_role, viewer_membership, viewers_group

User = get_user_model()


@admin.display(description="Role")
def shown_role(user: Any) -> str:
    return role_of(user).label  # its membership annotated on the row: no query per row


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", shown_role)
    actions = ["make_viewers", "make_creators"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        people: QuerySet[Any] = super().get_queryset(request)
        annotated: QuerySet[Any] = people.annotate(is_viewer=viewer_membership())
        return annotated

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            viewers_group()  # offered among the groups from the start
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description="Make the selected people viewers (they only watch)")
    def make_viewers(self, request: HttpRequest, people: QuerySet[Any]) -> None:
        self.give(request, people, Role.VIEWER)

    @admin.action(description="Make the selected people creators")
    def make_creators(self, request: HttpRequest, people: QuerySet[Any]) -> None:
        self.give(request, people, Role.CREATOR)

    def give(self, request: HttpRequest, people: QuerySet[Any], role: Role) -> None:
        """Viewers and creators change role; staff stay staff until the flag is cleared."""
        changed = list(people.filter(is_staff=False, is_superuser=False))
        for person in changed:
            set_role(person, role)
        word = role.label.lower()
        if len(changed) == 1:
            self.message_user(request, f"1 person is now a {word}.")
        else:
            self.message_user(
                request, f"{counted(len(changed), 'person', 'people')} are now {word}s."
            )
        if kept := people.count() - len(changed):
            stays = "stays" if kept == 1 else "stay"
            messages.warning(
                request,
                f"{counted(kept, 'staff member')} {stays} staff: clear “Staff status” first.",
            )
