// One order for store staff: the pick list, the customer, the timeline, and the actions its
// state allows.
import { ErrorNotice, q, useApi } from './api.js';
import { formatMoney, statusLabel } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html } from './preact.js';

const orderId = decodeURIComponent(location.pathname.split('/').pop());

function OrderPage() {
  const order = useApi(`/orders/${q(orderId)}`);
  const o = order.data;
  return html`<${PageHead} title=${`Order ${orderId.slice(0, 8)}`}>
      ${o ? html`<span class="badge" data-status=${o.status}>${statusLabel(o.status)}</span>` : null}
    <//>
    <${ErrorNotice} error=${order.error} />
    ${
      o
        ? html`<section class="panel">
            <h2>Pick list</h2>
            <ul class="list">
              ${o.items.map((i) => html`<li key=${i.productId}>${i.quantity} × ${i.name}</li>`)}
            </ul>
            <p>Total ${formatMoney(o.total)}</p>
          </section>`
        : null
    }`;
}

mountConsole({ section: 'orders', page: OrderPage });
