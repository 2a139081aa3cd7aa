// Draws the wallet page's spending chart from the JSON the page carries (no inline script:
// the page's Content-Security-Policy allows only scripts served by the proxy itself).
(function () {
  var el = document.getElementById("spending");
  var target = document.getElementById("chart");
  if (!el || !target || typeof uPlot === "undefined") return;
  var spend = JSON.parse(el.textContent);
  if (spend.data[0].length === 0) {
    target.textContent = "No purchases yet.";
    return;
  }
  var colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  var series = [{}];
  spend.vendors.forEach(function (v, i) {
    series.push({
      label: v + " (m¢)",
      stroke: colours[i % colours.length],
      width: 2,
      points: { show: true },
    });
  });
  new uPlot(
    { title: "Paid to each vendor, cumulative", width: Math.min(900, window.innerWidth - 60),
      height: 280, series: series,
      // One purchase alone would stretch the time axis over years: show the hour around it.
      scales: { x: { time: true, range: function (u, min, max) {
        return min === max ? [min - 1800, max + 1800] : [min, max];
      } } } },
    spend.data,
    target
  );
})();
