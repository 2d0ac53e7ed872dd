import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalEmail, UsersService } from '#libs/auth';
import { JobProducer, type AccountEmailJob } from '#libs/jobs';
import { EmailDeliveries } from './email-deliveries.service.js';

/** Password reset and verification emails: asked for by address, or sent at signup. */
@Injectable()
export class AccountEmails {
  constructor(
    private readonly deliveries: EmailDeliveries,
    private readonly producer: JobProducer,
    private readonly users: UsersService,
  ) {}

  /**
   * The api's half: the same work whether or not the address has an account (one job enqueued,
   * no database read), so neither the answer nor its timing tells. A malformed address is a 400
   * for everyone alike.
   */
  async ask(kind: AccountEmailJob['kind'], email: string): Promise<void> {
    const canonical = canonicalEmail(email);
    if (!this.deliveries.enabled) return;
    await this.producer.requestAccountEmail({ kind, email: canonical, requestId: randomUUID() });
  }

  /** The worker's half: records the email if the account exists (and, to verify, is unverified). */
  async answer(job: AccountEmailJob): Promise<string> {
    const user = await this.users.findByEmail(job.email);
    if (!user || user.disabled) return 'no such account';
    if (job.kind === 'email_verification' && user.emailVerifiedAt) return 'already verified';
    await this.deliveries.record({ userId: user.id, kind: job.kind, dedupeKey: job.requestId });
    return 'recorded';
  }

  /** At signup: the first verification email. */
  verifyAfterSignup(userId: string): Promise<void> {
    return this.deliveries.record({ userId, kind: 'email_verification', dedupeKey: 'signup' });
  }
}
