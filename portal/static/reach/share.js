// "Copy the link" buttons: copy to the clipboard and say so. Without this script the button is a
// plain link to the page (its address can be copied from the browser's menu).
(function () {
  "use strict";
  if (window.hlmShareReady) {
    return; // the partial may appear twice on a page; one listener serves both
  }
  window.hlmShareReady = true;

  function announce(button, message) {
    // The status line follows the share block it belongs to.
    var share = button.closest(".hlm-share");
    var status = share && share.nextElementSibling;
    if (!status || !status.hasAttribute("data-hlm-copy-status")) {
      status = null;
    }
    if (status) {
      status.textContent = "";
      // A fresh text node makes screen readers announce the message again on each copy.
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function copy(event) {
    var button = event.target.closest("[data-hlm-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    event.preventDefault();
    navigator.clipboard.writeText(button.getAttribute("data-hlm-copy")).then(
      function () { announce(button, button.getAttribute("data-hlm-copied")); },
      function () { announce(button, button.getAttribute("data-hlm-copy")); }
    );
  }

  document.addEventListener("click", copy);
})();
