/* Hors les Murs: small progressive enhancements. Everything works without JavaScript.
   Loaded with `defer` from base.html (no inline script: the CSP forbids it). */
(function () {
  "use strict";

  /* Live character count under fields marked data-hlm-count (the counter is rendered by the
     crispy_dsfr template pack with a translated template "{count} … {max}"). Screen readers
     hear it (aria-live="polite") only after typing pauses. */
  function setUpCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-hlm-counter-for"));
    if (!field) return;
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var template = counter.getAttribute("data-template") || "{count} / {max}";
    var timer = null;
    function update() {
      var count = field.value.length;
      counter.textContent = template.replace("{count}", count).replace("{max}", max);
      counter.classList.toggle("hlm-counter--over", count >= max);
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 300);
    });
    if (field.value) update();
  }

  /* A form marked data-hlm-once cannot be sent twice by a double click; the server is
     idempotent anyway (one-time token), this only spares a useless request. */
  function setUpSubmitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-hlm-sending") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-hlm-sending", "true");
      var buttons = form.querySelectorAll("button[type=submit]");
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-disabled", "true");
      /* Allow a retry if the page is still here after a while (network error). */
      window.setTimeout(function () {
        form.removeAttribute("data-hlm-sending");
        for (var j = 0; j < buttons.length; j++) buttons[j].removeAttribute("aria-disabled");
      }, 8000);
    });
  }

  function init() {
    var counters = document.querySelectorAll("[data-hlm-counter-for]");
    for (var i = 0; i < counters.length; i++) setUpCounter(counters[i]);
    var forms = document.querySelectorAll("form[data-hlm-once]");
    for (var j = 0; j < forms.length; j++) setUpSubmitOnce(forms[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
