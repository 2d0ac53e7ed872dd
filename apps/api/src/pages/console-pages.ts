import type { Role } from '#libs/auth';

/**
 * The ops console's pages (docs/pages.md): each is the one shell (apps/api/pages/console.html)
 * with its own module `apps/api/pages/assets/console/<module>.js`, served at `path` to the
 * roles named here. The menu itself is in the browser (console/layout.js); adding a page is one
 * row here plus its module (the fuzz and link suites read this table too).
 */
export interface ConsolePage {
  /** the URL, Fastify syntax (`:orderId`); always under /admin (the cookie's path) */
  path: string;
  /** the page's module under /pages/console/ (without `.js`) */
  module: string;
  /** the document's title */
  title: string;
  /** who may open it; anyone else signed in gets the 403 page */
  roles: readonly Role[];
  /** a concrete URL of it for the link crawler, when `path` has parameters */
  example?: string;
}

const STAFF: readonly Role[] = ['admin'];

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { path: '/admin/orders', module: 'orders', title: 'Orders', roles: STAFF },
  {
    path: '/admin/orders/:orderId',
    module: 'order',
    title: 'Order',
    roles: STAFF,
    example: '/admin/orders/00000000-0000-4000-8000-000000000000',
  },
  { path: '/admin/catalog', module: 'catalog', title: 'Catalog', roles: STAFF },
  { path: '/admin/stock', module: 'stock', title: 'Stock', roles: STAFF },
  { path: '/admin/promotions', module: 'promotions', title: 'Promotions', roles: STAFF },
  { path: '/admin/stores', module: 'stores', title: 'Stores', roles: STAFF },
  { path: '/admin/people', module: 'people', title: 'People', roles: STAFF },
  { path: '/admin/overview', module: 'overview', title: 'Overview', roles: STAFF },
];
