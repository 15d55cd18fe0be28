// The order form: filter products by name or SKU, and show a running estimate.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=order-form]");
  if (!form) { return; }
  var estimate = document.getElementById("order-estimate");
  function update() {
    var cents = 0;
    form.querySelectorAll("input[data-price]").forEach(function (input) {
      var quantity = parseInt(input.value, 10);
      var price = parseFloat(input.getAttribute("data-price"));
      if (quantity > 0 && !isNaN(price)) { cents += Math.round(price * 100) * quantity; }
    });
    estimate.textContent = "¥" + (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  form.addEventListener("input", update);
  update();
  var filter = document.getElementById("product-filter");
  filter.addEventListener("input", function () {
    var term = filter.value.trim().toLowerCase();
    form.querySelectorAll(".product-row").forEach(function (row) {
      row.hidden = term !== "" && row.getAttribute("data-search").indexOf(term) === -1;
    });
  });
})();
