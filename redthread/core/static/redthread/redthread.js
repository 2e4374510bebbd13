// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  // A button or link with data-confirm asks before a destructive action.
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
