import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pages' files: HTML templates here, their scripts and styles under assets/ (served as-is). */
export const PAGES_DIR = join(process.cwd(), 'apps', 'api', 'pages');
export const ASSETS_DIR = join(PAGES_DIR, 'assets');

export type PageName =
  'login' | 'board' | 'track' | 'forbidden' | 'cross-origin' | 'docs' | 'console';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

const templates = new Map<PageName, string>();

function template(name: PageName): string {
  let text = templates.get(name);
  if (text === undefined) {
    text = readFileSync(join(PAGES_DIR, `${name}.html`), 'utf8');
    templates.set(name, text);
  }
  return text;
}

/**
 * A page with its `{{slots}}` filled: text is HTML-escaped; a slot named `*Html` takes trusted
 * markup (rendered by us, e.g. the protocol document). Pages are never cached: they depend on the
 * session.
 */
export function renderPage(name: PageName, slots: Record<string, string> = {}): string {
  return template(name).replace(/\{\{(\w+)\}\}/g, (_, slot: string) => {
    const value = slots[slot] ?? '';
    return slot.endsWith('Html') ? value : escapeHtml(value);
  });
}

export function sendPage(
  reply: FastifyReply,
  name: PageName,
  status = 200,
  slots: Record<string, string> = {},
): FastifyReply {
  const html = renderPage(name, slots);
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}
