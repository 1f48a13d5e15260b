/* Live processing status of answer videos, for the admin and the staff page alike: every element
   with data-status-url and data-busy polls the small status endpoint, updates its progress, state
   label and percentage ([data-role=progress|state|percent]), and reloads the page once the video
   leaves the busy states (ready: preview and publish; failed: reason and retry). Which states are
   busy is the server's answer (media_pipeline/workflow.py), never a list written here. */
(function () {
  "use strict";
  function poll(box) {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var progress = box.querySelector("[data-role=progress]");
        var percent = box.querySelector("[data-role=percent]");
        var state = box.querySelector("[data-role=state]");
        if (progress) { progress.value = data.progress; progress.textContent = Math.floor(data.progress) + " %"; }
        if (percent) percent.textContent = Math.floor(data.progress);
        if (state) state.textContent = data.state_label;
        if (data.busy) {
          box.dataset.state = data.state;
          window.setTimeout(function () { poll(box); }, 2000);
        } else if (data.state !== box.dataset.state) {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  function start() {
    document.querySelectorAll("[data-status-url][data-busy]").forEach(poll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
