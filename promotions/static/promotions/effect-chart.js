// The effect chart: cases per product before and during the campaign (data from #effect-data).
(function () {
  "use strict";
  var canvas = document.getElementById("effect-chart");
  var source = document.getElementById("effect-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  canvas.chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.before_label, data: data.before, backgroundColor: "rgba(108, 117, 125, 0.6)" },
        { label: data.during_label, data: data.during, backgroundColor: "rgba(13, 110, 253, 0.8)" }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: data.labels.length > 6 ? "y" : "x",
      plugins: { legend: { position: "bottom" } },
      scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
    }
  });
})();
