/**
 * The words of every email: a plain-text and an HTML body from the same parts. Every value put
 * into the HTML goes through `escapeHtml` (names, addresses and reasons are typed by people).
 */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

interface Parts {
  subject: string;
  greeting: string;
  lines: string[];
  action?: { label: string; url: string };
  footer: string;
}

function compose({ subject, greeting, lines, action, footer }: Parts): EmailContent {
  const text = [
    greeting,
    '',
    ...lines,
    ...(action ? ['', `${action.label}: ${action.url}`] : []),
    '',
    '-- ',
    footer,
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; color: #222; max-width: 560px">
<p>${escapeHtml(greeting)}</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
${
  action
    ? `<p><a href="${escapeHtml(action.url)}" style="display: inline-block; padding: 10px 16px; background: #0a7; color: #fff; text-decoration: none; border-radius: 4px">${escapeHtml(action.label)}</a></p>
<p style="font-size: 12px; color: #666">${escapeHtml(action.url)}</p>`
    : ''
}
<p style="font-size: 12px; color: #666">${escapeHtml(footer)}</p>
</body></html>`;
  return { subject, text, html };
}

const ORDER_FOOTER =
  'You receive this because you ordered from FlashCart. Choose which emails you get in your notification preferences.';
const SECURITY_FOOTER =
  'You receive this because someone asked for it with your email address. If it was not you, ignore this email.';

/** An order event for its customer: what happened (order-labels words), the order, a link. */
export function orderEmail(input: {
  name: string;
  title: string;
  body: string;
  shortId: string;
  storeName: string;
  total: string;
  itemCount: number;
  trackUrl: string;
}): EmailContent {
  return compose({
    subject: `${input.title}: order ${input.shortId}`,
    greeting: `Hi ${input.name},`,
    lines: [
      // "Delivered" has the same title and status: say it once.
      input.title === input.body ? `${input.title}.` : `${input.title}. ${input.body}.`,
      `Order ${input.shortId} from ${input.storeName}: ${input.itemCount} item${input.itemCount === 1 ? '' : 's'}, ${input.total}.`,
    ],
    action: { label: 'See your order', url: input.trackUrl },
    footer: ORDER_FOOTER,
  });
}

export function passwordResetEmail(input: {
  name: string;
  url: string;
  validMinutes: number;
}): EmailContent {
  return compose({
    subject: 'Reset your FlashCart password',
    greeting: `Hi ${input.name},`,
    lines: [
      'Someone (we hope you) asked to reset the password of your FlashCart account.',
      `The link works once, for ${input.validMinutes} minutes; asking again replaces it. Resetting signs you out everywhere.`,
    ],
    action: { label: 'Choose a new password', url: input.url },
    footer: SECURITY_FOOTER,
  });
}

export function verificationEmail(input: {
  name: string;
  url: string;
  validHours: number;
}): EmailContent {
  return compose({
    subject: 'Confirm your email address for FlashCart',
    greeting: `Hi ${input.name},`,
    lines: [
      'Please confirm that this is your email address.',
      `The link works once, for ${input.validHours} hours.`,
    ],
    action: { label: 'Confirm my email', url: input.url },
    footer: SECURITY_FOOTER,
  });
}
