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

// A question shown only for some answers to an earlier question on the same page
// (data-show-if holds the rule); without JavaScript every question shows, with its rule.
(function () {
  var questions = document.querySelectorAll("[data-show-if]");
  if (!questions.length) { return; }
  function chosen(form, name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }
  function update() {
    questions.forEach(function (element) {
      var rule = JSON.parse(element.getAttribute("data-show-if"));
      var values = chosen(element.closest("form"), rule.question);
      var show;
      if (rule.equals !== null) { show = values.indexOf(rule.equals) >= 0; }
      else if (rule.any_of.length) { show = values.some(function (v) { return rule.any_of.indexOf(v) >= 0; }); }
      else { show = values.length > 0 && parseFloat(values[0].replace(",", ".")) >= rule.at_least; }
      element.hidden = !show;
      var note = element.querySelector(".condition-note");
      if (note) { note.hidden = true; }
    });
  }
  document.addEventListener("change", update);
  document.addEventListener("input", update);
  update();
})();

// A button with data-copy copies the text of the element it names (a link shown once), and
// says so on itself for a moment. Hidden where the browser cannot copy.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  if (!(navigator.clipboard && window.isSecureContext)) {
    button.hidden = true;
    return;
  }
  var label = button.textContent;
  button.addEventListener("click", function () {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied");
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
