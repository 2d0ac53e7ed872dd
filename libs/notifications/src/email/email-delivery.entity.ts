import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EmailContent } from './email-templates.js';

export const EMAIL_DELIVERY_STATES = ['pending', 'sent', 'dead'] as const;
export type EmailDeliveryState = (typeof EMAIL_DELIVERY_STATES)[number];

/**
 * One email to one user, recorded before it is sent; (user, kind, dedupe key) is unique, so an
 * event recorded twice is still one email. `content` is rendered when recorded (order emails) or
 * at send time (security emails: their link carries a token issued then, never stored).
 */
@Entity('email_deliveries')
export class EmailDelivery {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'varchar', length: 200 }) dedupeKey!: string;
  @Column({ type: 'uuid', nullable: true }) orderId!: string | null;
  @Column({ type: 'text' }) state!: EmailDeliveryState;
  @Column({ type: 'jsonb', nullable: true }) content!: EmailContent | null;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ type: 'integer' }) generation!: number;
  @Column({ type: 'text', nullable: true }) lastError!: string | null;
  /** Stable per delivery: a copy sent twice (the at-least-once edge) carries the same id. */
  @Column({ type: 'text' }) messageId!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
}
