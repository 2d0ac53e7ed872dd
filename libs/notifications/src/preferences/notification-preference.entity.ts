import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer's choice for one kind; no row = every channel on. */
@Entity('notification_preferences')
export class NotificationPreference {
  @PrimaryColumn('uuid') userId!: string;
  @PrimaryColumn({ type: 'text' }) kind!: string;
  @Column({ type: 'boolean' }) inApp!: boolean;
  @Column({ type: 'boolean' }) email!: boolean;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}
