// Charts are drawn at the width of the screen; a printed page is narrower, and a chart
// drawn wider than its page is cut off at the right. Redraw every chart at a width that
// fits A4 and Letter pages for printing, and at the screen's width again afterwards.
(function () {
  var PRINT_WIDTH = 680;
  function charts() {
    return window.Plotly ? document.querySelectorAll(".js-plotly-plot") : [];
  }
  window.addEventListener("beforeprint", function () {
    charts().forEach(function (gd) {
      if (gd._fullLayout && gd._fullLayout.width > PRINT_WIDTH) {
        gd.dataset.screenWidth = gd._fullLayout.width;
        Plotly.relayout(gd, { width: PRINT_WIDTH });
      }
    });
  });
  window.addEventListener("afterprint", function () {
    charts().forEach(function (gd) {
      if (gd.dataset.screenWidth) {
        delete gd.dataset.screenWidth;
        Plotly.relayout(gd, { width: null, autosize: true });
      }
    });
  });
})();
