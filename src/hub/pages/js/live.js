// loa hub: live station blocks. Every element with data-live="/stations/ID/now"
// is refreshed from that same-origin fragment every 5 seconds while the page
// is visible. Without this script the page shows the state of its load and a
// "reload" link; nothing else depends on it.
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-live]");
  if (!blocks.length || !window.fetch) { return; }
  document.documentElement.className += " live";
  function refresh() {
    if (document.hidden) { return; }
    blocks.forEach(function (el) {
      fetch(el.getAttribute("data-live"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (t) {
          if (t !== null && t !== el.innerHTML) {
            el.innerHTML = t;
            el.setAttribute("data-updated", String(Date.now()));
          }
        })
        .catch(function () {});
    });
  }
  setInterval(refresh, 5000);
  document.addEventListener("visibilitychange", refresh);
}());
