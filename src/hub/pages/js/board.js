// The bulletin board (/p/AREA/bang-tin): show one bulletin at a time, the
// next every data-slide seconds; every data-reload seconds fetch the page
// again and reload only when the hub answered (a dropped line keeps the
// board turning what it has). Without this script a <noscript> meta refresh
// turns the bulletins instead.
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board) return;
  var slide = (parseInt(board.getAttribute('data-slide'), 10) || 15) * 1000;
  var reload = (parseInt(board.getAttribute('data-reload'), 10) || 300) * 1000;
  var slides = document.querySelectorAll('section.slide');
  var i = 0;
  for (var k = 0; k < slides.length; k++) {
    if (!slides[k].hidden) { i = k; }
  }
  if (slides.length > 1) {
    setInterval(function () {
      slides[i].hidden = true;
      i = (i + 1) % slides.length;
      slides[i].hidden = false;
    }, slide);
  }
  setInterval(function () {
    var x = new XMLHttpRequest();
    x.open('GET', location.pathname, true);
    x.onload = function () {
      if (x.status === 200) { location.replace(location.pathname); }
    };
    x.send();
  }, reload);
})();
