// The customer's tracking page: /track lists my orders; /track/:orderId shows one order's
// timeline filling in live, the promise countdown and the rider's dot on the way.
import { AreaMap } from './area-map.js';
import {
  clock,
  el,
  formatMoney,
  PageSession,
  setLive,
  shortId,
  timeOfDay,
  toast,
} from './session.js';

const session = new PageSession('/track/session/token');
const main = document.getElementById('main');
const STEPS = [
  ['PLACED', 'Placed'],
  ['PACKED', 'Packed'],
  ['OUT_FOR_DELIVERY', 'On the way'],
  ['DELIVERED', 'Delivered'],
];
const LABELS = {
  'order.placed': 'Order placed',
  'order.packed': 'Packed at the store',
  'order.out_for_delivery': 'Out for delivery',
  'order.delivered': 'Delivered',
  'order.cancelled': 'Cancelled',
  'order.sla_breached': 'Running late: we are on it',
};
const HEADLINES = {
  PLACED: 'Order received',
  PACKED: 'Packed, waiting for a rider',
  OUT_FOR_DELIVERY: 'On the way',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

const showError = (e) => toast(e.message ?? String(e), e.code);

async function listOrders() {
  const page = await session.api('GET', '/orders?limit=20');
  document.title = 'Your orders · FlashCart';
  const items = page.items.map((o) =>
    el(
      'li',
      {},
      el(
        'a',
        { href: `/track/${o.id}` },
        el('span', {}, `#${shortId(o.id)} · ${timeOfDay(o.placedAt)} · ${formatMoney(o.total)}`),
        el('strong', {}, HEADLINES[o.status] ?? o.status),
      ),
    ),
  );
  main.replaceChildren(
    el(
      'section',
      { class: 'panel wide' },
      el('h1', {}, 'Your orders'),
      items.length
        ? el('ol', { class: 'orders-list' }, ...items)
        : el('p', { class: 'muted' }, 'No orders yet.'),
    ),
  );
  setLive('idle');
}

/** The store behind the order, for the map's centre (public: stores serving the address). */
async function storeOf(order) {
  const { lat, lng } = order.address;
  const stores = await session
    .api('GET', `/stores/serviceable?lat=${lat}&lng=${lng}`)
    .catch(() => []);
  return stores.find((s) => s.id === order.storeId) ?? null;
}

async function trackOrder(orderId) {
  let order;
  try {
    order = await session.api('GET', `/orders/${orderId}`);
  } catch {
    main.replaceChildren(
      el(
        'section',
        { class: 'panel wide' },
        el('h1', {}, 'Order not found'),
        el('p', { class: 'muted' }, 'No order of yours has this number.'),
      ),
    );
    setLive('idle');
    return;
  }
  const store = await storeOf(order);
  const seen = new Set();
  let lastSeq = 0;

  const headline = el('h1', { id: 'status' });
  const countdown = el('div', { class: 'countdown', id: 'countdown' });
  const steps = el('ol', { class: 'steps' }, ...STEPS.map(([, label]) => el('li', {}, label)));
  const timeline = el('ol', { class: 'timeline', id: 'timeline' });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Map: the store, your address and the rider');
  const itemCount = order.items.reduce((n, i) => n + i.quantity, 0);
  main.replaceChildren(
    el(
      'section',
      { class: 'panel wide' },
      el('div', { class: 'status-line' }, headline, countdown),
      el(
        'p',
        { class: 'muted' },
        `Order #${shortId(order.id)} · ${itemCount} item${itemCount === 1 ? '' : 's'} · ${formatMoney(order.total)} · to ${order.address.line1}`,
      ),
      steps,
    ),
    el('section', { class: 'panel' }, el('h2', {}, 'Timeline'), timeline),
    el('section', { class: 'panel' }, el('h2', {}, 'Where is it?'), svg),
  );
  document.title = `Order #${shortId(order.id)} · FlashCart`;

  const center = store ? { lat: store.latitude, lng: store.longitude } : order.address;
  const distance = Math.hypot(
    (order.address.lat - center.lat) * 110_540,
    (order.address.lng - center.lng) * 110_540 * Math.cos((center.lat * Math.PI) / 180),
  );
  const map = new AreaMap(svg, center, Math.max(distance * 1.25, 600), store ? store.name : '');
  map.setHome(order.id, order.address, 'you');

  function render() {
    headline.textContent = HEADLINES[order.status] ?? order.status;
    const reached =
      order.status === 'CANCELLED' ? 1 : STEPS.findIndex(([s]) => s === order.status) + 1;
    steps.classList.toggle('cancelled', order.status === 'CANCELLED');
    [...steps.children].forEach((li, i) => li.classList.toggle('done', i < reached));
    if (order.status === 'OUT_FOR_DELIVERY' && !map.riders.has(order.id))
      map.setRider(order.id, center, true); // at the store until its first position arrives
    if (order.status !== 'OUT_FOR_DELIVERY' && map.riders.has(order.id)) {
      map.remove(order.id);
      map.setHome(order.id, order.address, 'you');
    }
    tick();
  }

  function tick() {
    const left = Date.parse(order.promisedBy) - Date.now();
    countdown.classList.toggle(
      'late',
      left < 0 && order.status !== 'DELIVERED' && order.status !== 'CANCELLED',
    );
    if (order.status === 'DELIVERED') {
      const at =
        order.timeline?.findLast?.((e) => e.type === 'order.delivered')?.at ?? order.updatedAt;
      countdown.textContent = `at ${timeOfDay(at)}`;
    } else if (order.status === 'CANCELLED') countdown.textContent = '';
    else
      countdown.textContent = left >= 0 ? `arriving in ${clock(left)}` : `late by ${clock(left)}`;
  }

  function addEvent(event) {
    if (seen.has(event.seq)) return;
    seen.add(event.seq);
    lastSeq = Math.max(lastSeq, event.seq);
    const status = event.toStatus ?? event.status ?? event.data?.status;
    if (status && event.type !== 'order.sla_breached') order.status = status;
    order.timeline = [...(order.timeline ?? []), event];
    const reason = event.reason && event.type === 'order.cancelled' ? ` (${event.reason})` : '';
    const item = el(
      'li',
      { dataset: { seq: event.seq, type: event.type } },
      el('time', { datetime: event.at }, timeOfDay(event.at)),
      el('span', {}, `${LABELS[event.type] ?? event.type}${reason}`),
    );
    const after = [...timeline.children].find((li) => Number(li.dataset.seq) > event.seq);
    timeline.insertBefore(item, after ?? null);
    render();
  }

  for (const event of order.timeline ?? []) addEvent(event);
  render();
  setInterval(tick, 1000);

  const socket = session.socket({
    onStatus: setLive,
    // Each (re)connection resumes after the last event seen: nothing missed, nothing twice.
    onConnect: (s) =>
      s.emit('subscribe', { orderId: order.id, afterSeq: lastSeq }, (ack) => {
        if (!ack?.ok) toast('Live updates refused', ack?.error);
      }),
  });
  socket.on('order.event', (event) => event.orderId === order.id && addEvent(event));
  socket.on('rider.location', ({ orderId, lat, lng }) => {
    if (orderId !== order.id || order.status !== 'OUT_FOR_DELIVERY') return;
    map.setRider(order.id, { lat, lng });
  });
}

const match = location.pathname.match(/^\/track\/([^/]+)\/?$/);
(match ? trackOrder(decodeURIComponent(match[1])) : listOrders()).catch(showError);
