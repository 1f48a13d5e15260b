/* Keyboard shortcuts on a question's page in the admin: a key presses the button or link that
   carries it in data-shortcut (A approve, R reject, N next question; listed on the page). Never
   while typing in a field, and never with Ctrl, Alt or Meta (the browser's own shortcuts). */
(function () {
  "use strict";

  function typing(target) {
    return Boolean(target && target.closest &&
      target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }

  function control(key) {
    return key ? document.querySelector('[data-shortcut="' + key + '"]') : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (typing(event.target)) return;
    // The letter typed, else the key's place on a Latin keyboard (KeyA) for other layouts.
    var letter = (event.key || "").toLowerCase();
    var target = control(letter) ||
      control(/^Key[A-Z]$/.test(event.code || "") ? event.code.slice(3).toLowerCase() : "");
    if (!target) return;
    event.preventDefault();
    target.click();
  });
})();
