/* Staff video page: resumable uploads (tus 1.0: create, HEAD offset, PATCH chunks, each with its
   sha1 in Upload-Checksum so that a piece damaged on the way is refused and sent again); status.js
   shows the processing progress. The upload URL of a file is kept in localStorage, so choosing the
   same file after a page reload resumes where it stopped; a network cut is retried with a growing
   delay. */
(function () {
  "use strict";
  var CHUNK_SIZE = 8 * 1024 * 1024;
  var MAX_DELAY_MS = 30000;
  var root = document.getElementById("hlm-staff");
  if (!root) return;
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = csrfInput ? csrfInput.value : "";

  function msg(name) { return root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || ""; }

  function b64(text) {
    return btoa(unescape(encodeURIComponent(text)));
  }

  function storageKey(owner, file) {
    return ["hlm-upload", owner, file.name, file.size, file.lastModified].join(":");
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  /* "sha1 <base64>" for a piece, or null where the browser cannot hash (no secure context). */
  function checksum(blob) {
    if (!window.crypto || !window.crypto.subtle || !blob.arrayBuffer) return Promise.resolve(null);
    return blob.arrayBuffer()
      .then(function (data) { return window.crypto.subtle.digest("SHA-1", data); })
      .then(function (digest) { return "sha1 " + base64(digest); }, function () { return null; });
  }

  function formatSpeed(bytesPerSecond) {
    if (!isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "";
    var units = ["B/s", "KB/s", "MB/s", "GB/s"];
    var index = 0;
    while (bytesPerSecond >= 1024 && index < units.length - 1) { bytesPerSecond /= 1024; index++; }
    return bytesPerSecond.toFixed(index ? 1 : 0) + " " + units[index];
  }

  /* One request of one upload; `owner.xhr` keeps it, so that pausing an upload aborts its own
     request and never another upload's. */
  function request(owner, method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      owner.xhr = xhr;
      xhr.open(method, url);
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      xhr.setRequestHeader("Tus-Resumable", "1.0.0");
      xhr.setRequestHeader("X-CSRFToken", csrfToken);
      if (onProgress) xhr.upload.onprogress = onProgress;
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.onabort = function () { reject(new Error("abort")); };
      xhr.send(body === undefined ? null : body);
    });
  }

  function Uploader(fieldset) {
    this.fieldset = fieldset;
    // What the video is for: a question (its public id) or an event (its slug: the recording).
    this.ownerKind = fieldset.dataset.event ? "event" : "question";
    this.owner = fieldset.dataset[this.ownerKind];
    this.input = fieldset.querySelector("[data-role=file]");
    this.startButton = fieldset.querySelector("[data-role=start]");
    this.pauseButton = fieldset.querySelector("[data-role=pause]");
    this.resumeButton = fieldset.querySelector("[data-role=resume]");
    this.progress = fieldset.querySelector("[data-role=progress]");
    this.status = fieldset.querySelector("[data-role=status]");
    this.speed = fieldset.querySelector("[data-role=speed]");
    this.paused = false;
    this.running = false;
    this.retryDelay = 1000;
    this.xhr = null;  // this upload's request under way (see request())
    var self = this;
    this.input.addEventListener("change", function () { self.choose(); });
    this.startButton.addEventListener("click", function () { self.start(); });
    this.pauseButton.addEventListener("click", function () { self.pause(); });
    this.resumeButton.addEventListener("click", function () { self.resume(); });
    window.addEventListener("online", function () { if (self.waiting) self.wakeUp(); });
  }

  Uploader.prototype.setStatus = function (text) { this.status.textContent = text; };

  Uploader.prototype.setButtons = function (state) {
    this.startButton.disabled = state !== "idle";
    this.pauseButton.disabled = state !== "running";
    this.resumeButton.disabled = state !== "paused";
    this.fieldset.dataset.uploadState = state;
  };

  Uploader.prototype.showProgress = function (sent) {
    var percent = this.file.size ? (100 * sent) / this.file.size : 0;
    this.progress.value = percent;
    this.progress.textContent = Math.floor(percent) + " %";
    this.progress.setAttribute("aria-valuetext", Math.floor(percent) + " %");
  };

  Uploader.prototype.choose = function () {
    this.file = this.input.files[0];
    if (!this.file) return;
    this.key = storageKey(this.ownerKind === "event" ? "event:" + this.owner : this.owner, this.file);
    this.url = window.localStorage.getItem(this.key);
    this.showProgress(0);
    if (this.url) {
      // Chosen again after a reload: continue without asking.
      this.setStatus(msg("resuming"));
      this.start();
    } else {
      this.setButtons("idle");
      this.setStatus(msg("ready"));
    }
  };

  Uploader.prototype.create = function () {
    var self = this;
    var metadata = [
      this.ownerKind + " " + b64(this.owner),
      "filename " + b64(this.file.name),
      "filetype " + b64(this.file.type || "")
    ].join(",");
    return request(this, "POST", root.dataset.uploadUrl, {
      "Upload-Length": String(this.file.size),
      "Upload-Metadata": metadata
    }).then(function (xhr) {
      if (xhr.status !== 201) throw self.refusal(xhr);
      self.url = xhr.getResponseHeader("Location");
      window.localStorage.setItem(self.key, self.url);
    });
  };

  Uploader.prototype.refusal = function (xhr) {
    var error = new Error(xhr.responseText || String(xhr.status));
    error.refused = true;
    error.status = xhr.status;
    return error;
  };

  Uploader.prototype.offset = function () {
    var self = this;
    return request(this, "HEAD", this.url, {}).then(function (xhr) {
      if (xhr.status === 404 || xhr.status === 410) {
        window.localStorage.removeItem(self.key);
        self.url = null;
        return self.create().then(function () { return 0; });
      }
      if (xhr.status !== 200) throw self.refusal(xhr);
      return parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
    });
  };

  Uploader.prototype.sendFrom = function (offset) {
    var self = this;
    if (this.paused) return Promise.resolve("paused");
    if (offset >= this.file.size) return Promise.resolve("done");
    var chunk = this.file.slice(offset, Math.min(offset + CHUNK_SIZE, this.file.size));
    return checksum(chunk).then(function (sum) {
      if (self.paused) return "paused";  // paused while hashing: send nothing
      var headers = {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset)
      };
      if (sum) headers["Upload-Checksum"] = sum;
      var startedAt = performance.now();
      return request(self, "PATCH", self.url, headers, chunk, function (event) {
        self.showProgress(offset + event.loaded);
        var seconds = (performance.now() - startedAt) / 1000;
        if (seconds > 0.2) self.speed.textContent = formatSpeed(event.loaded / seconds);
      });
    }).then(function (xhr) {
      if (xhr === "paused") return xhr;
      if (xhr.status !== 204) throw self.refusal(xhr);
      self.retryDelay = 1000;
      var next = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      self.showProgress(next);
      if (next >= self.file.size) {
        self.statusUrl = xhr.getResponseHeader("Hlm-Video-Status");
        return "done";
      }
      return self.sendFrom(next);
    });
  };

  Uploader.prototype.start = function () {
    var self = this;
    if (!this.file || this.running) return;
    this.running = true;
    this.paused = false;
    this.setButtons("running");
    this.setStatus(msg("sending"));
    var ready = this.url ? this.offset() : this.create().then(function () { return 0; });
    ready.then(function (offset) { return self.sendFrom(offset); }).then(function (outcome) {
      self.running = false;
      if (outcome === "paused") {
        self.setButtons("paused");
        self.setStatus(msg("paused"));
        self.speed.textContent = "";
        return;
      }
      window.localStorage.removeItem(self.key);
      self.setButtons("done");
      self.setStatus(msg("done"));
      self.speed.textContent = "";
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }).catch(function (error) {
      self.running = false;
      // 409 (offset moved), 423 (busy) and 460 (piece damaged on the way) are retried below.
      var retried = [409, 423, 460].indexOf(error.status) !== -1;
      if (error.refused && error.status >= 400 && error.status < 500 && !retried) {
        window.localStorage.removeItem(self.key);
        self.url = null;
        self.setButtons("idle");
        self.setStatus(msg("error") + " " + error.message);
        return;
      }
      if (self.paused) { self.setButtons("paused"); self.setStatus(msg("paused")); return; }
      // Network cut or server hiccup: try again later, from the offset the server holds.
      self.setButtons("running");
      self.setStatus(msg("offline"));
      self.waiting = window.setTimeout(function () { self.wakeUp(); }, self.retryDelay);
      self.retryDelay = Math.min(self.retryDelay * 2, MAX_DELAY_MS);
    });
  };

  Uploader.prototype.wakeUp = function () {
    window.clearTimeout(this.waiting);
    this.waiting = null;
    if (!this.paused) this.start();
  };

  Uploader.prototype.pause = function () {
    this.paused = true;
    window.clearTimeout(this.waiting);
    this.waiting = null;
    if (this.xhr && this.running) this.xhr.abort();
    this.setButtons("paused");
    this.setStatus(msg("paused"));
  };

  Uploader.prototype.resume = function () {
    this.paused = false;
    this.start();
  };

  document.querySelectorAll(".hlm-upload[data-question], .hlm-upload[data-event]").forEach(function (fieldset) {
    new Uploader(fieldset);
  });
})();
