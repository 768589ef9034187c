// The compare page: two videos on one clock, side by side or one wiped over the other.
// The longer video leads; the other follows its time, and holds its last frame once it ends.
// On the position slider an arrow key steps one frame of the left video (data-fps, its file's
// rate), Shift and an arrow one second, Home and End to the start and the end.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("compare");
  const boxA = $("box-a");
  const boxB = $("box-b");
  if (!root) return;
  // Each box in its video's shape (width over height): side by side they share one height.
  // Set here, as the page's policy refuses style attributes.
  const ratios = [boxA, boxB].map((box) => Number(box.dataset.ratio));
  boxA.style.setProperty("--ratio", String(ratios[0]));
  boxB.style.setProperty("--ratio", String(ratios[1]));
  root.style.setProperty("--ratio-a", String(ratios[0]));
  root.style.setProperty("--ratios", String(ratios[0] + ratios[1]));

  const a = $("video-a");
  const b = $("video-b");
  if (!a || !b) return; // one side has nothing to play: the page shows why
  const videos = [a, b];
  const controls = $("compare-controls");
  const playButton = $("compare-play");
  const scrub = $("compare-scrub");
  const clock = $("compare-time");
  const loop = $("compare-loop");
  const wipe = $("compare-wipe");
  const divider = $("wipe-divider");
  const stage = $("compare-stage");
  const frame = 1 / Number(root.dataset.fps);
  let playing = false;
  let split = 50;

  const known = (v) => (Number.isFinite(v.duration) ? v.duration : 0);
  const length = () => Math.max(known(a), known(b));
  const leader = () => (known(b) > known(a) ? b : a);
  const now = () => leader().currentTime;
  const quiet = () => {}; // a play() cut short by a pause is not an error

  function show(t) {
    scrub.value = String(t);
    clock.textContent = `${t.toFixed(2)} s`;
    scrub.setAttribute("aria-valuetext", clock.textContent);
  }

  function seekAll(t) {
    const at = Math.min(Math.max(t, 0), length());
    for (const v of videos) v.currentTime = Math.min(at, known(v));
    show(at);
  }

  function follow() {
    if (!playing) return;
    const lead = leader();
    const t = lead.currentTime;
    for (const v of videos) {
      if (v === lead) continue;
      if (t >= known(v)) {
        if (!v.paused) v.pause();
      } else if (v.paused) {
        v.currentTime = t;
        v.play().catch(quiet);
      } else {
        const drift = v.currentTime - t;
        if (Math.abs(drift) > 0.25) v.currentTime = t;
        // Small drift is taken back by speed, not by seeking, so playback stays smooth.
        v.playbackRate = Math.min(1.5, Math.max(0.5, 1 - drift * 4));
      }
    }
    show(t);
    requestAnimationFrame(follow);
  }

  function start() {
    if (now() >= length() - frame / 2) seekAll(0);
    playing = true;
    const t = now();
    for (const v of videos) if (t < known(v)) v.play().catch(quiet);
    playButton.textContent = "Pause";
    requestAnimationFrame(follow);
  }

  function stop() {
    playing = false;
    for (const v of videos) {
      v.pause();
      v.playbackRate = 1;
    }
    seekAll(now()); // both show the same instant
    playButton.textContent = "Play";
  }

  function seekTo(t) {
    if (playing) stop();
    seekAll(t);
  }

  const STEPS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
  const SECONDS = { PageDown: -1, PageUp: 1 };
  scrub.addEventListener("keydown", (event) => {
    let to = null;
    if (event.key in STEPS) to = now() + STEPS[event.key] * (event.shiftKey ? 1 : frame);
    else if (event.key in SECONDS) to = now() + SECONDS[event.key];
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = length();
    if (to === null || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault(); // the slider's own step is a thousandth of a second
    seekTo(to);
  });

  function place(percent) {
    split = Math.min(100, Math.max(0, percent));
    boxB.style.clipPath = `inset(0 0 0 ${split}%)`;
    divider.style.left = `${split}%`;
    divider.setAttribute("aria-valuenow", String(Math.round(split)));
    divider.setAttribute("aria-valuetext", `${Math.round(split)}% of A shows`);
  }

  function setMode() {
    root.dataset.mode = wipe.checked ? "wipe" : "side";
    divider.hidden = !wipe.checked;
    if (wipe.checked) place(split);
    else boxB.style.clipPath = "";
  }

  const KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -10, PageUp: 10 };
  divider.addEventListener("keydown", (event) => {
    let to = null;
    if (event.key in KEYS) to = split + KEYS[event.key] * (event.shiftKey ? 10 : 1);
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = 100;
    if (to === null) return;
    event.preventDefault();
    place(to);
  });

  function dragTo(event) {
    const box = stage.getBoundingClientRect();
    place(((event.clientX - box.left) / box.width) * 100);
  }
  stage.addEventListener("pointerdown", (event) => {
    if (!wipe.checked) return;
    stage.setPointerCapture(event.pointerId);
    dragTo(event);
    divider.focus();
  });
  stage.addEventListener("pointermove", (event) => {
    if (stage.hasPointerCapture(event.pointerId)) dragTo(event);
  });

  playButton.addEventListener("click", () => (playing ? stop() : start()));
  $("compare-back").addEventListener("click", () => seekTo(now() - frame));
  $("compare-forward").addEventListener("click", () => seekTo(now() + frame));
  scrub.addEventListener("input", () => seekTo(Number(scrub.value)));
  wipe.addEventListener("change", setMode);
  for (const v of videos) {
    v.controls = false; // one set of controls plays both
    v.addEventListener("ended", () => {
      if (v !== leader() || !playing) return;
      if (loop.checked) {
        seekAll(0);
        start();
      } else {
        stop();
      }
    });
    v.addEventListener("loadedmetadata", ready);
  }

  function ready() {
    if (!videos.every((v) => v.readyState >= 1)) return;
    scrub.max = String(length());
    for (const control of controls.querySelectorAll("button, input")) control.disabled = false;
  }

  controls.hidden = false;
  ready();
  setMode();
})();
