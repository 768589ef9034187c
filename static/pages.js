// The library's and the video page's helpers: your running jobs in the tab's title and icon,
// a notification when one finishes (once allowed), and Copy prompt. It reads what the page's
// own polls bring in (data-job attributes), so it asks the server for nothing.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="remixer-user"]');
  const icon = document.querySelector('link[rel="icon"]');
  if (!meta || !icon) return;
  const me = meta.content;
  const plainTitle = document.title;
  const plainIcon = icon.href;
  const RUNNING = new Set(["queued", "in_progress"]);
  const WORDS = { completed: "Done", failed: "Failed", cancelled: "Cancelled" };
  const seen = new Map(); // job id -> the state last seen, for jobs of mine on the page
  let restoreTimer = 0;

  function myJobs() {
    const jobs = new Map();
    for (const element of document.querySelectorAll("[data-job]")) {
      if (element.dataset.owner === me) jobs.set(element.dataset.job, { ...element.dataset });
    }
    return jobs;
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
    document.title = plainTitle;
    icon.href = plainIcon;
    icon.type = "image/svg+xml";
  }

  function notify(job) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const card = document.querySelector(`#card-${job.job} .prompt`);
    const done = job.state === "completed";
    const note = new Notification(done ? "Your video is ready" : `Your video: ${WORDS[job.state]}`, {
      body: card ? card.textContent.trim() : plainTitle,
      tag: job.job,
    });
    note.addEventListener("click", () => {
      window.focus();
      window.location.href = job.href;
      note.close();
    });
  }

  function update() {
    const jobs = myJobs();
    const running = [...jobs.values()].filter((job) => RUNNING.has(job.state));
    const finished = [];
    for (const [id, job] of jobs) {
      if (RUNNING.has(seen.get(id)) && !RUNNING.has(job.state)) finished.push(job);
      seen.set(id, job.state);
    }
    if (running.length) {
      clearTimeout(restoreTimer);
      const total = running.reduce((sum, job) => sum + Number(job.progress || 0), 0);
      const progress = Math.round(total / running.length);
      const count = running.length > 1 ? `${running.length} jobs ` : "";
      document.title = `${count}${progress}% · ${plainTitle}`;
      progressIcon(progress / 100);
    } else if (finished.length) {
      const failed = finished.find((job) => job.state !== "completed");
      document.title = `${failed ? "✗" : "✓"} ${WORDS[(failed || finished[0]).state]} · ${plainTitle}`;
      doneIcon(!failed);
      restoreTimer = setTimeout(restoreWhenSeen, 10000);
    }
    finished.forEach(notify);
    const asking = running.length && "Notification" in window && Notification.permission === "default";
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
