// Forms of the console's management pages (catalog, stock, promotions, stores, people): the
// API's 400 messages name their field ("priceMinor must be an integer"), so each message is shown
// under its field, and anything not tied to a field above the buttons. Values are sent as the
// API takes them (integers in paise, basis points); what cannot be converted is sent as typed, so
// the API refuses it by name instead of the page guessing.
import { ApiError, ErrorNotice } from './api.js';
import { html, useEffect, useRef } from './preact.js';

/** `{ field: message }` for the messages that start with one of `fields`, plus `_` for the rest. */
export function fieldErrors(error, fields) {
  if (!error) return {};
  if (!(error instanceof ApiError) || error.status !== 400) return { _: error };
  const byField = {};
  const rest = [];
  for (const part of error.message.split('; ')) {
    const name = /^([A-Za-z][\w]*)/.exec(part)?.[1];
    if (name && fields.includes(name))
      byField[name] = byField[name] ? `${byField[name]}; ${part}` : part;
    else rest.push(part);
  }
  if (rest.length)
    byField._ = Object.assign(new ApiError(400, { code: error.code, message: rest.join('; ') }), {
      requestId: error.requestId,
    });
  return byField;
}

/**
 * One labelled control with its error: `<${Field} name="sku" label="SKU" errors=${errors}>
 * <input …/></${Field}>`. The control gets its id from `id` (default `f-<name>`).
 */
export function Field({ name, label, errors, hint, children, id = `f-${name}` }) {
  const error = errors?.[name];
  return html`<div class="field" data-field=${name}>
    <label for=${id}>${label}</label>
    ${children} ${hint ? html`<small class="muted" id=${`${id}-hint`}>${hint}</small>` : null}
    ${error ? html`<small class="error field-error" id=${`${id}-error`} role="alert">${error}</small>` : null}
  </div>`;
}

/** The form-wide error (not tied to a field). */
export const FormError = ({ errors }) => html`<${ErrorNotice} error=${errors?._} />`;

/** "45.50" → 4550 (paise) without floating point; anything else comes back as typed. */
export function toMinor(text) {
  const t = String(text).trim();
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return t;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 4550 → "45.50" (for an input's value). */
export const fromMinor = (minor) =>
  minor === null || minor === undefined
    ? ''
    : `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;

/** "5" or "2.5" (percent) → 500 / 250 basis points; anything else as typed. */
export function toBasisPoints(text) {
  const t = String(text).trim();
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return t;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const fromBasisPoints = (bp) =>
  bp === null || bp === undefined
    ? ''
    : bp % 100
      ? `${Math.trunc(bp / 100)}.${String(bp % 100)
          .padStart(2, '0')
          .replace(/0$/, '')}`
      : String(bp / 100);

/** A whole number typed in a form → number; anything else as typed (the API names it). */
export function toInteger(text) {
  const t = String(text).trim();
  return /^-?\d{1,12}$/.test(t) ? Number(t) : t;
}

/** Drops the keys whose value is '' (an empty optional field means "leave it"). */
export const withoutEmpty = (values) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined));

/**
 * A ref for a form that opens on demand (edit, adjust): on opening, its first field gets the
 * focus and the form scrolls into view (on a phone it opens below the list).
 */
export function useOpeningFocus() {
  const ref = useRef(null);
  useEffect(() => {
    const form = ref.current;
    if (!form) return;
    form.scrollIntoView({ block: 'nearest' });
    form.querySelector('input:not([type="hidden"]), select, textarea')?.focus();
  }, []);
  return ref;
}
