// Stock (issue 27's second half): a placeholder until its page is written.
import { mountConsole } from './layout.js';
import { placeholder } from './placeholder.js';

mountConsole({ section: 'stock', page: placeholder('stock') });
