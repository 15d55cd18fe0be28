// Dealer CRM: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Confirm destructive actions: <button data-confirm="Are you sure?">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  // Progress bars: <div class="progress-bar" data-progress="40"> (a width set from a
  // script, because the Content-Security-Policy refuses style="" attributes).
  function sizeBars(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
  }
  if (window.htmx) { window.htmx.onLoad(sizeBars); } else {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  }
})();
// "Back" buttons of the error pages: <button data-history-back>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-history-back]")) {
    if (window.history.length > 1) { window.history.back(); } else { window.location.href = "/"; }
  }
});
