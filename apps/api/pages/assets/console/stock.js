// Stock: a store's stock levels, adjustments (+/− with a reason), and the ledger's history of a
// product at that store. Adjustments go through POST /v1/admin/stores/:id/stock/:product/adjustments.
import { api, ErrorNotice, q, useAction, useApi } from './api.js';
import { Field, fieldErrors, FormError, toInteger, useOpeningFocus } from './field-errors.js';
import { dateTime, shortId } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useEffect, useState } from './preact.js';
import { StorePicker, useStoreChoice } from './store-picker.js';

const ADJUST_FIELDS = ['delta', 'reason', 'note', 'quantity'];
const REASONS = [
  ['restock', 'Restock'],
  ['adjustment', 'Count correction'],
];

function Ledger({ storeId, row, version }) {
  const ledger = useApi(`/admin/stores/${q(storeId)}/stock/${q(row.productId)}/movements?limit=50`);
  const { reload } = ledger;
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);
  return html`<section class="panel" aria-labelledby="ledger-h">
    <h2 id="ledger-h">Ledger: ${row.name}</h2>
    <${ErrorNotice} error=${ledger.error} />
    <div class="table-wrap">
      <table class="data" aria-label="Ledger">
        <thead>
          <tr>
            <th>When</th>
            <th class="num">Change</th>
            <th class="num">After</th>
            <th>Why</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          ${(ledger.data?.items ?? []).map(
            (m) =>
              html`<tr key=${m.id}>
                <td>${dateTime(m.createdAt)}</td>
                <td class="num">${m.delta > 0 ? `+${m.delta}` : m.delta}</td>
                <td class="num">${m.quantityAfter}</td>
                <td>
                  ${m.reason}${m.orderId ? html` <a class="mono" href=${`/admin/orders/${q(m.orderId)}`}>${shortId(m.orderId)}</a>` : null}
                </td>
                <td>${m.note ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function AdjustForm({ storeId, row, onDone }) {
  const opening = useOpeningFocus();
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, ADJUST_FIELDS);
  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const body = { delta: toInteger(f.get('delta')), reason: f.get('reason') };
    if (String(f.get('note')).trim()) body.note = f.get('note');
    const level = await run(() =>
      api.post(`/admin/stores/${q(storeId)}/stock/${q(row.productId)}/adjustments`, body),
    );
    if (level) {
      form.reset();
      onDone(level);
    }
  };
  return html`<form
    ref=${opening}
    class="panel form"
    onSubmit=${submit}
    aria-label=${`Adjust ${row.name}`}
  >
    <h2>Adjust ${row.name} <small class="muted">(${row.quantity} in stock)</small></h2>
    <div class="form-grid">
      <${Field} name="delta" label="Change (+ or −)" errors=${errors}>
        <input id="f-delta" name="delta" required inputmode="numeric" placeholder="+12 or -3" />
      <//>
      <${Field} name="reason" label="Reason" errors=${errors}>
        <select id="f-reason" name="reason">
          ${REASONS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </select>
      <//>
      <div class="wide">
        <${Field} name="note" label="Note" errors=${errors}>
          <input id="f-note" name="note" maxlength="500" />
        <//>
      </div>
    </div>
    <${FormError} errors=${errors} />
    <div class="row"><button type="submit" class="primary" disabled=${busy}>Apply</button></div>
  </form>`;
}

