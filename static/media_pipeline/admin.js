/* Admin: live progress of videos being processed (list and change pages). */
(function () {
  "use strict";
  function poll(box) {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelector("[data-role=progress]").value = data.progress;
        box.querySelector("[data-role=percent]").textContent = Math.floor(data.progress);
        box.querySelector("[data-role=state]").textContent = data.state_label;
        if (data.busy) {
          window.setTimeout(function () { poll(box); }, 2000);
        } else if (data.state !== box.dataset.state) {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  function start() {
    document.querySelectorAll(".hlm-admin-progress[data-status-url]").forEach(function (box) {
      if (box.dataset.state === "uploaded" || box.dataset.state === "processing") poll(box);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
