/* The tour day's live pages: the big screen, the event page's live panel and the moderator's
   console poll the event's small JSON state every 2 s (the browser revalidates with its ETag:
   304 when nothing changed). The screen and the panel redraw their list in place; the console
   reloads when the room changed and the moderator is not in the middle of a tap. When the
   network drops, the last state stays on screen and a discreet line says so. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-state-url]");
  if (!root) {
    return;
  }
  var data = root.dataset;
  var period = 2000;
  var lastBody = null;
  var lastSuccess = new Date();
  var lastTouch = 0;
  var status = root.querySelector("[data-live-status]");

  function questionUrl(question) {
    return data.liveQuestionUrl
      .replace("PUBLICID", encodeURIComponent(question.id))
      .replace("SLUG", encodeURIComponent(question.slug));
  }

  function item(question, nowId, links) {
    var li = document.createElement("li");
    li.className = "hlm-live-item" + (question.id === nowId ? " hlm-live-item--now" : "");
    var supports = document.createElement("span");
    supports.className = "hlm-live-item__supports";
    var label = document.createElement("span");
    label.className = "fr-sr-only";
    label.textContent = data.liveSupports + " ";
    supports.append(label, String(question.supports));
    var text = document.createElement("span");
    text.className = "hlm-live-item__text";
    var title = document.createElement("span");
    title.className = "hlm-live-item__title";
    title.lang = question.lang;
    title.dir = "auto";
    if (links) {
      var link = document.createElement("a");
      link.href = questionUrl(question);
      link.textContent = question.title;
      title.append(link);
    } else {
      title.textContent = question.title;
    }
    text.append(title);
    if (question.id === nowId) {
      var mark = document.createElement("span");
      mark.className = "hlm-live-item__mark";
      mark.textContent = data.liveNowMark;
      text.append(" ", mark);
    }
    li.append(supports, text);
    return li;
  }

  function renderList(state) {
    var list = root.querySelector("[data-live-list]");
    if (!list) {
      return;
    }
    var limit = parseInt(list.dataset.liveLimit, 10) || 10;
    var nowId = state.now ? state.now.id : null;
    var links = list.hasAttribute("data-live-links");
    var items = state.questions.slice(0, limit).map(function (question) {
      return item(question, nowId, links);
    });
    list.replaceChildren.apply(list, items);
    var empty = root.querySelector("[data-live-empty]");
    if (empty) {
      empty.hidden = state.questions.length > 0;
    }
  }

  function renderNow(state) {
    var box = root.querySelector("[data-live-now-box]");
    if (!box) {
      return;
    }
    box.hidden = !state.now;
    var title = box.querySelector("[data-live-now-title]");
    var name = box.querySelector("[data-live-now-name]");
    if (state.now) {
      title.textContent = state.now.title;
      title.lang = state.now.lang;
      if (name) {
        name.textContent = state.now.name;
      }
      var link = box.querySelector("[data-live-now-link]");
      if (link) {
        link.href = questionUrl(state.now);
      }
    }
  }

  function render(state) {
    if (data.liveMode === "console") {
      var idle = Date.now() - lastTouch > 3000;
      if (String(state.version) !== data.liveVersion && idle) {
        window.location.reload();
      }
      return;
    }
    if (data.liveMode === "panel") {
      root.hidden = !state.live;
    }
    renderNow(state);
    renderList(state);
  }

  function setOnline() {
    lastSuccess = new Date();
    if (status && status.textContent) {
      status.textContent = "";
      root.classList.remove("hlm-live--offline");
    }
  }

  function setOffline() {
    if (!status) {
      return;
    }
    var time = lastSuccess.toLocaleTimeString(document.documentElement.lang);
    status.textContent = data.liveOffline.replace("{time}", time);
    root.classList.add("hlm-live--offline");
  }

  function poll() {
    if (document.hidden && data.liveMode !== "screen") {
      window.setTimeout(poll, period);
      return;
    }
    fetch(data.liveStateUrl, { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (body) {
        setOnline();
        if (body !== lastBody) {
          lastBody = body;
          var state = JSON.parse(body);
          // An event page waiting for its event to go live asks less often.
          var waiting = data.liveMode === "panel" && !state.live;
          period = (state.poll_seconds || 2) * 1000 * (waiting ? 3 : 1);
          render(state);
        }
      })
      .catch(setOffline)
      .finally(function () {
        window.setTimeout(poll, period);
      });
  }

  document.addEventListener("pointerdown", function () { lastTouch = Date.now(); });
  document.addEventListener("keydown", function () { lastTouch = Date.now(); });
  window.setTimeout(poll, period);
})();
