// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  // A button or link with data-confirm asks before a destructive action.
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Drafts that survive a lost connection: a form with data-draft-key keeps what is typed in
// the browser's local storage until the server confirms the save (an element with
// data-draft-clear naming the key appears on the page that follows).
(function () {
  var prefix = "redthread-draft:";
  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    try { window.localStorage.removeItem(prefix + element.getAttribute("data-draft-clear")); } catch (e) {}
  });
  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = prefix + form.getAttribute("data-draft-key");
    var fields = form.querySelectorAll("input[name]:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea[name], select[name]");
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) {}
    if (saved && !form.querySelector(".field-error")) {
      fields.forEach(function (field) {
        if (Object.prototype.hasOwnProperty.call(saved, field.name)) { field.value = saved[field.name]; }
      });
      var note = form.querySelector("[data-draft-note]");
      if (note) { note.hidden = false; }
    }
    form.addEventListener("input", function () {
      var values = {};
      fields.forEach(function (field) { values[field.name] = field.value; });
      try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (e) {}
    });
  });
})();
