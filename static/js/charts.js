// Draws the page's Plotly figures. The figures come from the server as JSON (json_script); each
// element with data-chart="<name>" gets the figure of that name. Plotly is our own static copy.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  var figures = JSON.parse(source.textContent);
  var config = { displayModeBar: false, responsive: true };
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  // A printed page (A4 or Letter, less its margins) is about 180 mm wide: charts are drawn at a
  // width that fits both, then given back to the screen after printing.
  var PRINT_WIDTH = 640;
  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var figure = figures[element.dataset.chart];
    if (!figure) return;
    var layout = figure.layout;
    if (narrow && layout.xaxis) {
      // On a phone the period labels turn, and the legend above the plot takes a few lines.
      layout.xaxis.tickangle = -60;
      layout.margin = Object.assign({}, layout.margin, { b: 40 });
      layout.height = (layout.height || 320) + 150;
    }
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data, layout, config);
    drawn.push(element);
  });

  var printing = false;
  function forPrint() {
    if (printing) return;
    printing = true;
    drawn.forEach(function (element) {
      window.Plotly.relayout(element, { width: PRINT_WIDTH, autosize: false });
    });
  }
  function forScreen() {
    if (!printing) return;
    printing = false;
    drawn.forEach(function (element) {
      window.Plotly.relayout(element, { width: null, autosize: true });
      window.Plotly.Plots.resize(element);
    });
  }
  window.addEventListener("beforeprint", forPrint);
  window.addEventListener("afterprint", forScreen);
  var print = window.matchMedia("print");
  var onChange = function (event) { (event.matches ? forPrint : forScreen)(); };
  if (print.addEventListener) print.addEventListener("change", onChange);
  else if (print.addListener) print.addListener(onChange);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      forPrint();
      window.print();
    });
  });
})();
