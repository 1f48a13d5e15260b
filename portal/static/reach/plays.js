/* Reach of the answers without cookies: tells the server when a play starts and when it reaches
   the end (once each per page view). Sends no cookie and nothing about the viewer. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var beacon = script.getAttribute("data-beacon");
  var question = script.getAttribute("data-question");
  var language = document.documentElement.getAttribute("lang") || "";

  function send(event) {
    var body = new URLSearchParams({ question: question, event: event, lang: language });
    window.fetch(beacon, {
      method: "POST",
      body: body,
      credentials: "omit",
      keepalive: true,
      mode: "same-origin",
    }).catch(function () {});
  }

  function watch(video) {
    var started = false;
    var ended = false;
    video.addEventListener("playing", function () {
      if (!started) {
        started = true;
        send("start");
      }
    });
    video.addEventListener("ended", function () {
      if (!ended) {
        ended = true;
        send("end");
      }
    });
  }

  document.querySelectorAll("video[data-hlm-player]").forEach(watch);
})();
