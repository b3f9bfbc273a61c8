// Copy buttons: <button data-copy="input-id" data-copied="Copied" hidden> next to a read-only
// input. The buttons stay hidden without JavaScript or a clipboard, where the address is copied
// by hand; the result is announced in #copy-status for screen readers.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      }, function () {
        input.select();
      });
    });
  });
})();
