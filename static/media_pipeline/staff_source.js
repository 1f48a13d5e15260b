/* The staff players (caption editor, recording timeline): the adaptive stream through hls.js,
   which seeks anywhere whatever the storage answers to Range requests, the MP4 otherwise or when
   hls.js gives up. Loaded (deferred) before the page's own script. */
(function () {
  "use strict";
  window.hlmAttachSource = function (video) {
    var useMp4 = function () { video.src = video.dataset.mp4Src; };
    if (video.dataset.hlsSrc && window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ capLevelToPlayerSize: true });
      hls.on(window.Hls.Events.ERROR, function (event, details) {
        if (details.fatal) { hls.destroy(); useMp4(); }
      });
      hls.loadSource(video.dataset.hlsSrc);
      hls.attachMedia(video);
    } else {
      useMp4();
    }
  };
})();
