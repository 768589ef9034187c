// The forms with a prompt and a recipe preview beside it (the remix, Extend and New video
// forms). While the preview says nothing in the prompt can be followed (data-refused), the
// form's button is off and says why beside it; the next preview that follows something turns
// it on again. A prompt box that opens focused has the cursor after its text. "Use as source"
// on its own video's page opens the remix form where it is, without loading the page again.
// Without JavaScript the button stays on and the server refuses the prompt in words.
(function () {
  "use strict";

  function follow(preview) {
    const form = preview.closest("form");
    const reason = form && form.querySelector("[data-submit-reason]");
    const button = form && form.querySelector("button[type=submit]");
    if (!reason || !button) return;
    const refused = preview.hasAttribute("data-refused");
    button.disabled = refused;
    reason.hidden = !refused;
    if (refused) button.setAttribute("aria-describedby", reason.id);
    else button.removeAttribute("aria-describedby");
  }

  function ready(box) {
    box.setSelectionRange(box.value.length, box.value.length);
    if (document.activeElement !== box) box.focus({ preventScroll: true });
  }

  function settle(root) {
    const previews = [...root.querySelectorAll(".recipe-preview")];
    if (root.matches(".recipe-preview")) previews.push(root);
    previews.forEach(follow);
    const opened = root.querySelector("textarea[autofocus]");
    if (opened) ready(opened);
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-use-as-source]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const section = document.getElementById("remix");
    const box = section && section.querySelector("textarea[name=prompt]");
    if (!box || new URL(link.href).pathname !== window.location.pathname) return;
    event.preventDefault();
    section.scrollIntoView({ block: "start" });
    ready(box);
  });

  if (window.htmx) window.htmx.onLoad(settle);
  else document.addEventListener("DOMContentLoaded", () => settle(document.body));
})();
