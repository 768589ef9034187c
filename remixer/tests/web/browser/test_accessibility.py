"""Every page checked by axe-core in a real Chromium, on a desktop and a phone, in the light
colour scheme and the dark: no serious or critical violation.

axe is axe-core's own file, kept in remixer/tests/support/axe/ (its README names the version).
The pages forbid inline scripts, so the browser is handed the file as if the site served it:
the pages are checked as people get them, their Content-Security-Policy in force.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from remixer.tests.conftest import PHONE, finished_video, log_in, made_from, video_row
from remixer.tests.support.library import with_thumbnail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_only,
    pytest.mark.django_db(transaction=True),
]
AXE = Path(__file__).resolve().parents[2] / "support" / "axe" / "axe.min.js"
AXE_PATH = "/axe-core/axe.min.js"  # answered by the browser itself, never by the site
WIDE = {"width": 1440, "height": 900}
SIZES = {"desktop": WIDE, "phone": PHONE}
SCHEMES = ("light", "dark")
# What a page must show to be checked as it is meant: its fragments loaded, its rarer parts there.
SHOWN = {
    "video": "#lineage .lineage-tree",
    "compare": "#video-b",
    "lineage": ".lineage-deleted .lineage-prompt:has-text('(erased)')",
    "lineage of a video in the Trash": ".lineage-current.lineage-deleted",
}
RUN_AXE = r"""async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
                    why: v.nodes[0].failureSummary.replace(/\s+/g, " ")}));
}"""


def pages_to_check(ana: User, ben: User, clip: Path) -> dict[str, str]:
    """A library with something of each kind on show, and the page of each: a remix to
    compare, a family with a trashed and an erased video in it, a video in the Trash."""
    source = with_thumbnail(finished_video(ana, clip, prompt="calm blue waves at dusk"))
    remix = with_thumbnail(
        finished_video(
            ben, clip, prompt="calm blue waves at dusk, black and white", **made_from(source)
        )
    )
    trashed = finished_video(
        ana,
        clip,
        prompt="black and white, slow motion",
        trashed_at=timezone.now(),
        **made_from(remix, "extension"),
    )
    video_row(
        ana, status="failed", trashed_at=timezone.now(), erased=True, **made_from(source, "edit")
    )
    video_row(ben, trashed_at=timezone.now(), **made_from(source))  # hidden from ana: "Deleted"
    child = finished_video(
        ana, clip, prompt="black and white, slow motion mirrored", **made_from(trashed, "edit")
    )
    return {
        "library": "/",
        "video": f"/videos/{source.id}",
        "new video": "/videos/new",
        "remix": "/remix",
        "compare": f"/videos/{remix.id}/compare",
        "lineage": f"/videos/{child.id}/lineage",
        "lineage of a video in the Trash": f"/videos/{trashed.id}/lineage",
        "trash": "/trash",
        "export": "/exports",
        "import": "/videos/import",
        "404": "/no-such-page",
    }


def test_no_page_has_a_serious_or_critical_violation(server, browser, ana, ben, clip_path):
    pages = pages_to_check(ana, ben, clip_path)
    browser.expected_complaints.append(f"404 (Not Found) ({server}{pages['404']})")
    found: dict[str, list[dict[str, object]]] = {}
    for size, viewport in SIZES.items():
        page = log_in(browser, server, "ana", "ana-password-1", viewport=viewport)
        page.context.route(f"{server}{AXE_PATH}", lambda route: route.fulfill(path=AXE))
        for name, path in pages.items():
            answer = page.goto(server + path)
            assert answer.status == (404 if name == "404" else 200), f"{path}: {answer.status}"
            if name in SHOWN:
                page.wait_for_selector(SHOWN[name])
            check(page, server, f"{name} ({path}), {size}", found)
        page.goto(f"{server}/keys")
        page.fill("#id_name", f"laptop on the {size}")
        page.click("form[action='/keys'] button[type=submit]")
        page.wait_for_selector(".new-key pre")  # the new key's secret, shown this once
        check(page, server, f"API keys with a new key (/keys), {size}", found)
        page.context.clear_cookies()
        assert page.goto(f"{server}/login").status == 200
        check(page, server, f"login (/login), {size}", found)
        page.context.close()
    assert not found, "axe-core finds, by page:\n" + "\n".join(
        described(where, violations) for where, violations in found.items()
    )


def check(page, server: str, where: str, found: dict[str, list[dict[str, object]]]) -> None:  # type: ignore[no-untyped-def]
    """axe's serious and critical violations on the page, in each colour scheme."""
    page.add_script_tag(url=f"{server}{AXE_PATH}")
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[f"{where}, {scheme}"] = violations
    page.emulate_media(color_scheme="light")


def described(where: str, violations: list[dict[str, object]]) -> str:
    lines = [f"{where}:"]
    for violation in violations:
        targets = ", ".join(str(target) for target in violation["targets"])  # type: ignore[attr-defined]
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']} — at {targets}"
        )
        lines.append(f"    {violation['why']}")
    return "\n".join(lines)
