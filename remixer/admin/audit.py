"""The audit trail in the admin, read-only; and the admins whose saves and deletes it notes
(providers and the catalog, admin/providers.py)."""

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from remixer.actions import audit
from remixer.forms.logins import client_address
from remixer.models import AuditRecord, CatalogEntry, Provider

Row = TypeVar("Row", bound=models.Model)

# What saving and deleting a row of each model is called in the trail.
CHANGES = {
    Provider: (audit.Action.PROVIDER_SAVED, audit.Action.PROVIDER_DELETED),
    CatalogEntry: (audit.Action.CATALOG_SAVED, audit.Action.CATALOG_DELETED),
}


def note_saved(request: HttpRequest, row: models.Model, *, added: bool, fields: list[str]) -> None:
    """A row saved: which fields changed, never their values (a provider's key among them)."""
    detail = {"added": added, "name": str(row), "fields": fields}
    action = CHANGES[type(row)][0]
    audit.record(
        action, user=request.user, address=client_address(request), target=row, detail=detail
    )


def note_deleted(request: HttpRequest, row: models.Model) -> None:
    action = CHANGES[type(row)][1]
    audit.record(
        action,
        user=request.user,
        address=client_address(request),
        target=row,
        detail={"name": str(row)},
    )


class AuditedAdmin(admin.ModelAdmin[Row]):
    """An admin whose saves and deletes, its inlines' too, are noted in the audit trail, in the
    same transaction: a record that cannot be written undoes the change."""

    def save_model(self, request: HttpRequest, obj: Row, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            note_saved(request, obj, added=not change, fields=list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Row) -> None:
        with transaction.atomic():
            note_deleted(request, obj)  # first: once deleted, the row has no id
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Row]) -> None:
        with transaction.atomic():
            for row in queryset:
                note_deleted(request, row)
            super().delete_queryset(request, queryset)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Row], formset: Any, change: bool
    ) -> None:
        with transaction.atomic():
            inline: BaseInlineFormSet[Any, Any, Any] = formset
            for deleted in inline.deleted_forms:
                if deleted.instance.pk is not None:
                    note_deleted(request, deleted.instance)
            super().save_formset(request, form, formset, change)
            for row in inline.new_objects:
                note_saved(request, row, added=True, fields=[])
            for row, fields in inline.changed_objects:
                note_saved(request, row, added=False, fields=list(fields))


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin[AuditRecord]):
    """Who did what, when and from where. Nobody adds, changes or deletes a record here: the
    workers' sweep removes them after REMIXER_AUDIT_DAYS."""

    list_display = ["at", "who", "address", "action", "target", "detail"]
    list_filter = ["action", "at", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "user__username", "address", "target_id", "target_kind"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditRecord._meta.fields]

    @admin.display(description="Who", ordering="username")
    def who(self, record: AuditRecord) -> str:
        return record.username or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
