// Every page's helpers. On a phone, the header's links fold behind Menu. On the library and
// a video page: your running jobs in the tab's title and icon, a notification when one
// finishes (once allowed), and Copy prompt. It reads what the page's own polls bring in
// (data-job attributes), so it asks the server for nothing.
(function () {
  "use strict";
  foldMenu();
  const meta = document.querySelector('meta[name="remixer-user"]');
  const icon = document.querySelector('link[rel="icon"]');
  if (!meta || !icon) return;
  const me = meta.content;
  const pageTitle = document.title;
  const plainIcon = icon.href;
  const RUNNING = new Set(["queued", "in_progress"]);
  const WORDS = { completed: "Done", failed: "Failed", cancelled: "Cancelled" };
  // My jobs seen running on this page, as last seen: one that finished stays, at 100%, until
  // all have finished, so the average never drops when the first one is done.
  const followed = new Map();
  let most = { jobs: "", percent: 0 }; // the most shown for this set of jobs: never less
  let said = ""; // what the title says before the page's name: "30%", "✓ Done" or nothing
  let restoreTimer = 0;

  // The header's links behind a Menu button, which the stylesheet shows on narrow screens
  // only; without this script they show, wrapped.
  function foldMenu() {
    const button = document.querySelector("[data-menu]");
    const header = button && button.closest("header");
    if (!header) return;
    const open = (state) => button.setAttribute("aria-expanded", String(state));
    const isOpen = () => button.getAttribute("aria-expanded") === "true";
    button.hidden = false;
    button.addEventListener("click", () => open(!isOpen()));
    document.addEventListener("click", (event) => {
      if (isOpen() && !header.contains(event.target)) open(false);
    });
    header.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !header.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !isOpen()) return;
      open(false);
      button.focus();
    });
  }

  function myJobs() {
    const jobs = new Map();
    for (const element of document.querySelectorAll("[data-job]")) {
      if (element.dataset.owner === me) jobs.set(element.dataset.job, { ...element.dataset });
    }
    return jobs;
  }

  // A video page's Rename carries the tab's title as the video is now named (htmx swaps it).
  function plainTitle() {
    const named = document.querySelector("[data-tab-title]");
    return named ? named.dataset.tabTitle : pageTitle;
  }

  function showTitle() {
    document.title = said ? `${said} · ${plainTitle()}` : plainTitle();
  }

  function setIcon(draw) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 32;
    const pen = canvas.getContext("2d");
    pen.lineWidth = 5;
    pen.lineCap = "round";
    draw(pen);
    icon.type = "image/png";
    icon.href = canvas.toDataURL("image/png");
  }

  function progressIcon(fraction) {
    setIcon((pen) => {
      pen.strokeStyle = "rgba(128, 128, 128, 0.4)";
      pen.beginPath();
      pen.arc(16, 16, 12, 0, 2 * Math.PI);
      pen.stroke();
      pen.strokeStyle = "#3b3fd8";
      pen.beginPath();
      pen.arc(16, 16, 12, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * Math.max(fraction, 0.02));
      pen.stroke();
    });
  }

  function doneIcon(ok) {
    setIcon((pen) => {
      pen.fillStyle = ok ? "#17692f" : "#a8231c";
      pen.beginPath();
      pen.arc(16, 16, 15, 0, 2 * Math.PI);
      pen.fill();
      pen.strokeStyle = "#ffffff";
      pen.beginPath();
      if (ok) {
        pen.moveTo(9, 17);
        pen.lineTo(14, 22);
        pen.lineTo(23, 11);
      } else {
        pen.moveTo(11, 11);
        pen.lineTo(21, 21);
        pen.moveTo(21, 11);
        pen.lineTo(11, 21);
      }
      pen.stroke();
    });
  }

  function restore() {
    if (followed.size) return; // a job started meanwhile: its progress shows instead
    said = "";
    showTitle();
    icon.href = plainIcon;
    icon.type = "image/svg+xml";
  }

  function notify(job) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const done = job.state === "completed";
    const note = new Notification(done ? "Your video is ready" : `Your video: ${WORDS[job.state]}`, {
      body: job.name,
      tag: job.job,
    });
    note.addEventListener("click", () => {
      window.focus();
      window.location.href = job.href;
      note.close();
    });
  }

  // Notes what my jobs on the page now say; answers those that finished since last time.
  function follow() {
    const jobs = myJobs();
    const finished = [];
    for (const [id, job] of jobs) {
      const known = followed.get(id);
      if (RUNNING.has(job.state)) followed.set(id, job);
      else if (known && RUNNING.has(known.state)) {
        followed.set(id, job);
        finished.push(job);
      }
    }
    for (const id of followed.keys()) if (!jobs.has(id)) followed.delete(id); // no longer shown
    return finished;
  }

  function showProgress(all, left) {
    const percent = (job) => (RUNNING.has(job.state) ? Number(job.progress || 0) : 100);
    const average = Math.round(all.reduce((sum, job) => sum + percent(job), 0) / all.length);
    const set = [...followed.keys()].sort().join(" ");
    if (most.jobs !== set) most = { jobs: set, percent: 0 };
    most.percent = Math.max(most.percent, average);
    const count = left === all.length ? `${left} jobs left` : `${left} of ${all.length} jobs left`;
    said = all.length > 1 ? `${most.percent}% · ${count}` : `${most.percent}%`;
    progressIcon(most.percent / 100);
  }

  function showDone(all) {
    const failed = all.find((job) => job.state !== "completed");
    said = `${failed ? "✗" : "✓"} ${WORDS[(failed || all[0]).state]}`;
    doneIcon(!failed);
    followed.clear();
    restoreTimer = setTimeout(restoreWhenSeen, 10000);
  }

  function update() {
    const finished = follow();
    const all = [...followed.values()];
    const left = all.filter((job) => RUNNING.has(job.state)).length;
    if (left) {
      clearTimeout(restoreTimer);
      showProgress(all, left);
    } else if (all.length) {
      showDone(all);
    }
    showTitle();
    finished.forEach(notify);
    const asking = left && "Notification" in window && Notification.permission === "default";
    for (const button of document.querySelectorAll("[data-notify]")) button.hidden = !asking;
    for (const button of document.querySelectorAll("[data-copy][hidden]")) button.hidden = false;
  }

  // A finished job stays in the title until the tab has been seen.
  function restoreWhenSeen() {
    if (document.visibilityState === "visible") restore();
    else document.addEventListener("visibilitychange", restoreWhenSeen, { once: true });
  }

  function copy(button) {
    const source = document.getElementById(button.dataset.copy);
    const text = source ? source.textContent.trim() : "";
    const copied = () => {
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy prompt"), 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(copied, () => copyBySelection(source) && copied());
    } else if (copyBySelection(source)) {
      copied();
    }
  }

  function copyBySelection(element) {
    // Plain HTTP has no clipboard API: select the text and copy the selection.
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return document.execCommand("copy");
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const copier = target && target.closest("[data-copy]");
    if (copier) copy(copier);
    if (target && target.closest("[data-notify]") && "Notification" in window) {
      Notification.requestPermission().then(update);
    }
  });

  let queued = 0;
  new MutationObserver(() => {
    clearTimeout(queued);
    queued = setTimeout(update, 30);
  }).observe(document.body, { childList: true, subtree: true });
  update();
})();
