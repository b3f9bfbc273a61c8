// A Print button on pages made to be printed (the dialogue brief, a plan's follow-up): CSP
// allows no inline script, so it is here.
// Without JavaScript the button stays hidden and the browser's own print works the same.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
