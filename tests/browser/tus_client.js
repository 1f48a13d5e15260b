/* Test helper evaluated in the staff page after tus-js-client (vendor/tus.min.js): uploads a file
   with the official client and reports what happened. Never served by the portal.

   `window.hlmTusUpload(options)` resolves with {outcome, url, offset, error}:
   - outcome "success" once the server holds the whole file,
   - "stopped" when `stopAfter` bytes were accepted (the upload is aborted there, like a closed tab),
   - "error" with the client's message.
   `resume: true` looks for the URL the client stored for this file and continues from it. */
(function () {
  "use strict";

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  // tus-js-client has no checksum option; its public httpStack hook lets a page add the
  // checksum extension's header: sha1 of each chunk's body, computed before sending it.
  function ChecksumHttpStack() {
    this.inner = new window.tus.DefaultHttpStack();
  }
  ChecksumHttpStack.prototype.getName = function () { return "ChecksumHttpStack"; };
  ChecksumHttpStack.prototype.createRequest = function (method, url) {
    var request = this.inner.createRequest(method, url);
    var send = request.send.bind(request);
    request.send = function (body) {
      if (!body) return send(body);
      return body.arrayBuffer()
        .then(function (data) { return crypto.subtle.digest("SHA-1", data); })
        .then(function (digest) {
          request.setHeader("Upload-Checksum", "sha1 " + base64(digest));
          return send(body);
        });
    };
    return request;
  };

  window.hlmFile = function (b64, name, type) {
    var text = atob(b64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new File([bytes], name, { type: type, lastModified: 1700000000000 });
  };

  window.hlmTusUpload = function (options) {
    return new Promise(function (resolve) {
      var upload;
      var settings = {
        endpoint: options.endpoint,
        chunkSize: options.chunkSize,
        retryDelays: [0, 300, 1000],
        metadata: options.metadata,
        headers: { "X-CSRFToken": options.csrfToken },
        httpStack: new ChecksumHttpStack(),
        uploadDataDuringCreation: !!options.withCreation,
        overridePatchMethod: !!options.overridePatch,
        onChunkComplete: function (chunk, accepted) {
          if (options.stopAfter && accepted >= options.stopAfter) {
            upload.abort().then(function () {
              resolve({ outcome: "stopped", url: upload.url, offset: accepted });
            });
          }
        },
        onSuccess: function () {
          resolve({ outcome: "success", url: upload.url, offset: options.file.size });
        },
        onError: function (error) {
          resolve({ outcome: "error", url: upload.url, error: String(error) });
        }
      };
      upload = new window.tus.Upload(options.file, settings);
      if (!options.resume) {
        upload.start();
        return;
      }
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    });
  };
})();
