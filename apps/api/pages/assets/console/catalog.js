// Catalog: products (create, edit, deactivate; image URL, tax rate) and categories. Every change
// goes through /v1/admin/... with the page's bearer token; the API's field errors show by field.
import { api, ErrorNotice, q, useAction, useApi } from './api.js';
import {
  Field,
  fieldErrors,
  FormError,
  fromBasisPoints,
  fromMinor,
  toBasisPoints,
  toInteger,
  toMinor,
  useOpeningFocus,
} from './field-errors.js';
import { formatMoney } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useMemo, useState } from './preact.js';

const PRODUCT_FIELDS = [
  'sku',
  'name',
  'description',
  'categoryId',
  'priceMinor',
  'unitLabel',
  'imageUrl',
  'maxPerOrder',
  'taxRateBp',
  'active',
];
const CATEGORY_FIELDS = ['name', 'slug', 'parentId', 'sortOrder'];

/**
 * Whether a product's image can be shown: our CSP allows images from this origin only (and
 * data:), so one on another host would be a refusal in the console; its URL stays in the form.
 */
function ourImage(url) {
  if (!url) return false;
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

/** The category tree as one list, children indented under their parent. */
function flatten(nodes, depth = 0) {
  return nodes.flatMap((n) => [{ ...n, depth }, ...flatten(n.children ?? [], depth + 1)]);
}

function ProductForm({ product, categories, onSaved, onCancel }) {
  const opening = useOpeningFocus();
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, PRODUCT_FIELDS);
  const editing = !!product.id;
  const submit = async (event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const body = {
      sku: f.get('sku'),
      name: f.get('name'),
      description: f.get('description'),
      categoryId: f.get('categoryId'),
      priceMinor: toMinor(f.get('price')),
      unitLabel: f.get('unitLabel'),
      imageUrl: String(f.get('imageUrl')).trim() === '' ? null : f.get('imageUrl'),
      maxPerOrder: toInteger(f.get('maxPerOrder')),
      taxRateBp: toBasisPoints(f.get('taxRate')),
      active: f.get('active') === 'on',
    };
    if (!editing && body.imageUrl === null) delete body.imageUrl;
    const saved = await run(() =>
      editing
        ? api.patch(`/admin/products/${q(product.id)}`, body)
        : api.post('/admin/products', body),
    );
    if (saved) onSaved(saved);
  };
  const v = (x) => x ?? '';
  return html`<form
    ref=${opening}
    class="panel form"
    onSubmit=${submit}
    aria-label=${editing ? 'Edit product' : 'New product'}
  >
    <h2>${editing ? `Edit ${product.name}` : 'New product'}</h2>
    <div class="form-grid">
      <${Field} name="sku" label="SKU" errors=${errors}>
        <input
          id="f-sku"
          name="sku"
          required
          maxlength="64"
          value=${v(product.sku)}
          autocomplete="off"
        />
      <//>
      <${Field} name="name" label="Name" errors=${errors}>
        <input id="f-name" name="name" required maxlength="200" value=${v(product.name)} />
      <//>
      <${Field} name="categoryId" label="Category" errors=${errors}>
        <select id="f-categoryId" name="categoryId" required value=${v(product.categoryId)}>
          <option value="">Choose…</option>
          ${categories.map(
            (c) => html`<option value=${c.id}>${'\u2003'.repeat(c.depth)}${c.name}</option>`,
          )}
        </select>
      <//>
      <${Field} name="priceMinor" id="f-price" label="Price (₹, tax included)" errors=${errors}>
        <input
          id="f-price"
          name="price"
          required
          inputmode="decimal"
          value=${fromMinor(product.price?.amount)}
        />
      <//>
      <${Field} name="unitLabel" label="Unit" errors=${errors} hint="e.g. 500 g, 1 l, 6 pcs">
        <input id="f-unitLabel" name="unitLabel" required maxlength="40" value=${v(product.unit)} />
      <//>
      <${Field} name="taxRateBp" id="f-taxRate" label="GST rate (%)" errors=${errors}>
        <input
          id="f-taxRate"
          name="taxRate"
          inputmode="decimal"
          value=${fromBasisPoints(product.taxRateBp ?? 500)}
        />
      <//>
      <${Field} name="maxPerOrder" label="Most per order" errors=${errors}>
        <input
          id="f-maxPerOrder"
          name="maxPerOrder"
          inputmode="numeric"
          value=${v(product.maxPerOrder ?? 10)}
        />
      <//>
      <${Field} name="imageUrl" label="Image URL" errors=${errors} hint="https://…; empty for none">
        <input
          id="f-imageUrl"
          name="imageUrl"
          type="url"
          maxlength="2000"
          value=${v(product.imageUrl)}
        />
      <//>
      <div class="wide">
        <${Field} name="description" label="Description" errors=${errors}>
          <textarea id="f-description" name="description" maxlength="2000">
${v(product.description)}</textarea>
        <//>
      </div>
      <${Field} name="active" label="On sale" errors=${errors}>
        <input id="f-active" name="active" type="checkbox" checked=${product.active ?? true} />
      <//>
    </div>
    <${FormError} errors=${errors} />
    <div class="row">
      <button type="submit" class="primary" disabled=${busy}>
        ${editing ? 'Save product' : 'Create product'}
      </button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

function Products({ categories }) {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState(null);
  const [notice, setNotice] = useState('');
  const list = useApi(`/admin/products?limit=100${search ? `&q=${q(search)}` : ''}`);
  const [run, busy, error] = useAction();
  const names = useMemo(() => new Map(categories.map((c) => [c.id, c.name])), [categories]);
  const deactivate = async (p) => {
    const done = await run(() => api.delete(`/admin/products/${q(p.id)}`));
    if (done) {
      setNotice(`${p.name} is no longer on sale.`);
      list.reload();
    }
  };
  return html`<section class="panel" aria-labelledby="products-h">
      <div class="page-head">
        <h2 id="products-h">Products</h2>
        <button type="button" class="primary" onClick=${() => setEditing({})}>New product</button>
      </div>
      <form
        class="search"
        role="search"
        onSubmit=${(e) => {
          e.preventDefault();
          setSearch(draft.trim());
        }}
      >
        <label class="sr-only" for="product-search">SKU or name</label>
        <input
          id="product-search"
          type="search"
          maxlength="100"
          placeholder="SKU or name"
          value=${draft}
          onInput=${(e) => setDraft(e.currentTarget.value)}
        />
        <button type="submit">Find</button>
      </form>
      <p class="notice" role="status">${notice}</p>
      <${ErrorNotice} error=${list.error || error} />
      <div class="table-wrap">
        <table class="data" aria-busy=${list.loading ? 'true' : 'false'}>
          <thead>
            <tr>
              <th>SKU</th>
              <th>Name</th>
              <th>Category</th>
              <th class="num">Price</th>
              <th class="num">GST</th>
              <th>State</th>
              <th><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${(list.data?.items ?? []).map(
              (p) =>
                html`<tr key=${p.id} data-product=${p.id}>
                  <td class="mono">${p.sku}</td>
                  <td>
                    ${
                      ourImage(p.imageUrl)
                        ? html`<img class="thumb" src=${p.imageUrl} alt="" loading="lazy" />`
                        : null
                    }${p.name}
                  </td>
                  <td>${names.get(p.categoryId) ?? ''}</td>
                  <td class="num">${formatMoney(p.price)}</td>
                  <td class="num">${fromBasisPoints(p.taxRateBp)} %</td>
                  <td>
                    ${p.active ? html`<span class="badge" data-status="DELIVERED">On sale</span>` : html`<span class="badge" data-status="CANCELLED">Inactive</span>`}
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick=${() => setEditing(p)}
                      aria-label=${`Edit ${p.name}`}
                    >
                      Edit
                    </button>
                    ${
                      p.active
                        ? html` <button
                            type="button"
                            class="danger"
                            disabled=${busy}
                            onClick=${() => deactivate(p)}
                            aria-label=${`Deactivate ${p.name}`}
                          >
                            Deactivate
                          </button>`
                        : null
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${list.data?.nextCursor ? html`<p class="muted">More products: narrow the search.</p>` : null}
    </section>
    ${
      editing
        ? html`<${ProductForm}
            key=${editing.id ?? 'new'}
            product=${editing}
            categories=${categories}
            onCancel=${() => setEditing(null)}
            onSaved=${(p) => {
              setEditing(null);
              setNotice(`Saved ${p.name}.`);
              list.reload();
            }}
          />`
        : null
    }`;
}

function Categories({ categories, reload }) {
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, CATEGORY_FIELDS);
  const [notice, setNotice] = useState('');
  const create = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const body = { name: f.get('name'), slug: f.get('slug') };
    if (f.get('parentId')) body.parentId = f.get('parentId');
    const made = await run(() => api.post('/admin/categories', body));
    if (made) {
      form.reset();
      setNotice(`Added ${made.name}.`);
      reload();
    }
  };
  const remove = async (c) => {
    if (await run(() => api.delete(`/admin/categories/${q(c.id)}`).then(() => true))) {
      setNotice(`Deleted ${c.name}.`);
      reload();
    }
  };
  return html`<section class="panel" aria-labelledby="categories-h">
    <h2 id="categories-h">Categories</h2>
    <ul class="list">
      ${categories.map(
        (c) =>
          html`<li key=${c.id} class="row">
            <span
              >${'\u2003'.repeat(c.depth)}${c.name}
              <small class="muted mono">${c.slug}</small></span
            >
            <button
              type="button"
              class="link"
              disabled=${busy}
              onClick=${() => remove(c)}
              aria-label=${`Delete category ${c.name}`}
            >
              Delete
            </button>
          </li>`,
      )}
    </ul>
    <form class="form" onSubmit=${create} aria-label="New category">
      <h3>New category</h3>
      <${Field} name="name" id="c-name" label="Name" errors=${errors}>
        <input id="c-name" name="name" required maxlength="100" />
      <//>
      <${Field}
        name="slug"
        id="c-slug"
        label="Slug"
        errors=${errors}
        hint="lower-case-with-hyphens"
      >
        <input id="c-slug" name="slug" required maxlength="100" />
      <//>
      <${Field} name="parentId" id="c-parent" label="Inside" errors=${errors}>
        <select id="c-parent" name="parentId">
          <option value="">(top level)</option>
          ${categories.map((c) => html`<option value=${c.id}>${'\u2003'.repeat(c.depth)}${c.name}</option>`)}
        </select>
      <//>
      <${FormError} errors=${errors} />
      <p class="notice" role="status">${notice}</p>
      <div class="row"><button type="submit" disabled=${busy}>Add category</button></div>
    </form>
  </section>`;
}

function CatalogPage() {
  const tree = useApi('/categories');
  const categories = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  return html`<${PageHead} title="Catalog" />
    <${ErrorNotice} error=${tree.error} />
    <div class="split">
      <div><${Products} categories=${categories} /></div>
      <${Categories} categories=${categories} reload=${tree.reload} />
    </div>`;
}

mountConsole({ section: 'catalog', page: CatalogPage });
