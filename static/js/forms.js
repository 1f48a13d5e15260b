/* Hors les Murs: forms on pages shared by every visitor (cached) carry no per-visitor value.
   When a visitor starts filling in such a form, this asks the portal for this browser's CSRF
   token (the cookie comes with the answer), the signed start time and a one-time submission
   token, and puts them in the form before it is sent. Without JavaScript the portal answers
   the first sending with a page that sends the same data again with a token. */
(function () {
  "use strict";

  var url = document.body.getAttribute("data-hlm-form-tokens");
  var pending = null;

  function fetchTokens() {
    if (!pending) {
      pending = window.fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        cache: "no-store"
      }).then(function (response) {
        if (!response.ok) throw new Error("form tokens: " + response.status);
        return response.json();
      });
      pending.catch(function () { pending = null; });
    }
    return pending;
  }

  function tokenInput(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]");
  }

  function fill(form, tokens) {
    var input = tokenInput(form);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.appendChild(input);
    }
    input.value = tokens.csrf;
    ["form_started", "submission_token"].forEach(function (name) {
      var field = form.querySelector("input[name=" + name + "]");
      if (field && !field.value) field.value = tokens[name];
    });
  }

  function setUp(form) {
    var input = tokenInput(form);
    if (input && input.value) return; /* a page rendered for this visitor */
    var ready = false;
    function prepare() {
      return fetchTokens().then(function (tokens) {
        fill(form, tokens);
        ready = true;
      });
    }
    form.addEventListener("focusin", function () { prepare().catch(function () {}); }, { once: true });
    /* Capture: runs before the other submit handlers (portal.js's send-once guard). */
    form.addEventListener("submit", function (event) {
      if (ready) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      prepare().then(
        function () { if (form.requestSubmit) form.requestSubmit(submitter); else form.submit(); },
        function () { form.submit(); } /* the portal then asks to send again */
      );
    }, true);
  }

  function init() {
    var forms = document.querySelectorAll("form[method=post], form[method=POST]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
