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
  // The time axis spans the purchases, and at least the hour around them: uPlot would stretch
  // a single point over years.
  var xs = spend.data[0];
  var lo = xs[0];
  var hi = xs[xs.length - 1];
  if (hi - lo < 3600) {
    var mid = (lo + hi) / 2;
    lo = mid - 1800;
    hi = mid + 1800;
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
      scales: { x: { time: true, auto: false, range: [lo, hi] } } },
    spend.data,
    target
  );
})();
