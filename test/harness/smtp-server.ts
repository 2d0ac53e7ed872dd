import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './app-process.js';

/**
 * A real SMTP server inside the test (smtp-server), collecting each accepted message parsed
 * (mailparser). `stop()` and `start()` take it away and bring it back on the same port; `holdMs`
 * delays the answer to DATA (a send in flight, for kill tests): a message is collected only once
 * accepted.
 */
export class TestSmtp {
  readonly messages: ParsedMail[] = [];
  holdMs = 0;
  /** Recipients refused with a permanent 550 at RCPT TO. */
  readonly refused = new Set<string>();
  /** Messages whose DATA arrived (accepted or not yet). */
  received = 0;
  /** Called right after a message is accepted (kill tests). */
  onAccepted?: (mail: ParsedMail) => void;
  private server?: SMTPServer;
  private readonly closed = new Set<string>();

  private constructor(readonly port: number) {}

  static async start(): Promise<TestSmtp> {
    const smtp = new TestSmtp(await freePort());
    await smtp.start();
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 100,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address.toLowerCase())) return callback();
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      },
      onClose: (session) => this.closed.add(session.id),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            this.received++;
            if (this.holdMs > 0) await new Promise((r) => setTimeout(r, this.holdMs));
            // The client hung up before hearing 250: not accepted.
            if (this.server !== server || this.closed.has(session.id)) {
              return callback(new Error('not accepted'));
            }
            this.messages.push(mail);
            callback();
            this.onAccepted?.(mail);
          })
          .catch((err: Error) => callback(err));
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages to an address (optionally with a subject matching), waiting up to `timeoutMs` for at least `count`. */
  async waitFor(
    to: string,
    count = 1,
    timeoutMs = 15_000,
    subject?: RegExp,
  ): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(to, subject);
      if (found.length >= count || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  to(address: string, subject?: RegExp): ParsedMail[] {
    return this.messages.filter(
      (m) =>
        addressesOf(m).includes(address.toLowerCase()) &&
        (!subject || subject.test(m.subject ?? '')),
    );
  }
}

function addressesOf(mail: ParsedMail): string[] {
  const to = [mail.to ?? []].flat();
  return to.flatMap((t) => t.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** The token of the first link in a message's text (`…?token=…`). */
export function tokenIn(mail: ParsedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no token link in: ${mail.text}`);
  return match[1]!;
}
