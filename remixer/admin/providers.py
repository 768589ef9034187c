"""Providers in the admin: their connection, their catalog of models, and their health."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from remixer.actions.providers import Health, check_connection, health_of
from remixer.admin.audit import AuditedAdmin
from remixer.lib.words import counted, duration
from remixer.models import CatalogEntry, Provider
from remixer.providers import strategies, workflows
from remixer.providers.kinds import capabilities

CAPABILITY_WORDS = {True: "yes", False: "no", None: "not known yet"}


class ProviderForm(forms.ModelForm[Provider]):
    base_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The API's root, ending in /v1 (e.g. http://gpu-box:8000/v1).",
    )
    api_key = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the key already stored. It is never shown again.",
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "enabled",
            "base_url",
            "api_key",
            "auth_header",
            "body_encoding",
            "extra_fields",
            "job_deadline",
            "default_remix_model",
        ]

    def clean_api_key(self) -> str:
        return self.cleaned_data["api_key"] or (self.instance.api_key if self.instance else "")


CATALOG_FIELDS = ["name", "aliases", "sizes", "seconds", "price_per_second", "remix_strategy"]
WORKFLOW_FIELDS = ["workflow_file", "roles", "frames_rule"]  # a ComfyUI's entries


class CatalogForm(forms.ModelForm[CatalogEntry]):
    """Inputs sized to what they hold, so a provider's page fits a laptop's window."""

    workflow_file = forms.FileField(
        required=False,
        label="Workflow",
        help_text="ComfyUI only: a workflow saved with Export (API). Jobs already asked for keep "
        "the workflow they were made with.",
    )

    class Meta:
        model = CatalogEntry
        fields = [*CATALOG_FIELDS, "roles", "frames_rule"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 16}),
            "aliases": forms.TextInput(attrs={"size": 20}),
            "sizes": forms.TextInput(attrs={"size": 30}),
            "seconds": forms.TextInput(attrs={"size": 8}),
        }

    def clean(self) -> dict[str, Any]:
        """A workflow file in ComfyUI's API format, its roles found (or set by hand)."""
        cleaned = super().clean() or {}
        upload = cleaned.get("workflow_file")
        workflow = self.instance.workflow
        try:
            if upload is not None:
                workflow = workflows.read(upload.read())
            if workflow:
                workflows.find_roles(workflow, cleaned.get("roles") or {})
        except workflows.WorkflowError as error:
            self.add_error("workflow_file" if upload is not None else "roles", str(error))
            return cleaned
        self.instance.workflow = workflow
        return cleaned

    def save(self, commit: bool = True) -> CatalogEntry:
        if "remix_strategy" in self.changed_data:
            strategies.chosen(self.instance)
        return super().save(commit)


