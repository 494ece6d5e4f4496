// Progressive enhancement of the ballot: as the voter ticks projects, each envelope says how
// many choices or how much money is left. Without JavaScript the ballot works the same and the
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
    var amount = Number(section.dataset.amount);
    var maxChoices = section.dataset.maxChoices ? Number(section.dataset.maxChoices) : null;
    var texts = status.dataset;
    var update = function () {
      var chosen = 0, spent = 0;
      boxes.forEach(function (box) {
        if (box.checked) { chosen += 1; spent += Number(box.dataset.cost); }
      });
      var message, over = false;
      if (section.dataset.format === "knapsack") {
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
    status.hidden = false;
    update();
  });
})();
