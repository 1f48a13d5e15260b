/* Caption editor (staff): the video plays beside its cues; each cue's text, start and end are
   edited in place (times set from the playhead, nudged with the arrow keys), cues are split,
   merged, added and deleted; line length and reading speed are checked as you type. Import reads
   a .vtt/.srt file on the server (webvtt-py); export writes WebVTT or SRT from the cues on screen.
   Every change is kept in localStorage, so nothing is lost when the session expires: the page
   offers it back after the next login. Texts come translated from the page (data-* attributes). */
(function () {
  "use strict";

  var root = document.getElementById("caption-editor");
  var dataNode = document.getElementById("caption-editor-data");
  if (!root || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var msg = document.getElementById("caption-editor-messages").dataset;
  var video = document.getElementById("editor-video");
  var list = document.getElementById("cue-list");
  var template = document.getElementById("cue-template");
  var statusLine = document.getElementById("editor-status");
  var reviewed = document.getElementById("editor-reviewed");
  var storageKey = "hlm-captions:" + data.videoId + ":" + data.language;
  var NUDGE = 0.1;
  var MIN_CUE = 0.5;

  var cues = copyCues(data.stored.cues);
  var version = data.stored.version;
  var current = 0; // the cue the keyboard shortcuts act on
  var track = null;

  function attachSource() { window.hlmAttachSource(video); }  // staff_source.js

  // --- Small helpers ------------------------------------------------------------------------

  function copyCues(source) {
    return source.map(function (cue) { return { start: cue.start, end: cue.end, text: cue.text }; });
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function round(seconds) { return Math.max(0, Math.round(seconds * 1000) / 1000); }

  function pad(number, width) { return String(number).padStart(width, "0"); }

  /* 01:02.500 on screen (hours only when there are some); 00:01:02.500 in files (`,` for SRT). */
  function clock(seconds, separator, withHours) {
    var millis = Math.max(0, Math.round(seconds * 1000));
    var hours = Math.floor(millis / 3600000);
    var text = pad(Math.floor(millis / 60000) % 60, 2) + ":" + pad(Math.floor(millis / 1000) % 60, 2) +
      (separator || ".") + pad(millis % 1000, 3);
    return hours || withHours ? pad(hours, 2) + ":" + text : text;
  }

  /* "75.5", "1:15.5", "01:15,500", "0:01:15.500" → seconds; NaN when unreadable. */
  function parseClock(text) {
    var match = /^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:[.,]\d+)?)\s*$/.exec(text);
    if (!match) return NaN;
    var parts = [match[1], match[2]].filter(function (part) { return part !== undefined; });
    var seconds = Number(match[3].replace(",", "."));
    var minutes = parts.length ? Number(parts[parts.length - 1]) : 0;
    var hours = parts.length > 1 ? Number(parts[0]) : 0;
    return hours * 3600 + minutes * 60 + seconds;
  }

  function say(text) { statusLine.textContent = text; }

  function sortCues() {
    var chosen = cues[current];
    cues.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    current = Math.max(0, cues.indexOf(chosen));
  }

  // --- Checks (what subtitling guides ask: 2 lines of 42 characters, ~17 characters/s) ------

  function problems(cue, index) {
    var found = [];
    var errors = false;
    if (!(cue.end > cue.start)) { found.push(msg.endsBeforeStart); errors = true; }
    if (!cue.text.trim()) { found.push(msg.emptyText); errors = true; }
    var lines = cue.text.split("\n");
    if (lines.length > 2) found.push(msg.tooManyLines);
    lines.forEach(function (line, number) {
      if (line.length > data.maxLineChars) {
        found.push(format(msg.lineTooLong, { line: number + 1, count: line.length, max: data.maxLineChars }));
      }
    });
    var duration = cue.end - cue.start;
    var chars = cue.text.replace(/\s*\n\s*/g, " ").trim().length;
    if (duration > 0 && chars / duration > data.maxCharsPerSecond) {
      found.push(format(msg.tooFast, { cps: (chars / duration).toFixed(1), max: data.maxCharsPerSecond }));
    }
    var next = cues[index + 1];
    if (next && next.start < cue.end) found.push(msg.overlaps);
    return { messages: found, errors: errors };
  }

  // --- Rendering ----------------------------------------------------------------------------

  function rowOf(index) { return list.children[index]; }

  function fillRow(row, cue, index) {
    row.dataset.index = index;
    row.querySelector("[data-role=number]").textContent = index + 1;
    row.querySelector("[data-role=span]").textContent = clock(cue.start) + " → " + clock(cue.end);
    ["start", "end"].forEach(function (role) {
      var input = row.querySelector("[data-role=" + role + "]");
      if (document.activeElement !== input || !input.dataset.editing) input.value = clock(cue[role]);
    });
    var text = row.querySelector("[data-role=text]");
    if (text.value !== cue.text) text.value = cue.text;
    showProblems(row, cue, index);
  }

  function showProblems(row, cue, index) {
    var found = problems(cue, index);
    var box = row.querySelector("[data-role=warnings]");
    box.replaceChildren.apply(box, found.messages.map(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    row.classList.toggle("hlm-cue--warning", found.messages.length > 0);
    row.classList.toggle("hlm-cue--error", found.errors);
    row.querySelector("[data-role=text]").setAttribute("aria-invalid", found.errors ? "true" : "false");
  }

  function render(focusIndex, focusRole) {
    sortCues();
    var rows = cues.map(function (cue, index) {
      var row = template.content.firstElementChild.cloneNode(true);
      var base = "cue-" + index + "-";
      ["start", "end", "text"].forEach(function (role) {
        var field = row.querySelector("[data-role=" + role + "]");
        field.id = base + role;
        row.querySelector("label[data-for=" + role + "]").htmlFor = field.id;
      });
      row.querySelector("[data-role=text]").lang = data.language;
      row.querySelector("[data-role=warnings]").id = base + "warnings";
      row.querySelector("[data-role=text]").setAttribute("aria-describedby", base + "warnings");
      row.querySelector("[data-action=merge]").disabled = index === cues.length - 1;
      fillRow(row, cue, index);
      return row;
    });
    list.replaceChildren.apply(list, rows);
    document.getElementById("editor-empty").hidden = cues.length > 0;
    document.getElementById("editor-copy").hidden = cues.length > 0 || !data.copyFrom.length;
    refreshRows();
    updateTrack();
    if (focusIndex !== undefined && rowOf(focusIndex)) {
      rowOf(focusIndex).querySelector("[data-role=" + (focusRole || "text") + "]").focus();
    }
  }

  function refreshRows() {
    cues.forEach(function (cue, index) { if (rowOf(index)) fillRow(rowOf(index), cue, index); });
    markPlaying();
  }

  /* The captions on the video follow the cues on screen (a text track of the page's own). */
  function updateTrack() {
    if (!track) {
      track = video.addTextTrack("captions", "", data.language);
      track.mode = "showing";
    }
    Array.prototype.slice.call(track.cues || []).forEach(function (cue) { track.removeCue(cue); });
    cues.forEach(function (cue) {
      if (cue.end > cue.start) track.addCue(new VTTCue(cue.start, cue.end, cue.text));
    });
  }

  function markPlaying() {
    var time = video.currentTime;
    document.getElementById("editor-playhead").textContent = clock(time);
    cues.forEach(function (cue, index) {
      var row = rowOf(index);
      if (row) row.classList.toggle("hlm-cue--playing", time >= cue.start && time < cue.end);
    });
  }

  // --- Changes: every one is kept in this browser until saved -------------------------------

  function changed(index) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        cues: cues, reviewed: reviewed.checked, version: version, at: Date.now(),
      }));
    } catch (error) { /* private mode or full: the page still works */ }
    say(msg.unsaved);
    if (index === undefined) refreshRows(); else {
      fillRow(rowOf(index), cues[index], index);
      if (rowOf(index - 1)) fillRow(rowOf(index - 1), cues[index - 1], index - 1);
    }
    updateTrack();
  }

  function setTime(index, role, seconds) {
    var cue = cues[index];
    if (!cue || isNaN(seconds)) return;
    cue[role] = round(seconds);
    if (role === "start" && cue.end <= cue.start) cue.end = round(cue.start + MIN_CUE);
    changed(index);
  }

  function playhead() { return round(video.currentTime || 0); }

  function addCue() {
    var start = playhead();
    var next = cues.filter(function (cue) { return cue.start > start; })[0];
    var end = next ? Math.min(start + 2, next.start - 0.04) : start + 2;
    cues.push({ start: start, end: round(Math.max(end, start + MIN_CUE)), text: "" });
    current = cues.length - 1;
    sortCues();
    render(current, "text");
    changed();
    say(msg.added);
  }

  function splitCue(index) {
    var cue = cues[index];
    var at = playhead();
    if (!(at > cue.start && at < cue.end)) { say(msg.splitOutside); return; }
    var words = cue.text.split(/\s+/).filter(Boolean);
    var cut = Math.round(words.length * (at - cue.start) / (cue.end - cue.start));
    var second = { start: at, end: cue.end, text: words.slice(cut).join(" ") };
    cue.end = round(at - 0.001);
    cue.text = words.slice(0, cut).join(" ");
    cues.splice(index + 1, 0, second);
    current = index + 1;
    render(current, "text");
    changed();
  }

  function mergeCue(index) {
    var cue = cues[index];
    var next = cues[index + 1];
    if (!next) return;
    cue.end = Math.max(cue.end, next.end);
    cue.text = (cue.text.trim() + " " + next.text.trim()).trim();
    cues.splice(index + 1, 1);
    current = index;
    render(index, "text");
    changed();
  }

  function deleteCue(index) {
    cues.splice(index, 1);
    current = Math.min(index, cues.length - 1);
    render(current >= 0 ? current : undefined, "text");
    if (current < 0) document.getElementById("editor-add").focus();
    changed();
    say(msg.deleted);
  }

  // --- Saving -------------------------------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function forgetLocal() {
    try { localStorage.removeItem(storageKey); } catch (error) { /* nothing kept */ }
  }

  function sessionExpired() {
    statusLine.replaceChildren(document.createTextNode(msg.sessionExpired + " "));
    var link = document.createElement("a");
    link.href = data.loginUrl;
    link.textContent = msg.login;
    statusLine.appendChild(link);
  }

  function save() {
    if (cues.some(function (cue, index) { return problems(cue, index).errors; })) {
      say(msg.fixFirst);
      var bad = list.querySelector(".hlm-cue--error [data-role=text]");
      if (bad) bad.focus();
      return;
    }
    say(msg.saving);
    fetch(data.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({ cues: cues, reviewed: reviewed.checked }),
    }).then(function (response) {
      if (response.status === 403 || response.status === 401 || response.type === "opaqueredirect") {
        sessionExpired();
        return null;
      }
      return response.json().then(function (body) {
        if (!response.ok) { say(msg.saveFailed + " " + (body.error || response.status)); return; }
        cues = copyCues(body.cues);
        version = body.version;
        reviewed.checked = body.reviewed;
        forgetLocal();
        render();
        say(body.reviewed ? msg.savedReviewed : msg.saved);
      });
    }).catch(function () { say(msg.networkFailed); });
  }

  // --- Import, export, copy -----------------------------------------------------------------

  function download(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function escapeCue(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  function toWebVTT() {
    return "WEBVTT\n\n" + cues.map(function (cue) {
      return clock(cue.start, ".", true) + " --> " + clock(cue.end, ".", true) +
        "\n" + lines(cue.text).map(escapeCue).join("\n");
    }).join("\n\n") + "\n";
  }

  function toSRT() {
    return cues.map(function (cue, index) {
      return (index + 1) + "\n" + clock(cue.start, ",", true) + " --> " + clock(cue.end, ",", true) + "\n" +
        lines(cue.text).join("\n");
    }).join("\n\n") + "\n";
  }

  function importFile(file) {
    var body = new FormData();
    body.append("file", file);
    say(msg.saving);
    fetch(data.importUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }, body: body,
    }).then(function (response) {
      if (response.status === 403 || response.type === "opaqueredirect") { sessionExpired(); return null; }
      return response.json().then(function (result) {
        if (!response.ok) { say(msg.saveFailed + " " + result.error); return; }
        cues = copyCues(result.cues);
        current = 0;
        render();
        changed();
        say(format(msg.imported, { count: cues.length }));
      });
    }).catch(function () { say(msg.networkFailed); });
  }

  // --- Restoring what the last session did not save -----------------------------------------

  function offerRestore() {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { kept = null; }
    if (!kept || !Array.isArray(kept.cues)) return;
    if (JSON.stringify(kept.cues) === JSON.stringify(cues) && kept.reviewed === reviewed.checked) {
      forgetLocal();
      return;
    }
    var banner = document.getElementById("editor-restore");
    if (kept.version !== version) document.getElementById("editor-restore-text").textContent = msg.restoreOlder;
    banner.hidden = false;
    document.getElementById("editor-restore-yes").addEventListener("click", function () {
      cues = copyCues(kept.cues);
      reviewed.checked = Boolean(kept.reviewed);
      banner.hidden = true;
      render(0, "text");
      changed();
    });
    document.getElementById("editor-restore-no").addEventListener("click", function () {
      forgetLocal();
      banner.hidden = true;
      document.getElementById("editor-add").focus();
    });
    document.getElementById("editor-restore-yes").focus();
  }

  // --- Events -------------------------------------------------------------------------------

  function indexOf(element) {
    var row = element.closest(".hlm-cue");
    return row ? Number(row.dataset.index) : -1;
  }

  list.addEventListener("focusin", function (event) {
    var index = indexOf(event.target);
    if (index >= 0) current = index;
  });

  list.addEventListener("input", function (event) {
    var index = indexOf(event.target);
    var role = event.target.dataset.role;
    if (index < 0) return;
    if (role === "text") {
      cues[index].text = event.target.value;
      changed(index);
    } else if (role === "start" || role === "end") {
      event.target.dataset.editing = "1";
      var seconds = parseClock(event.target.value);
      event.target.setAttribute("aria-invalid", isNaN(seconds) ? "true" : "false");
      if (!isNaN(seconds)) { cues[index][role] = round(seconds); changed(index); }
    }
  });

  list.addEventListener("change", function (event) {
    var role = event.target.dataset.role;
    if (role !== "start" && role !== "end") return;
    delete event.target.dataset.editing;
    if (isNaN(parseClock(event.target.value))) { say(msg.badTime); return; }
    var id = event.target.id;
    render();
    var field = document.getElementById(id);
    if (field) field.focus();
  });

  list.addEventListener("keydown", function (event) {
    var role = event.target.dataset.role;
    if ((role === "start" || role === "end") && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      var index = indexOf(event.target);
      var step = (event.shiftKey ? 1 : NUDGE) * (event.key === "ArrowUp" ? 1 : -1);
      setTime(index, role, cues[index][role] + step);
      event.target.value = clock(cues[index][role]);
      video.currentTime = cues[index][role];
    }
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var index = indexOf(button);
    current = index;
    var action = button.dataset.action;
    if (action === "start-here") setTime(index, "start", playhead());
    else if (action === "end-here") setTime(index, "end", playhead());
    else if (action === "play") { video.currentTime = cues[index].start; video.play().catch(function () {}); }
    else if (action === "split") splitCue(index);
    else if (action === "merge") mergeCue(index);
    else if (action === "delete") deleteCue(index);
  });

  document.addEventListener("keydown", function (event) {
    var key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === "s") { event.preventDefault(); save(); return; }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.code === "KeyP") { event.preventDefault(); if (video.paused) video.play().catch(function () {}); else video.pause(); }
    else if (event.code === "KeyN") { event.preventDefault(); addCue(); }
    else if (event.code === "BracketLeft" && cues[current]) { event.preventDefault(); setTime(current, "start", playhead()); }
    else if (event.code === "BracketRight" && cues[current]) { event.preventDefault(); setTime(current, "end", playhead()); }
  });

  reviewed.addEventListener("change", function () { changed(); });
  document.getElementById("editor-save").addEventListener("click", save);
  document.getElementById("editor-add").addEventListener("click", addCue);
  document.getElementById("editor-export-vtt").addEventListener("click", function () {
    download("captions-" + data.language + ".vtt", "text/vtt", toWebVTT());
  });
  document.getElementById("editor-export-srt").addEventListener("click", function () {
    download("captions-" + data.language + ".srt", "application/x-subrip", toSRT());
  });
  document.getElementById("editor-copy").addEventListener("click", function () {
    cues = copyCues(data.copyFrom);
    render(0, "text");
    changed();
    say(msg.copied);
  });
  document.getElementById("editor-import").addEventListener("change", function (event) {
    if (event.target.files.length) importFile(event.target.files[0]);
    event.target.value = "";
  });
  video.addEventListener("timeupdate", markPlaying);
  video.addEventListener("seeked", markPlaying);

  attachSource();
  render();
  offerRestore();
})();
