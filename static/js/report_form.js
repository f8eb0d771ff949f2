// The report form, made nicer: live percentages and rates, and the categories' sum beside the
// total. Everything here is also checked by the server; without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var french = document.documentElement.lang === "fr";
  var format = new Intl.NumberFormat(french ? "fr-CA" : "en-CA", { maximumFractionDigits: 1 });
  // The words come translated from the page (data-per, data-sum, data-over).
  var strings = form.dataset;

  // As the server reads it (impact/forms.py DecimalField): a French comma is the decimal mark, an
  // English one groups thousands; spaces only between groups of three digits.
  function parse(text) {
    text = (text || "").trim();
    if (!text) return null;
    if (/^[-+]?[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/.test(text)) text = text.replace(/[ \u00a0\u202f]/g, "");
    if (french) text = text.replace(",", ".");
    else if (/^[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, "");
    var number = Number(text);
    return isFinite(number) ? number : NaN;
  }

  function input(row, role) {
    return row.querySelector('input[data-role="' + role + '"]');
  }

  function updateRatio(card, row) {
    var output = row.querySelector("[data-result]");
    var numerator = input(row, "numerator");
    var denominator = input(row, "denominator");
    if (!output || !numerator || !denominator) return;
    var n = parse(numerator.value);
    var d = parse(denominator.value);
    if (n === null || d === null || isNaN(n) || isNaN(d) || d <= 0) {
      output.textContent = "";
      return;
    }
    if (card.dataset.measure === "percentage") {
      output.textContent = "= " + format.format((100 * n) / d) + (french ? "\u00a0%" : "%");
    } else {
      var multiplier = parse(card.dataset.multiplier) || 1;
      output.textContent = "= " + format.format((multiplier * n) / d) + " " + strings.per + " " + format.format(multiplier);
    }
  }

  function updateSums(card) {
    var measure = card.dataset.measure;
    var total = card.querySelector(".entry-total");
    var output = total && total.querySelector("[data-sums]");
    if (!output || (measure !== "count" && measure !== "amount")) return;
    var sums = {};
    card.querySelectorAll(".entry-category").forEach(function (row) {
      var value = parse((input(row, "value") || {}).value);
      if (value === null || isNaN(value)) return;
      var dimension = row.dataset.categoryOf;
      sums[dimension] = (sums[dimension] || 0) + value;
    });
    var totalValue = parse((input(total, "value") || {}).value);
    var parts = Object.keys(sums).map(function (key) {
      var text = format.format(sums[key]);
      return totalValue !== null && !isNaN(totalValue) && sums[key] > totalValue ? text + strings.over : text;
    });
    output.textContent = parts.length ? strings.sum + parts.join(" · ") : "";
    output.classList.toggle("text-danger", /—/.test(output.textContent));
  }

  function refresh(card) {
    card.querySelectorAll(".entry-row").forEach(function (row) {
      updateRatio(card, row);
    });
    updateSums(card);
  }

  form.querySelectorAll(".indicator-card").forEach(refresh);
  form.addEventListener("input", function (event) {
    var card = event.target.closest(".indicator-card");
    if (card) refresh(card);
  });
})();
