"""The Import page: one MP4 becomes an import job, a remixer export's ZIP one job a video."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from remixer.actions import imports, jobs
from remixer.actions.errors import NotAllowed
from remixer.forms.imports import ImportForm


@require_http_methods(["GET", "POST"])
def video_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.is_export:
        return export_imported(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            video = jobs.submit(form.spec(owner=request.user))
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uploaded: remixer is checking it frame by frame.")
            return redirect(video)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "exports": imports.recent_export_imports(request.user),
        "limit": settings.REMIXER_MAX_ACTIVE_JOBS,
    }
    return render(request, "imports/index.html", context, status=status)


def export_imported(request: HttpRequest, form: ImportForm) -> HttpResponse:
    """The export's ZIP is stored; a worker makes its videos import jobs as there is room."""
    imports.receive_export(
        form.cleaned_data["video"],
        importer=request.user,
        token=form.cleaned_data["form_token"],
        operator=request.user.is_staff,
    )
    messages.success(
        request,
        "Uploaded the export: a worker reads it and makes each of its videos an import job, "
        "checked frame by frame.",
    )
    return redirect("video_import")
