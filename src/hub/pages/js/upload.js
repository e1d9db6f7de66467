// loa: upload progress for the clip forms (progressive enhancement).
// Without this script the form posts normally. With it, the form is sent
// with XMLHttpRequest and a progress bar shows the percent sent; the page
// the hub answers with (the clip, or the form with its errors) then shows.
(function () {
  "use strict";
  function init() {
    var f = document.querySelector("form[data-progress]");
    if (!f || !window.XMLHttpRequest || !window.FormData) { return; }
    f.addEventListener("submit", function (ev) {
      if (f.checkValidity && !f.checkValidity()) { return; }
      ev.preventDefault();
      var box = document.getElementById("upload-status");
      var bar = document.getElementById("upload-progress");
      var txt = document.getElementById("upload-percent");
      var btn = f.querySelector("button[type=submit]");
      var show = function (p) {
        bar.value = p;
        txt.textContent = f.getAttribute("data-sending").replace("{p}", String(p));
      };
      box.hidden = false;
      if (btn) { btn.disabled = true; }
      show(0);
      var x = new XMLHttpRequest();
      x.open("POST", f.action);
      x.upload.onprogress = function (e) {
        if (e.lengthComputable && e.total > 0) { show(Math.floor((e.loaded * 100) / e.total)); }
      };
      x.upload.onload = function () {
        bar.value = 100;
        txt.textContent = f.getAttribute("data-done");
      };
      x.onload = function () {
        var to = x.responseURL || "";
        if (x.status < 300 && to && to !== f.action) {
          window.location.assign(to);
          return;
        }
        // The form again, with its errors: show the hub's page in place.
        var doc = new DOMParser().parseFromString(x.responseText, "text/html");
        document.title = doc.title;
        document.body.innerHTML = doc.body.innerHTML;
        window.scrollTo(0, 0);
        init();
      };
      x.onerror = function () {
        txt.textContent = f.getAttribute("data-failed");
        if (btn) { btn.disabled = false; }
      };
      x.send(new FormData(f));
    });
  }
  init();
})();
