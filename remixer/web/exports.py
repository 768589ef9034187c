"""The export pages: choose videos, follow the worker writing their ZIP, download it."""

import uuid

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from remixer.actions.errors import NotAllowed
from remixer.actions.exports import note_download, start_export
from remixer.files.serving import serve_stored
from remixer.forms.exports import ExportForm
from remixer.forms.logins import client_address
from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.models.exports import Export
from remixer.worker.exports import exportable

LISTED = 200  # the newest finished videos offered to tick, besides those ticked already


@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest) -> HttpResponse:
    """The videos to tick (those ticked in the library come ticked), and the user's exports."""
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            export = start_export(
                user=request.user,
                scope=form.cleaned_data["scope"],
                video_ids=form.cleaned_data["video_ids"],
                address=client_address(request),
            )
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            return redirect(export)
    data = request.POST if request.method == "POST" else request.GET
    picked = [pk for pk in data.getlist("v") if VIDEO_ID_PATTERN.fullmatch(pk)]
    context = {
        "form": form,
        "videos": offered(picked),
        "picked": set(picked),
        "exports": Export.objects.filter(owner_id=request.user.pk)[:20],
        "export_hours": settings.REMIXER_EXPORT_HOURS,
    }
    return render(request, "exports/index.html", context, status=400 if form.errors else 200)


def offered(picked: list[str]) -> list[Video]:
    videos = exportable(Video.objects.all()).select_related("owner")
    ticked = list(videos.filter(pk__in=picked).newest_first())
    return ticked + list(videos.exclude(pk__in=picked).newest_first()[:LISTED])


def get_export(request: HttpRequest, export_id: uuid.UUID) -> Export:
    """The export, for its owner or staff; to anyone else it does not exist."""
    export = get_object_or_404(Export.objects.select_related("owner"), pk=export_id)
    if not export.can_see(request.user):
        raise Http404("No such export.")
    return export


@require_GET
def export_detail(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    return render(request, "exports/detail.html", {"export": get_export(request, export_id)})


@require_GET
def export_status(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    """Polled once a second while the worker writes the ZIP; once finished, it stops."""
    return render(
        request, "exports/detail.html#progress", {"export": get_export(request, export_id)}
    )


@require_safe
def export_download(request: HttpRequest, export_id: uuid.UUID) -> HttpResponseBase:
    export = get_export(request, export_id)
    if export.status == Export.Status.COMPLETED and not export.is_ready:
        return render(request, "exports/detail.html", {"export": export}, status=410)
    if not export.is_ready:
        raise Http404("This export is not written yet.")
    # A download manager's later parts (a Range past the start) are the same download.
    from_start = request.headers.get("Range", "bytes=0-").startswith("bytes=0-")
    with transaction.atomic():
        if request.method == "GET" and from_start:
            note_download(user=request.user, export=export, address=client_address(request))
        return serve_stored(request, export.file, filename=export.filename)
