// Charts of the scorecard pages: every <canvas data-chart="id"> draws the spec in the
// json_script element `id`: {type, labels, datasets, stacked?, horizontal?, max?, legend?, yTicks?, yMin?, yMax?}.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var round = spec.type === "doughnut" || spec.type === "pie";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: { legend: { display: spec.legend !== false, position: "bottom" } }
    };
    if (!round) {
      var value = spec.horizontal ? "x" : "y";
      var category = spec.horizontal ? "y" : "x";
      options.scales = {};
      options.scales[value] = { beginAtZero: true, stacked: !!spec.stacked };
      options.scales[category] = { stacked: !!spec.stacked };
      if (spec.max) { options.scales[value].max = spec.max; }
      if (spec.yMin !== undefined) { options.scales[value].min = spec.yMin; options.scales[value].beginAtZero = false; }
      if (spec.yMax !== undefined) { options.scales[value].max = spec.yMax; }
      if (spec.yTicks) {
        options.scales[value].ticks = { callback: function (v) { return spec.yTicks[String(v)] || ""; } };
        options.scales[value].afterBuildTicks = function (axis) {
          axis.ticks = Object.keys(spec.yTicks).map(function (key) { return { value: Number(key) }; });
        };
      }
    }
    canvas.chart = new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options });
    canvas.dataset.rendered = "true";
  });
})();
