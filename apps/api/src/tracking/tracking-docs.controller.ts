import { Controller, Get, Header, NotFoundException, Req, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Tokens } from 'marked';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { Public } from '#libs/platform';
import { renderPage } from '../pages/page-files.js';

/**
 * The documents served as pages at `/docs/<name>` (their markdown, still the source, at
 * `/docs/<name>.md`): the tracking protocol (linked from the Swagger UI description) and what a
 * frontend reader follows from it (README.md, "building a frontend"), so that the links between
 * them work. Paths are from the repository root, which is the process's working directory.
 */
export const DOC_PAGES: Record<string, { file: string; title: string }> = {
  tracking: { file: 'docs/tracking.md', title: 'Tracking protocol' },
  api: { file: 'docs/api.md', title: 'The REST API' },
  dispatch: { file: 'docs/dispatch.md', title: 'Dispatch' },
  accounts: { file: 'docs/accounts.md', title: 'Accounts: addresses, ratings, data rights' },
  architecture: { file: 'docs/architecture.md', title: 'Architecture' },
  client: { file: 'clients/typescript/README.md', title: 'TypeScript client' },
};
const PAGE_OF_FILE = new Map(Object.entries(DOC_PAGES).map(([name, d]) => [d.file, name]));

/**
 * Where a link of the document `from` points on this server: a served document's page (with its
 * #fragment), or as written (an anchor, another site); `undefined` for a repository file that is
 * not served (shown as text, never as a link that answers 404).
 */
export function servedHref(from: string, href: string): string | undefined {
  if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(href)) return href;
  const [path = '', fragment] = href.split('#');
  const page = PAGE_OF_FILE.get(posix.normalize(posix.join(posix.dirname(from), path)));
  if (!page) return undefined;
  return fragment === undefined ? `/docs/${page}` : `/docs/${page}#${fragment}`;
}

/** `api` of `/docs/api?x`: the last segment of the path. */
const pageOf = (request: FastifyRequest) => request.url.split('?')[0]!.split('/').pop()!;

/** GitHub's heading anchors (`## The outbox` → `#the-outbox`), so that links written for it work. */
function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text
      .replace(/<[^>]*>/g, '')
      .replace(/&(amp|lt|gt|quot|#39);/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

/** Our own documents (trusted markdown) as HTML, links mapped by servedHref. */
async function renderDocument(file: string, markdown: string): Promise<string> {
  const { Marked } = await import('marked');
  const slug = slugger();
  const marked = new Marked({
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const html = this.parser.parseInline(tokens);
        return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const html = this.parser.parseInline(tokens);
        const target = servedHref(file, href);
        if (target === undefined) return html;
        const titled = title ? ` title="${title.replace(/"/g, '&quot;')}"` : '';
        return `<a href="${target.replace(/"/g, '%22')}"${titled}>${html}</a>`;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

@ApiExcludeController()
@Public()
@Controller({ path: 'docs', version: VERSION_NEUTRAL })
export class TrackingDocsController {
  private readonly sources = new Map<string, string>();
  /**
   * Rendered once per document, on its first request: `marked` (about 2 MB of heap with its
   * compiled rules) is loaded only by a process that is asked for a page.
   */
  private readonly pages = new Map<string, Promise<string>>();

  // Each document's own two routes, not `:page`: that would shadow Swagger UI's files under /docs/.
  @Get(Object.keys(DOC_PAGES))
  @Header('content-type', 'text/html; charset=utf-8')
  html(@Req() request: FastifyRequest): Promise<string> {
    const page = pageOf(request);
    let html = this.pages.get(page);
    if (!html) {
      const { file, title } = this.document(page);
      html = renderDocument(file, this.source(page)).then((contentHtml) =>
        renderPage('docs', { title, source: `/docs/${page}.md`, contentHtml }),
      );
      html.catch(() => this.pages.delete(page)); // the next request tries again
      this.pages.set(page, html);
    }
    return html;
  }

  @Get(Object.keys(DOC_PAGES).map((page) => `${page}.md`))
  @Header('content-type', 'text/markdown; charset=utf-8')
  markdown(@Req() request: FastifyRequest): string {
    return this.source(pageOf(request).replace(/\.md$/, ''));
  }

  private document(page: string): { file: string; title: string } {
    const doc = Object.hasOwn(DOC_PAGES, page) ? DOC_PAGES[page] : undefined;
    if (!doc) throw new NotFoundException(`No document named ${page}`);
    return doc;
  }

  private source(page: string): string {
    const doc = this.document(page);
    let text = this.sources.get(page);
    if (text === undefined) {
      text = readFileSync(doc.file, 'utf8');
      this.sources.set(page, text);
    }
    return text;
  }
}
