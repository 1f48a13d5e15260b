/* The rejection page: choosing a prepared note fills the note to the citizen (still editable) and,
   if no reason is chosen yet, the note's usual reason. A note already edited by hand is kept. */
(function () {
  "use strict";
  var data = document.getElementById("prepared-notes");
  var select = document.getElementById("id_prepared_note");
  var note = document.getElementById("id_note");
  if (!data || !select || !note) return;
  var notes = JSON.parse(data.textContent);
  var filled = "";  // the text this script put in the note

  select.addEventListener("change", function () {
    var chosen = notes[select.value];
    if (note.value.trim() && note.value !== filled) return;  // the moderator's own words stay
    filled = chosen ? chosen.text : "";
    note.value = filled;
    if (chosen && chosen.reason && !document.querySelector("input[name=reason]:checked")) {
      var reason = document.querySelector('input[name=reason][value="' + chosen.reason + '"]');
      if (reason) reason.checked = true;
    }
  });
})();
