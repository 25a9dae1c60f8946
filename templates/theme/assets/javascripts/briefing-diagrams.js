/* briefing: a relations diagram wider than its column scrolls sideways (briefing.css); it
   opens with the page's own actor (.bf-diagram-focus) in the middle of the view, or with
   the middle of the diagram when it has none. Without this, a phone shows its left edge:
   the outer actors, not the one the page is about. Loaded on every page (main.html). */
(function () {
  "use strict";

  function reveal(figure) {
    var hidden = figure.scrollWidth - figure.clientWidth;
    if (hidden <= 0) {
      return;
    }
    var target = figure.querySelector(".bf-diagram-focus") || figure.querySelector("svg");
    if (!target) {
      return;
    }
    var box = target.getBoundingClientRect();
    var frame = figure.getBoundingClientRect();
    var middle = box.left - frame.left + figure.scrollLeft + box.width / 2;
    figure.scrollLeft = Math.min(hidden, Math.max(0, middle - figure.clientWidth / 2));
  }

  function revealAll() {
    var figures = document.querySelectorAll(".bf-diagram");
    for (var i = 0; i < figures.length; i += 1) {
      reveal(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealAll);
  } else {
    revealAll();
  }
})();
