import {
  loadVendorFiles,
  rewriteBareImports,
  VENDOR_FILES,
  VENDOR_PREFIX,
} from './vendor-modules.js';

describe('the vendor modules served to the pages', () => {
  it('leaves no bare import in a module that imports others (the browser could not resolve it)', () => {
    const files = loadVendorFiles();
    for (const [name, { body }] of files) {
      if (!VENDOR_FILES[name]!.imports) continue; // the others import nothing (checked in Chromium)
      const imports = [...body.matchAll(/\b(?:from|import)\s*["']([^"']+)["']/g)].map((m) => m[1]);
      for (const spec of imports) expect(`${name}: ${spec}`).toMatch(/: \/pages\/vendor\//);
    }
    expect(files.get('htm-preact.mjs')!.body).toContain(`from"${VENDOR_PREFIX}preact.mjs"`);
    expect(files.get('preact-hooks.mjs')!.body).toContain(`from"${VENDOR_PREFIX}preact.mjs"`);
  });

  it('refuses a bare import it has no URL for, instead of serving a broken module', () => {
    expect(() => rewriteBareImports('import x from "left-pad";', 'x.js')).toThrow(/left-pad/);
    expect(rewriteBareImports('import "./local.js"', 'x.js')).toBe('import "./local.js"');
  });
});
