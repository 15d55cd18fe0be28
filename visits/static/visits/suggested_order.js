// The suggested order: a line's reason field shows once its quantity differs from the suggestion.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=suggested-order-form]");
  if (!form) { return; }
  function sync(quantity) {
    var reason = form.querySelector("[name=" + quantity.name.replace("qty-", "reason-") + "]");
    if (!reason) { return; }
    var suggested = quantity.getAttribute("data-suggested") || "0";
    var changed = String(parseInt(quantity.value || "0", 10)) !== suggested;
    reason.hidden = !changed && reason.value.trim() === "";
  }
  form.querySelectorAll("input[data-suggested]").forEach(function (quantity) {
    sync(quantity);
    quantity.addEventListener("input", function () { sync(quantity); });
  });
})();
