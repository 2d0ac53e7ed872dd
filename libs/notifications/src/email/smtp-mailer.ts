import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { EmailContent } from './email-templates.js';

export interface OutgoingEmail extends EmailContent {
  to: string;
  messageId: string;
}

/** nodemailer over SMTP_URL (STARTTLS when the server offers it; smtps:// for implicit TLS). */
@Injectable()
export class SmtpMailer implements OnApplicationShutdown {
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private transporter(): Transporter {
    const { smtpUrl, sendTimeoutMs } = this.config.email;
    this.transport ??= nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: sendTimeoutMs,
      greetingTimeout: sendTimeoutMs,
      socketTimeout: sendTimeoutMs,
    });
    return this.transport;
  }

  /** Resolves once the server accepted the message (250 after DATA). */
  async send(email: OutgoingEmail): Promise<void> {
    await this.transporter().sendMail({
      from: this.config.email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
