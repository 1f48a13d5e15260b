/* An event recording's timeline (staff): each chapter's start and end can be set from the
   player's playhead with a button, nudged with the arrow keys (which also show that moment in
   the player), or typed. The times are posted with the form; the server checks them again
   (media_pipeline.services.recordings.set_chapter_times). The bar under the player shows the
   chapters and the playhead; the chapter playing is highlighted in the list. */
(function () {
  "use strict";
  var form = document.getElementById("chapters-form");
  var video = document.getElementById("recording-player");
  if (!video) return;
  attachSource();
  if (!form) return;  // no chapter yet: the player alone
  var duration = parseFloat(form.dataset.duration) || 0;
  var playhead = document.getElementById("recording-playhead");
  var bar = document.getElementById("recording-bar");
  var head = bar ? bar.querySelector("[data-role=head]") : null;
  var CLOCK = /^(?:(\d{1,2}):)??(?:(\d{1,3}):)?(\d{1,5}(?:[.,]\d{1,3})?)$/;
  var STEPS = { ArrowUp: 1, ArrowDown: -1, PageUp: 10, PageDown: -10 };

  function attachSource() { window.hlmAttachSource(video); }  // staff_source.js

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  /* 75.25 → "1:15.3" (hours when needed): what the server's clock_tenths writes. */
  function format(seconds) {
    var tenths = Math.round(Math.max(seconds, 0) * 10);
    var hours = Math.floor(tenths / 36000);
    var minutes = Math.floor((tenths % 36000) / 600);
    var rest = tenths % 600;
    var text = pad(Math.floor(rest / 10)) + "." + (rest % 10);
    return hours ? hours + ":" + pad(minutes) + ":" + text : minutes + ":" + text;
  }

  function parse(text) {
    var match = CLOCK.exec(text.trim());
    if (!match) return NaN;
    return Number(match[1] || 0) * 3600 + Number(match[2] || 0) * 60 + Number(match[3].replace(",", "."));
  }

  function clamp(seconds) { return Math.min(Math.max(seconds, 0), duration || seconds); }

  function chapters() {
    return Array.prototype.map.call(form.querySelectorAll("[data-chapter]"), function (item) {
      return {
        item: item,
        start: item.querySelector("input[data-edge=start]"),
        end: item.querySelector("input[data-edge=end]"),
        error: item.querySelector("[data-role=error]")
      };
    });
  }

  /* Marks a chapter whose times cannot be saved, says why next to it. */
  function check(chapter) {
    var start = parse(chapter.start.value);
    var end = parse(chapter.end.value);
    var message = "";
    if (isNaN(start) || isNaN(end)) message = form.dataset.msgFormat;
    else if (!(start >= 0 && start < end && (!duration || end <= duration + 0.05))) message = form.dataset.msgOrder;
    [chapter.start, chapter.end].forEach(function (input) {
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", input.getAttribute("aria-describedby").replace(/ ?chapter-\d+-error/, "") + " " + chapter.error.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", input.getAttribute("aria-describedby").replace(/ ?chapter-\d+-error/, ""));
      }
    });
    chapter.error.textContent = message;
    chapter.error.hidden = !message;
    return !message;
  }

  function percent(seconds) { return duration ? (100 * Math.min(seconds, duration)) / duration : 0; }

  function drawBar() {
    if (!bar) return;
    bar.querySelectorAll(".hlm-timeline__segment").forEach(function (segment) { segment.remove(); });
    chapters().forEach(function (chapter) {
      var start = parse(chapter.start.value);
      var end = parse(chapter.end.value);
      if (isNaN(start) || isNaN(end) || end <= start) return;
      var segment = document.createElement("span");
      segment.className = "hlm-timeline__segment";
      segment.dataset.chapter = chapter.item.dataset.chapter;
      segment.style.left = percent(start) + "%";
      segment.style.width = Math.max(percent(end) - percent(start), 0.5) + "%";
      bar.appendChild(segment);
    });
  }

  function showPlayhead() {
    var now = video.currentTime || 0;
    if (playhead) playhead.textContent = format(now);
    if (head) head.style.left = percent(now) + "%";
    chapters().forEach(function (chapter) {
      var active = now >= parse(chapter.start.value) && now < parse(chapter.end.value);
      chapter.item.toggleAttribute("data-active", active);
      var segment = bar && bar.querySelector('[data-chapter="' + chapter.item.dataset.chapter + '"]');
      if (segment) segment.toggleAttribute("data-active", active);
    });
  }

  function changed(input) {
    var chapter = chapters().filter(function (c) { return c.item.contains(input); })[0];
    if (chapter) check(chapter);
    drawBar();
    showPlayhead();
  }

  function seek(seconds) {
    if (!isNaN(seconds)) video.currentTime = clamp(seconds);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    var item = button.closest("[data-chapter]");
    if (button.dataset.action === "set") {
      var input = item.querySelector("input[data-edge=" + button.dataset.edge + "]");
      input.value = format(video.currentTime || 0);
      changed(input);
    } else if (button.dataset.action === "play") {
      seek(parse(item.querySelector("input[data-edge=start]").value));
      video.play().catch(function () {});
    }
  });

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-edge]")) return;
    var step = STEPS[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
    var seconds = parse(input.value);
    if (isNaN(seconds)) return;
    event.preventDefault();
    if (event.shiftKey && Math.abs(step) === 1) step /= 10;
    input.value = format(clamp(seconds + step));
    seek(parse(input.value));  // the moment the time now points at, in the player
    changed(input);
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[data-edge]")) changed(event.target);
  });

  form.addEventListener("submit", function (event) {
    var valid = chapters().map(check).every(Boolean);
    if (!valid) {
      event.preventDefault();
      var first = form.querySelector("[aria-invalid=true]");
      if (first) first.focus();
    }
  });

  video.addEventListener("timeupdate", showPlayhead);
  video.addEventListener("seeked", showPlayhead);
  video.addEventListener("loadedmetadata", function () {
    if (!duration && isFinite(video.duration)) { duration = video.duration; drawBar(); }
  });
  drawBar();
  showPlayhead();
})();
