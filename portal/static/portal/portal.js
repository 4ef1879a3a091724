// Lanzarote's few behaviours, none needed to use a page: focus the error summary of a refused
// form, and move focus to the new heading or summary after an htmx swap. No inline script
// anywhere (the Content-Security-Policy forbids it).
(function () {
  "use strict";
  function focusFirst(root) {
    var target = root.querySelector(".error-summary") || null;
    if (target) { target.focus(); }
    return target;
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirst(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (focusFirst(event.detail.target)) { return; }
    var heading = event.detail.target.querySelector("h1, h2, h3");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  });
})();
