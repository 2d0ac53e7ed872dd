import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the browser loads the libraries the pages use, all from installed packages (no CDN). */
export const VENDOR_PREFIX = '/pages/vendor/';

interface VendorFile {
  /** the file under node_modules */
  source: string;
  type: 'text/javascript' | 'text/css';
  /** imports other modules by bare name (rewritten to our URLs) */
  imports?: true;
}

/**
 * The pages' libraries by the name they are served under. Preact, its hooks and htm are ES
 * modules that import each other by bare name ("preact"); a browser resolves those only through
 * an import map, which would be an inline script (refused by our CSP). So each is served with its
 * bare imports rewritten to these URLs, once at start-up: one preact instance for every module.
 */
export const VENDOR_FILES: Record<string, VendorFile> = {
  'socket.io.esm.min.js': {
    source: 'socket.io/client-dist/socket.io.esm.min.js',
    type: 'text/javascript',
  },
  'preact.mjs': { source: 'preact/dist/preact.mjs', type: 'text/javascript' },
  'preact-hooks.mjs': {
    source: 'preact/hooks/dist/hooks.mjs',
    type: 'text/javascript',
    imports: true,
  },
  'htm.mjs': { source: 'htm/dist/htm.module.js', type: 'text/javascript' },
  'htm-preact.mjs': {
    source: 'htm/preact/index.module.js',
    type: 'text/javascript',
    imports: true,
  },
  'uplot.mjs': { source: 'uplot/dist/uPlot.esm.js', type: 'text/javascript' },
  'uplot.css': { source: 'uplot/dist/uPlot.min.css', type: 'text/css' },
};

/** Bare module names the vendor files import, and the URL each is served under. */
const BARE_IMPORTS: Record<string, string> = {
  preact: `${VENDOR_PREFIX}preact.mjs`,
  'preact/hooks': `${VENDOR_PREFIX}preact-hooks.mjs`,
  htm: `${VENDOR_PREFIX}htm.mjs`,
};

/** `from"preact"` / `import "htm"` → the served URL; any other bare name is an error at start-up. */
export function rewriteBareImports(code: string, file: string): string {
  return code.replace(
    /(\bfrom\s*|\bimport\s*)(["'])([^"'./][^"']*)\2/g,
    (_whole, keyword: string, quote: string, name: string) => {
      const url = BARE_IMPORTS[name];
      if (!url) throw new Error(`${file} imports "${name}", which the pages do not serve`);
      return `${keyword}${quote}${url}${quote}`;
    },
  );
}

/** Every vendor file's served text, read (and rewritten) once. */
export function loadVendorFiles(
  nodeModules = join(process.cwd(), 'node_modules'),
): Map<string, { body: string; type: string }> {
  const files = new Map<string, { body: string; type: string }>();
  for (const [name, { source, type, imports }] of Object.entries(VENDOR_FILES)) {
    const text = readFileSync(join(nodeModules, source), 'utf8');
    files.set(name, {
      body: imports ? rewriteBareImports(text, source) : text,
      type: `${type}; charset=utf-8`,
    });
  }
  return files;
}