/** Stocking a product the store does not have yet: find it by SKU or name, set a quantity. */
function AddProduct({ storeId, onDone }) {
  const [term, setTerm] = useState('');
  const found = useApi(term ? `/admin/products?limit=10&q=${q(term)}` : null);
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, ['quantity', 'reason', 'note']);
  const submit = async (event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const level = await run(() =>
      api.put(`/admin/stores/${q(storeId)}/stock/${q(f.get('productId'))}`, {
        quantity: toInteger(f.get('quantity')),
        reason: 'restock',
      }),
    );
    if (level) onDone(level);
  };
  return html`<details class="panel">
    <summary>Stock another product</summary>
    <form
      class="search"
      role="search"
      onSubmit=${(e) => {
        e.preventDefault();
        setTerm(new FormData(e.currentTarget).get('term').trim());
      }}
    >
      <label class="sr-only" for="add-term">SKU or name</label>
      <input id="add-term" name="term" type="search" maxlength="100" placeholder="SKU or name" />
      <button type="submit">Find</button>
    </form>
    ${
      found.data?.items?.length
        ? html`<form class="form" onSubmit=${submit}>
            <${Field} name="productId" id="add-product" label="Product" errors=${errors}>
              <select id="add-product" name="productId">
                ${found.data.items.map((p) => html`<option value=${p.id}>${p.sku} — ${p.name}</option>`)}
              </select>
            <//>
            <${Field} name="quantity" id="add-quantity" label="Quantity" errors=${errors}>
              <input id="add-quantity" name="quantity" required inputmode="numeric" />
            <//>
            <${FormError} errors=${errors} />
            <div class="row"><button type="submit" disabled=${busy}>Set stock</button></div>
          </form>`
        : term && found.data
          ? html`<p class="muted">No product matches.</p>`
          : null
    }
  </details>`;
}

function StockPage() {
  const stores = useApi('/admin/stores');
  const [storeId, setStoreId] = useStoreChoice(stores.data);
  const [low, setLow] = useState('');
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState(null);
  const [notice, setNotice] = useState('');
  const rows = useApi(
    storeId
      ? `/admin/stores/${q(storeId)}/stock?limit=100${low !== '' ? `&lowStock=${q(low)}` : ''}`
      : null,
  );
  const row = selected && (rows.data?.items ?? []).find((r) => r.productId === selected);
  const changed = (level, what) => {
    setNotice(`${what}: now ${level.quantity}.`);
    setVersion((n) => n + 1);
    void rows.reload();
  };
  return html`<${PageHead} title="Stock">
      <${StorePicker}
        stores=${stores.data}
        value=${storeId}
        onChange=${(id) => {
          setSelected(null);
          setStoreId(id);
        }}
      />
    <//>
    <${ErrorNotice} error=${stores.error || rows.error} />
    <p class="notice" role="status">${notice}</p>
    <div class="split">
      <section class="panel" aria-labelledby="levels-h">
        <div class="page-head">
          <h2 id="levels-h">Levels</h2>
          <label class="row" for="low-stock">
            <span>At or below</span>
            <input
              id="low-stock"
              type="number"
              min="0"
              max="1000000"
              value=${low}
              onChange=${(e) => setLow(e.currentTarget.value)}
            />
          </label>
        </div>
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Product</th>
                <th class="num">In stock</th>
                <th><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${(rows.data?.items ?? []).map(
                (r) =>
                  html`<tr
                    key=${r.productId}
                    data-product=${r.productId}
                    aria-selected=${r.productId === selected ? 'true' : 'false'}
                  >
                    <td class="mono">${r.sku}</td>
                    <td>${r.name}</td>
                    <td class="num">${r.quantity}</td>
                    <td class="actions">
                      <button
                        type="button"
                        onClick=${() => setSelected(r.productId)}
                        aria-label=${`Adjust ${r.name}`}
                      >
                        Adjust
                      </button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${rows.data && !rows.data.items.length ? html`<p class="muted">Nothing stocked here${low !== '' ? ' at that level' : ''}.</p>` : null}
      </section>
      <div class="form">
        ${
          row
            ? html`<${AdjustForm}
                  key=${row.productId}
                  storeId=${storeId}
                  row=${row}
                  onDone=${(level) => changed(level, row.name)}
                />
                <${Ledger} storeId=${storeId} row=${row} version=${version} />`
            : html`<p class="panel muted">Choose a product to adjust it and see its ledger.</p>`
        }
        ${storeId ? html`<${AddProduct} storeId=${storeId} onDone=${(level) => changed(level, 'Stocked')} />` : null}
      </div>
    </div>`;
}

mountConsole({ section: 'stock', page: StockPage });
