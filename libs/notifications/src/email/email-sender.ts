import { Inject, Injectable } from '@nestjs/common';
import { AccountTokens, UsersService } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EmailDeliveries } from './email-deliveries.service.js';
import type { EmailDelivery } from './email-delivery.entity.js';
import { passwordResetEmail, verificationEmail, type EmailContent } from './email-templates.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * Sends one recorded email and marks it sent. Safe to run twice: a delivery already sent (or
 * dead) is not sent again. The edge that remains (SMTP accepted, the process died before the
 * mark) sends a second copy with the same Message-ID: docs/operations.md, "Email".
 */
@Injectable()
export class EmailSender {
  constructor(
    private readonly deliveries: EmailDeliveries,
    private readonly mailer: SmtpMailer,
    private readonly users: UsersService,
    private readonly tokens: AccountTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(deliveryId: string): Promise<string> {
    const delivery = await this.deliveries.get(deliveryId);
    if (!delivery) return 'no such delivery';
    if (delivery.state !== 'pending') return `already ${delivery.state}`;
    const user = await this.users.get(delivery.userId);
    const content = delivery.content ?? (await this.securityContent(delivery, user.name));
    await this.mailer.send({ ...content, to: user.email, messageId: delivery.messageId });
    await this.deliveries.markSent(delivery.id);
    return 'sent';
  }

  /**
   * A reset or verification email: its token is issued now (each attempt replaces the previous
   * attempt's token, which never reached anyone... or, at the edge above, reached them dead).
   */
  private async securityContent(delivery: EmailDelivery, name: string): Promise<EmailContent> {
    const base = this.config.email.publicBaseUrl;
    if (delivery.kind === 'password_reset') {
      const token = await this.tokens.issue(delivery.userId, 'password_reset');
      return passwordResetEmail({
        name,
        url: `${base}/reset?token=${token}`,
        validMinutes: Math.round(this.config.email.resetTtlSeconds / 60),
      });
    }
    if (delivery.kind === 'email_verification') {
      const token = await this.tokens.issue(delivery.userId, 'email_verification');
      return verificationEmail({
        name,
        url: `${base}/verify-email?token=${token}`,
        validHours: Math.round(this.config.email.verificationTtlSeconds / 3600),
      });
    }
    throw new Error(`email ${delivery.id} of kind ${delivery.kind} has no content`);
  }
}
