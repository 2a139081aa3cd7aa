// Draws each chart of an operator's dashboard (docs/HTTP-API.md, "Dashboards") from the table of
// numbers under it, with uPlot (served by the same server). The page reads without this script:
// the tables hold every number. No inline script, no external request.
(function () {
  'use strict';
  const css = getComputedStyle(document.documentElement);
  const colour = (i) => css.getPropertyValue('--c' + (i % 5)).trim() || '#0b6e4f';
  const fg = css.getPropertyValue('--muted').trim() || '#586069';
  const line = css.getPropertyValue('--line').trim() || '#d8dce0';

  /** Millicents as people read them: dollars from a dollar on, cents below. */
  function money(m) {
    if (m == null) return '';
    const a = Math.abs(m);
    const sign = m < 0 ? '-' : '';
    if (a >= 100000) return sign + '$' + (a / 100000).toLocaleString('en-US', { maximumFractionDigits: 2 });
    return sign + (a / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 }) + '\u00a2';
  }
  const count = (n) => (n == null ? '' : n.toLocaleString('en-US'));

  function read(table) {
    const names = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent);
    const xs = [];
    const ys = names.map(() => []);
    for (const tr of table.querySelectorAll('tbody tr')) {
      xs.push(Number(tr.dataset.t));
      [...tr.querySelectorAll('td')].forEach((td, i) => ys[i].push(Number(td.dataset.v)));
    }
    return { names, data: [xs, ...ys] };
  }

  function draw(figure) {
    const table = figure.querySelector('table');
    const plot = figure.querySelector('.plot');
    if (!table || !plot || typeof uPlot === 'undefined') return;
    const { names, data } = read(table);
    // Bars for one series; several series are lines, so none hides another.
    const bars = figure.dataset.chart === 'bars' && names.length === 1;
    const fmt = figure.dataset.unit === 'money' ? money : count;
    const step = data[0].length > 1 ? data[0][1] - data[0][0] : 3600;
    const width = () => Math.max(200, plot.clientWidth);
    const opts = {
      width: width(),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Half a bucket either side, so the first and last bars are whole.
        x: { time: true, range: (u, min, max) => (bars ? [min - step / 2, max + step / 2] : [min, max]) },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line } },
        { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line }, size: 64,
          values: (u, vals) => vals.map(fmt) },
      ],
      series: [
        { label: 'UTC' },
        ...names.map((name, i) => ({
          label: name,
          stroke: colour(i),
          width: 2,
          fill: bars ? colour(i) + 'cc' : undefined,
          points: { show: !bars && data[0].length < 60 },
          paths: bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined,
          value: (u, v) => fmt(v),
        })),
      ],
    };
    const chart = new uPlot(opts, data, plot);
    new ResizeObserver(() => chart.setSize({ width: width(), height: 220 })).observe(plot);
  }

  function start() {
    document.querySelectorAll('figure.chart').forEach(draw);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
