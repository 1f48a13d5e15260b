/* Answer player: hls.js when the browser supports Media Source Extensions, native HLS next,
   the progressive MP4 last. Chromium answers "maybe" to canPlayType(HLS), so hls.js comes first.
   A start time in the address (`#t=134`, `#t=2:14` or `?t=134`, as search results link) loads the
   first player at that moment and scrolls it into view. A question answered on stage plays the
   event's recording from its own moment (`data-start`) unless the address names another. */
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
      var hls = null;
      // Attaches once: at `start`, or on the first play, or when a link asks for a moment.
      var attach = function (at) {
        video.removeEventListener("play", onPlay);
        if (hls) return false;
        hls = new window.Hls({ capLevelToPlayerSize: true, startPosition: at || -1 });
        hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
          if (at) seekWhenReady(video, at);
          if (!at || !video.paused) video.play().catch(function () {});
        });
        hls.on(window.Hls.Events.ERROR, function (event, data) {
          if (data.fatal) {
            hls.destroy();
            useMp4(video);
            if (at) seekWhenReady(video, at);
            video.play().catch(function () {});
          }
        });
        hls.loadSource(hlsSrc);
        hls.attachMedia(video);
        return true;
      };
      var onPlay = function () { attach(0); };
      video.hlmAttach = attach;
      if (start) attach(start); else video.addEventListener("play", onPlay);
    } else if (hlsSrc && video.canPlayType(HLS_TYPE)) {
      video.src = hlsSrc;
      video.dataset.playback = "native-hls";
      if (start) seekWhenReady(video, start);
    } else {
      useMp4(video);
      if (start) seekWhenReady(video, start);
    }
  }

  function ownStart(video) {
    return Number(video.dataset.start) || 0;
  }

  function setUpAll() {
    var start = startTime();
    document.querySelectorAll("video[data-hlm-player]").forEach(function (video, index) {
      var asked = index === 0 && start;
      var first = asked ? start : ownStart(video);
      // Seeking needs the metadata: a player that starts at a moment loads them at once.
      if (first) video.preload = asked ? "auto" : "metadata";
      setUp(video, first);
      if (asked) video.scrollIntoView({ block: "center" });
    });
  }

  function seekFirst(seconds) {
    var video = document.querySelector("video[data-hlm-player]");
    if (!seconds || !video) return;
    // A player that has loaded nothing yet (preload="none") loads from that moment.
    video.preload = "auto";
    if (!(video.hlmAttach && video.hlmAttach(seconds))) seekWhenReady(video, seconds);
    video.scrollIntoView({ block: "center" });
  }

  // "Watch from 12:34" when the address already says #t=754: no hashchange, seek anyway.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#t="]');
    if (link && link.getAttribute("href") === location.hash) seekFirst(startTime());
  });

  // A link to another moment of the same page (#t=…) moves the player there.
  window.addEventListener("hashchange", function () {
    seekFirst(startTime());
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
