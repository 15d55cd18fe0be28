// The dealer page's evaluation trend (weighted total over time, with the grade in the tooltip).
(function () {
  "use strict";
  var canvas = document.getElementById("evaluation-chart");
  var source = document.getElementById("evaluation-trend");
  if (!canvas || !source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var gradeLabel = canvas.getAttribute("data-grade-label");
  new window.Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: [{ label: canvas.getAttribute("data-total-label"), data: data.totals, tension: 0.2, fill: false }] },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { y: { min: 1, max: 5 } },
      plugins: { tooltip: { callbacks: { afterLabel: function (ctx) { return gradeLabel + " " + data.grades[ctx.dataIndex]; } } } }
    }
  });
})();
