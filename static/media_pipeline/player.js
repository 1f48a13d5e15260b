/* Answer player: hls.js when the browser supports Media Source Extensions, native HLS next,
   the progressive MP4 last. Chromium answers "maybe" to canPlayType(HLS), so hls.js comes first.
   A start time in the address (`#t=134`, `#t=2:14` or `?t=134`, as search results link) loads the
   first player at that moment and scrolls it into view. */
(function () {
  "use strict";
  var HLS_TYPE = "application/vnd.apple.mpegurl";

  function startTime() {
    var match = /(?:^|[#&?])t=(?:(\d+):)?(\d+(?:\.\d+)?)/.exec(location.hash) ||
      /(?:^|[?&])t=(?:(\d+):)?(\d+(?:\.\d+)?)/.exec(location.search);
    return match ? Number(match[1] || 0) * 60 + Number(match[2]) : 0;
  }

  function seekWhenReady(video, seconds) {
    function seek() {
      video.removeEventListener("loadedmetadata", seek);
      if (seconds < (video.duration || Infinity)) video.currentTime = seconds;
    }
    if (video.readyState >= 1) seek(); else video.addEventListener("loadedmetadata", seek);
  }

  function useMp4(video) {
    if (video.dataset.mp4Src) {
      video.src = video.dataset.mp4Src;
      video.dataset.playback = "mp4";
    }
  }

  function setUp(video, start) {
    if (video.dataset.playback) return;
    var hlsSrc = video.dataset.hlsSrc;
    if (hlsSrc && window.Hls && window.Hls.isSupported()) {
      // Nothing loads before the first play (no spinner over the poster, no wasted bytes),
      // unless the address asks for a moment: then the player waits there.
      video.querySelectorAll("source").forEach(function (source) { source.remove(); });
      video.removeAttribute("src");
      video.load();
      video.dataset.playback = "hls.js";
      var attach = function () {
        video.removeEventListener("play", attach);
        var hls = new window.Hls({ capLevelToPlayerSize: true, startPosition: start || -1 });
        hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
          if (start) seekWhenReady(video, start);
          if (!start || !video.paused) video.play().catch(function () {});
        });
        hls.on(window.Hls.Events.ERROR, function (event, data) {
          if (data.fatal) {
            hls.destroy();
            useMp4(video);
            if (start) seekWhenReady(video, start);
            video.play().catch(function () {});
          }
        });
        hls.loadSource(hlsSrc);
        hls.attachMedia(video);
      };
      if (start) attach(); else video.addEventListener("play", attach);
    } else if (hlsSrc && video.canPlayType(HLS_TYPE)) {
      video.src = hlsSrc;
      video.dataset.playback = "native-hls";
      if (start) seekWhenReady(video, start);
    } else {
      useMp4(video);
      if (start) seekWhenReady(video, start);
    }
  }

  function setUpAll() {
    var start = startTime();
    document.querySelectorAll("video[data-hlm-player]").forEach(function (video, index) {
      setUp(video, index === 0 ? start : 0);
      if (index === 0 && start) {
        video.preload = "auto";
        video.scrollIntoView({ block: "center" });
      }
    });
  }

  // A link to another moment of the same page (#t=…) moves the player there.
  window.addEventListener("hashchange", function () {
    var start = startTime();
    var video = document.querySelector("video[data-hlm-player]");
    if (!start || !video) return;
    seekWhenReady(video, start);
    video.scrollIntoView({ block: "center" });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
