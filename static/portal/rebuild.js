// Polls the rebuild's status while one is under way and moves the progress bar.
// Without JavaScript the page refreshes itself instead (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("rebuild-status");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".percent");

  function show(state) {
    box.setAttribute("data-state", state);
    box.querySelectorAll("[data-state-text]").forEach(function (node) {
      node.hidden = node.getAttribute("data-state-text") !== state;
    });
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (status) {
        bar.value = status.percent;
        percent.textContent = status.percent;
        show(status.state);
        if (status.state === "queued" || status.state === "running") {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  var state = box.getAttribute("data-state");
  if (state === "queued" || state === "running") {
    window.setTimeout(poll, 1000);
  }
})();
