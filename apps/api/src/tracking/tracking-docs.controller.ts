import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '#libs/platform';
import { renderPage } from '../pages/page-files.js';

/**
 * docs/tracking.md (linked from the Swagger UI description), rendered as a page in the look of
 * the other pages; the markdown stays the source and is served as-is at /docs/tracking.md.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'docs', version: VERSION_NEUTRAL })
export class TrackingDocsController {
  private readonly protocol = readFileSync(join(process.cwd(), 'docs', 'tracking.md'), 'utf8');
  /**
   * Our own document (trusted), rendered once, on the first request: `marked` (about 2 MB of
   * heap with its compiled rules) is loaded only by a process that is asked for the page.
   */
  private page?: Promise<string>;

  @Get('tracking')
  @Header('content-type', 'text/html; charset=utf-8')
  html(): Promise<string> {
    this.page ??= import('marked').then(
      ({ marked }) =>
        renderPage('docs', {
          title: 'Tracking protocol',
          contentHtml: marked.parse(this.protocol, { async: false }),
        }),
      (err: unknown) => {
        this.page = undefined; // the next request tries again
        throw err;
      },
    );
    return this.page;
  }

  @Get('tracking.md')
  @Header('content-type', 'text/markdown; charset=utf-8')
  markdown(): string {
    return this.protocol;
  }
}
