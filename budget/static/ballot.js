// Progressive enhancement of the ballot: as the voter ticks projects (or types points on a
// cumulative ballot), each envelope says how many choices, how much money or how many points
// are left. Without JavaScript the ballot works the same and the
// server explains what is wrong; this only helps before sending.
(function () {
  "use strict";
  var sections = document.querySelectorAll("[data-ballot-section]");
  var format = function (amount) {
    return new Intl.NumberFormat(document.documentElement.lang || "fr", {
      style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(amount);
  };
  sections.forEach(function (section) {
    var status = section.querySelector("[data-ballot-status]");
    var boxes = section.querySelectorAll("input[type=checkbox][name=project]");
    var pointFields = section.querySelectorAll("input[data-points]");
    var totalPoints = section.dataset.totalPoints ? Number(section.dataset.totalPoints) : null;
    var amount = Number(section.dataset.amount);
    var maxChoices = section.dataset.maxChoices ? Number(section.dataset.maxChoices) : null;
    var texts = status.dataset;
    var update = function () {
      var chosen = 0, spent = 0;
      boxes.forEach(function (box) {
        if (box.checked) { chosen += 1; spent += Number(box.dataset.cost); }
      });
      var message, over = false;
      if (totalPoints !== null) {
        var given = 0;
        pointFields.forEach(function (field) {
          var value = Number(field.value);  // the server judges what is not a whole number
          if (Number.isInteger(value) && value > 0) { given += value; }
        });
        over = given > totalPoints;
        message = (over ? texts.pointsOver : texts.pointsLeft)
          .replace("{count}", String(Math.abs(totalPoints - given)));
      } else if (section.dataset.format === "knapsack") {
        over = spent > amount;
        message = (over ? texts.over : texts.left).replace("{amount}", format(Math.abs(amount - spent)));
      } else if (maxChoices !== null) {
        over = chosen > maxChoices;
        message = (over ? texts.tooMany : texts.choicesLeft)
          .replace("{count}", String(Math.abs(maxChoices - chosen)));
      } else {
        message = texts.chosen.replace("{count}", String(chosen));
      }
      status.textContent = message;
      status.classList.toggle("over", over);
    };
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    pointFields.forEach(function (field) { field.addEventListener("input", update); });
    status.hidden = false;
    update();
  });
})();
