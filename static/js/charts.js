// Draws the page's Plotly figures. The figures come from the server as JSON (json_script); each
// element with data-chart="<name>" gets the figure of that name. Plotly is our own static copy.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  var figures = JSON.parse(source.textContent);
  var config = { displayModeBar: false, responsive: true };
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var figure = figures[element.dataset.chart];
    if (!figure) return;
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  });
})();