class CatalogInline(admin.StackedInline[CatalogEntry, Provider]):
    """Stacked: with its remix strategy and the evidence for it, an entry is wider than a row."""

    model = CatalogEntry
    form = CatalogForm
    extra = 1
    fields = [*CATALOG_FIELDS, "remix_evidence", *WORKFLOW_FIELDS, "workflow_roles"]
    readonly_fields = ["remix_evidence", "workflow_roles"]

    @admin.display(description="What remixer fills")
    def workflow_roles(self, entry: CatalogEntry) -> str:
        """The node and input found for each role, and what the workflow can do."""
        if not entry.workflow:
            return "No workflow."
        try:
            roles = workflows.find_roles(entry.workflow, entry.roles)
        except workflows.WorkflowError as error:
            return str(error)
        placed = "; ".join(
            f"{role} → node {node}" + (f" {name}" if name else "")
            for role, (node, name) in roles.items()
        )
        return f"{placed}. This workflow {workflows.abilities(roles).describe()}."


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin[Provider]):
    form = ProviderForm
    inlines = [CatalogInline]
    list_display = [
        "name",
        "kind",
        "enabled",
        "base_url",
        "reachable",
        "in_flight",
        "time_to_complete",
        "failures",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "base_url"]
    readonly_fields = ["key_hint", "capabilities", "checked_at", "check_result", "reachable"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "enabled"]}),
        (
            "Connection",
            {
                "fields": [
                    "base_url",
                    "api_key",
                    "key_hint",
                    "auth_header",
                    "body_encoding",
                    "extra_fields",
                    "job_deadline",
                    "default_remix_model",
                ]
            },
        ),
        ("What it can do", {"fields": ["capabilities", "checked_at", "check_result"]}),
        ("Health", {"fields": ["reachable"]}),
    ]
    actions = ["test_connection", "detect_remix_strategies"]

    def get_fieldsets(self, request: HttpRequest, obj: Provider | None = None) -> Any:
        """The local engine has no connection: its page leaves the HTTP fields out."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not capabilities(obj).connects:
            return [fieldset for fieldset in fieldsets if fieldset[0] != "Connection"]
        return fieldsets

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """The page's providers, each with its health over the last day (one query)."""
        changelist = super().get_changelist_instance(request)
        health = health_of(changelist.result_list)
        for provider in changelist.result_list:
            provider.health = health[provider.pk]
        return changelist

    @admin.display(description="Reachable")
    def reachable(self, provider: Provider) -> str:
        if not capabilities(provider).connects:
            return "Built in."
        if not provider.unanswered_calls:
            return "Yes."
        since = timezone.localtime(provider.unanswered_since or timezone.now())
        answered = "Not answering" if provider.unreachable else "Missed calls"
        calls = counted(provider.unanswered_calls, "call")
        return (
            f"{answered} since {since:%Y-%m-%d %H:%M %Z} ({calls} in a row): {provider.last_error}"
        )

    @admin.display(description="Jobs in flight")
    def in_flight(self, provider: Provider) -> int:
        return health_on(provider).in_flight

    @admin.display(description="Time to complete (last day)")
    def time_to_complete(self, provider: Provider) -> str:
        day = health_on(provider)
        median, p95 = day.percentile(0.5), day.percentile(0.95)
        if median is None or p95 is None:
            return "—"
        count = len(day.seconds_to_complete)
        return f"median {duration(median)}, p95 {duration(p95)} ({count} completed)"

    @admin.display(description="Failures (last day)")
    def failures(self, provider: Provider) -> str:
        counts = health_on(provider).failures.most_common()
        return ", ".join(f"{code}: {count}" for code, count in counts) or "none"

    @admin.display(description="Key")
    def key_hint(self, provider: Provider) -> str:
        key = provider.api_key
        return (
            f"…{key[-4:]} ({len(key)} characters)" if len(key) > 8 else ("set" if key else "none")
        )

    @admin.display(description="Capabilities")
    def capabilities(self, provider: Provider) -> str:
        if capabilities(provider).renders_here:
            return "Creates and remixes on this machine."
        return (
            f"Remix: {CAPABILITY_WORDS[provider.can_remix]}; "
            f"list jobs: {CAPABILITY_WORDS[provider.can_list]}; "
            f"delete jobs: {CAPABILITY_WORDS[provider.can_delete]}; "
            f"thumbnails: {CAPABILITY_WORDS[provider.has_variants]}"
        )

    @admin.action(description="Test connection (starts no job)")
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Provider]) -> None:
        for provider in queryset:
            passed, said = check_connection(provider)
            level = messages.SUCCESS if passed else messages.ERROR
            self.message_user(request, f"{provider.name}: {said}", level)

    @admin.action(description="Detect how each model remixes (starts no job)")
    def detect_remix_strategies(self, request: HttpRequest, queryset: QuerySet[Provider]) -> None:
        for provider in queryset:
            self.message_user(request, f"{provider.name}: {strategies.detect_entries(provider)}")


def health_on(provider: Provider) -> Health:
    """The health the list's page read for this provider (none elsewhere)."""
    return getattr(provider, "health", None) or Health()


@admin.register(CatalogEntry)
class CatalogEntryAdmin(AuditedAdmin[CatalogEntry]):
    form = CatalogForm
    list_display = [*CATALOG_FIELDS[:2], "provider", *CATALOG_FIELDS[2:]]
    list_filter = ["provider", "remix_strategy"]
    search_fields = ["name", "aliases", "provider__name"]
    list_select_related = ["provider"]
    fields = ["provider", *CATALOG_FIELDS, "remix_decision"]
    readonly_fields = ["remix_decision"]
    actions = ["detect_remix_strategy"]

    @admin.display(description="Why this remix strategy")
    def remix_decision(self, entry: CatalogEntry) -> str:
        return entry.remix_evidence or "Nothing detected or chosen yet."

    @admin.action(description="Detect how the selected models remix (starts no job)")
    def detect_remix_strategy(self, request: HttpRequest, queryset: QuerySet[CatalogEntry]) -> None:
        for provider in Provider.objects.filter(catalog__in=queryset).distinct():
            found = strategies.detect_entries(provider, entries=queryset)
            self.message_user(request, f"{provider.name}: {found}")
