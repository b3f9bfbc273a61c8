// Small improvements on pages that work without it (CSP: no inline script, so it lives here).
(function () {
  "use strict";

  // A form came back with errors: move the focus to the summary at the top of the page, so
  // that it is the first thing seen and read (on a phone the first error may be far down).
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();

  // A link in the summary focuses its field (a plain #anchor only scrolls) and shows the
  // field's label or legend too, which the anchor alone would scroll out of view.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // A group of radio buttons or checkboxes is named by its legend, any other field by its label.
    var group = (field.type === "radio" || field.type === "checkbox") && field.closest("fieldset");
    var caption = (group && group.querySelector("legend")) ||
      document.querySelector("label[for='" + field.id + "']") || field;
    caption.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
