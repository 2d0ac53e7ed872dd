// A console page not built yet: the shell and a sentence. Replaced by the page's own module.
import { PageHead, SECTIONS } from './layout.js';
import { html } from './preact.js';

export function placeholder(section) {
  const { label } = SECTIONS.find((s) => s.id === section);
  return function Placeholder() {
    return html`<${PageHead} title=${label} />
      <p class="panel">This page is not built yet; the REST API has what it needs.</p>`;
  };
}
