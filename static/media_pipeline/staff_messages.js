/* Staff page: after an action the page comes back at the question it concerned (#question-…);
   the message about it moves from the top of the page into that question, gets the focus and
   is read out, so it appears where the user is looking. */
(function () {
  "use strict";
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (!target || !target.classList.contains("hlm-staff-item")) return;
  var alerts = document.querySelectorAll("#content > .fr-alert");
  if (!alerts.length) return;
  var heading = target.querySelector("h2");
  var anchor = heading ? heading.nextSibling : target.firstChild;
  Array.prototype.forEach.call(alerts, function (alert) {
    alert.classList.add("hlm-staff-message");
    target.insertBefore(alert, anchor);
  });
  alerts[0].setAttribute("tabindex", "-1");
  // Once the page has loaded (the browser's own jump to #question-… done), show and focus it.
  function show() {
    alerts[0].scrollIntoView({ block: "center" });
    alerts[0].focus({ preventScroll: true });
  }
  if (document.readyState === "complete") show();
  else window.addEventListener("load", function () { window.setTimeout(show, 0); });
})();
