// Overview: each store's day so far (the store's own local day): orders placed, delivered,
// cancelled, time to deliver against the promise, short picks, net revenue; a uPlot chart of the
// day by hour. One GET /v1/admin/overview (?date= for another day).
import uPlot from '/pages/vendor/uplot.mjs';
import { ErrorNotice, q, useApi } from './api.js';
import { formatMoney } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useEffect, useRef, useState } from './preact.js';

const minutes = (s) => (s === undefined ? '—' : `${Math.round(s / 6) / 10} min`);

function Figures({ day }) {
  const money = (amount) => formatMoney({ amount, currency: day.currency });
  const items = [
    ['Placed', day.placed],
    ['Delivered', day.delivered],
    ['Cancelled', day.cancelled],
    ['Still open', day.open],
    ['Median to deliver', minutes(day.deliverP50Seconds)],
    ['90th percentile', minutes(day.deliverP90Seconds)],
    ['Promised (median)', minutes(day.promisedP50Seconds)],
    ['Delivered late', day.deliveredLate],
    ['Short picks', day.shortPicks],
    ['Revenue (net of refunds)', money(day.netRevenueMinor)],
    ['Refunds', money(day.refundedMinor)],
  ];
  return html`<dl class="figures" aria-label=${`Figures of ${day.name}`}>
    ${items.map(
      ([label, value]) =>
        html`<div key=${label} data-figure=${label}>
          <dt>${label}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
}

/** Orders placed and delivered per local hour (bars would need uPlot's paths plugin; lines read fine). */
function HourChart({ day }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const hours = day.hourly.map((h) => h.hour);
    const data = [hours, day.hourly.map((h) => h.placed), day.hourly.map((h) => h.delivered)];
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        scales: { x: { time: false } },
        axes: [{ label: `Hour (${day.timezone})` }, { label: 'Orders' }],
        series: [
          { label: 'Hour' },
          { label: 'Placed', stroke: '#2f6fde', width: 2, points: { show: true } },
          { label: 'Delivered', stroke: '#1f8a4c', width: 2, points: { show: true } },
        ],
      },
      data,
      el,
    );
    const resize = () => plot.setSize({ width: width(), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [day]);
  return html`<div
    class="chart"
    ref=${box}
    role="img"
    aria-label=${`Orders placed and delivered by hour at ${day.name}`}
  ></div>`;
}

function OverviewPage() {
  const [date, setDate] = useState(() => new URLSearchParams(location.search).get('date') ?? '');
  const overview = useApi(`/admin/overview${date ? `?date=${q(date)}` : ''}`);
  const [open, setOpen] = useState(null);
  const stores = overview.data ?? [];
  const chosen =
    stores.find((s) => s.storeId === open) ?? stores.find((s) => s.placed > 0) ?? stores[0];
  const pickDate = (value) => {
    const params = new URLSearchParams(location.search);
    if (value) params.set('date', value);
    else params.delete('date');
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    setDate(value);
  };
  return html`<${PageHead} title="Overview">
      <label class="row" for="overview-date">
        <span>Day</span>
        <input
          id="overview-date"
          type="date"
          value=${date}
          onChange=${(e) => pickDate(e.currentTarget.value)}
        />
      </label>
      <button type="button" onClick=${() => overview.reload()}>Refresh</button>
    <//>
    <p class="muted">
      Each store's own day (its time zone), ${date ? date : 'today'}: the orders placed in it and
      what became of them so far.
    </p>
    <${ErrorNotice} error=${overview.error} />
    <section class="panel" aria-label="Stores today">
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Store</th>
              <th class="num">Placed</th>
              <th class="num">Delivered</th>
              <th class="num">Cancelled</th>
              <th class="num">Median</th>
              <th class="num">p90</th>
              <th class="num">Late</th>
              <th class="num">Short picks</th>
              <th class="num">Net revenue</th>
            </tr>
          </thead>
          <tbody>
            ${stores.map(
              (s) =>
                html`<tr
                  key=${s.storeId}
                  data-store=${s.storeId}
                  aria-selected=${chosen?.storeId === s.storeId ? 'true' : 'false'}
                >
                  <td>
                    <button type="button" class="link" onClick=${() => setOpen(s.storeId)}>
                      ${s.name}
                    </button>
                    <small class="muted">${s.date}</small>
                  </td>
                  <td class="num">${s.placed}</td>
                  <td class="num">${s.delivered}</td>
                  <td class="num">${s.cancelled}</td>
                  <td class="num">${minutes(s.deliverP50Seconds)}</td>
                  <td class="num">${minutes(s.deliverP90Seconds)}</td>
                  <td class="num">${s.deliveredLate}</td>
                  <td class="num">${s.shortPicks}</td>
                  <td class="num">
                    ${formatMoney({ amount: s.netRevenueMinor, currency: s.currency })}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    ${
      chosen
        ? html`<section class="panel" aria-labelledby="store-day-h">
            <h2 id="store-day-h">${chosen.name} <small class="muted">${chosen.date}</small></h2>
            <${Figures} day=${chosen} />
            <${HourChart} day=${chosen} />
          </section>`
        : null
    }`;
}

mountConsole({ section: 'overview', page: OverviewPage });
