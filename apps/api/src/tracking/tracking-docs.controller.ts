import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '#libs/platform';

/** Serves docs/tracking.md (linked from the Swagger UI description) as plain text. */
@ApiExcludeController()
@Public()
@Controller({ path: 'docs/tracking', version: VERSION_NEUTRAL })
export class TrackingDocsController {
  private readonly protocol = readFileSync(join(process.cwd(), 'docs', 'tracking.md'), 'utf8');

  @Get()
  @Header('content-type', 'text/markdown; charset=utf-8')
  page(): string {
    return this.protocol;
  }
}
