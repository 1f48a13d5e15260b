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
      // Nothing loads before the first play: no spinner over the poster, no wasted bytes.
      video.querySelectorAll("source").forEach(function (source) { source.remove(); });
      video.removeAttribute("src");
      video.load();
      video.dataset.playback = "hls.js";
      video.addEventListener("play", function attach() {
        video.removeEventListener("play", attach);
        var hls = new window.Hls({ capLevelToPlayerSize: true });
        hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
          video.play().catch(function () {});
        });
        hls.on(window.Hls.Events.ERROR, function (event, data) {
          if (data.fatal) {
            hls.destroy();
            useMp4(video);
            video.play().catch(function () {});
          }
        });
        hls.loadSource(hlsSrc);
        hls.attachMedia(video);
      });
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
