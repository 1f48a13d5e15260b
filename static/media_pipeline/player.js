/* Answer player: hls.js when the browser supports Media Source Extensions, native HLS next,
   the progressive MP4 last. Chromium answers "maybe" to canPlayType(HLS), so hls.js comes first. */
(function () {
  "use strict";
  var HLS_TYPE = "application/vnd.apple.mpegurl";

  function useMp4(video) {
    if (video.dataset.mp4Src) {
      video.src = video.dataset.mp4Src;
      video.dataset.playback = "mp4";
    }
  }

  function setUp(video) {
    if (video.dataset.playback) return;
    var hlsSrc = video.dataset.hlsSrc;
    if (hlsSrc && window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ autoStartLoad: false, capLevelToPlayerSize: true });
      var started = false;
      var start = function () {
        if (!started) { started = true; hls.startLoad(); }
      };
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (data.fatal) {
          hls.destroy();
          useMp4(video);
          if (started) video.play().catch(function () {});
        }
      });
      hls.loadSource(hlsSrc);
      hls.attachMedia(video);
      video.addEventListener("play", start);
      if (video.preload !== "none") start();
      video.dataset.playback = "hls.js";
    } else if (hlsSrc && video.canPlayType(HLS_TYPE)) {
      video.src = hlsSrc;
      video.dataset.playback = "native-hls";
    } else {
      useMp4(video);
    }
  }

  function setUpAll() {
    document.querySelectorAll("video[data-hlm-player]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
