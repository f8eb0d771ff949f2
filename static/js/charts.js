// Draws the page's Plotly figures. The figures come from the server as JSON (json_script); each
// element with data-chart="<name>" gets the figure of that name. Plotly is our own static copy.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  var figures = JSON.parse(source.textContent);
  var config = { displayModeBar: false, responsive: true };
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var figure = figures[element.dataset.chart];
    if (!figure) return;
    var layout = figure.layout;
    if (narrow && layout.xaxis) {
      // On a phone the period labels turn and the legend moves down, out of their way.
      layout.xaxis.tickangle = -60;
      layout.legend = Object.assign({}, layout.legend, { y: -0.75 });
      layout.margin = Object.assign({}, layout.margin, { b: 40 });
      layout.height = (layout.height || 320) + 150;
    }
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data, layout, config);
  });
})();
