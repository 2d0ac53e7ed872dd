// The console's shell: the menu between its pages, who is signed in, sign-out, and the page's
// own component in <main>. Every console page's module ends with `mountConsole({ ... })`.
import { api, ErrorNotice } from './api.js';
import { html, render, useEffect, useState } from './preact.js';

/** The menu, in this order on every page (Floor is the live board). */
export const SECTIONS = [
  { id: 'floor', label: 'Floor', href: '/admin/board' },
  { id: 'orders', label: 'Orders', href: '/admin/orders' },
  { id: 'catalog', label: 'Catalog', href: '/admin/catalog' },
  { id: 'stock', label: 'Stock', href: '/admin/stock' },
  { id: 'promotions', label: 'Promotions', href: '/admin/promotions' },
  { id: 'stores', label: 'Stores', href: '/admin/stores' },
  { id: 'people', label: 'People', href: '/admin/people' },
  { id: 'overview', label: 'Overview', href: '/admin/overview' },
];

/** Who is signed in (GET /v1/auth/me), read once per page. */
function useMe() {
  const [me, setMe] = useState(null);
  useEffect(() => {
    api.get('/auth/me').then(setMe, () => setMe(null));
  }, []);
  return me;
}

export function Nav({ section }) {
  return html`<nav class="console-nav" aria-label="Console">
    <ul>
      ${SECTIONS.map(
        (s) =>
          html`<li key=${s.id}>
            <a href=${s.href} aria-current=${s.id === section ? 'page' : undefined}>${s.label}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function SignOut() {
  return html`<form method="post" action="/admin/logout" class="sign-out">
    <button type="submit" class="link">Sign out</button>
  </form>`;
}

/** The top bar: brand, menu, an optional slot (store picker, live pill), who, sign-out. */
export function TopBar({ section, children }) {
  const me = useMe();
  return html`<header class="topbar console-top">
    <p class="brand">Flash<span>Cart</span> ops</p>
    <${Nav} section=${section} />
    ${children}
    <span class="spacer"></span>
    <span class="who" id="who" title=${me?.role ?? ''}>${me ? me.email : ''}</span>
    <${SignOut} />
  </header>`;
}

/** A page heading and its actions (buttons, links) on one line. */
export function PageHead({ title, children }) {
  return html`<div class="page-head">
    <h1>${title}</h1>
    ${children ? html`<div class="page-actions">${children}</div>` : null}
  </div>`;
}

/** Catches a page component's render error and shows it instead of a blank page. */
function Page({ component: Component }) {
  const [crash, setCrash] = useState(null);
  useEffect(() => {
    const onError = (event) => setCrash(event.reason ?? event.error ?? null);
    window.addEventListener('unhandledrejection', onError);
    return () => window.removeEventListener('unhandledrejection', onError);
  }, []);
  return html`${crash ? html`<${ErrorNotice} error=${crash} />` : null}<${Component} />`;
}

/**
 * Renders the console around a page: `mountConsole({ section: 'orders', page: OrdersPage })`.
 * `topbar` (optional) is extra content for the top bar (e.g. a store picker).
 */
export function mountConsole({ section, page, topbar }) {
  const root = document.getElementById('app');
  root.textContent = '';
  render(
    html`<${TopBar} section=${section}>${topbar ? html`<${topbar} />` : null}<//>
      <main id="main" class="console-main" tabindex="-1"><${Page} component=${page} /></main>`,
    root,
  );
}
