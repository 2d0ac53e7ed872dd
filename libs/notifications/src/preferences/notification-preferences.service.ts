import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  SECURITY_KINDS,
  SWITCHABLE_KINDS,
  type EmailKind,
  type SwitchableKind,
} from './notification-kinds.js';

export interface PreferenceView {
  kind: EmailKind;
  inApp: boolean;
  email: boolean;
  /** Security mails: always sent, cannot be switched off. */
  locked: boolean;
}

export interface PreferenceChange {
  kind: SwitchableKind;
  inApp?: boolean;
  email?: boolean;
}

/** Which kinds reach a customer on which channel (in-app inbox, email). */
@Injectable()
export class NotificationPreferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(userId: string): Promise<PreferenceView[]> {
    const rows: { kind: string; in_app: boolean; email: boolean }[] = await this.dataSource.query(
      `SELECT kind, in_app, email FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    return [
      ...SWITCHABLE_KINDS.map((kind) => {
        const row = byKind.get(kind);
        return { kind, inApp: row?.in_app ?? true, email: row?.email ?? true, locked: false };
      }),
      ...SECURITY_KINDS.map((kind) => ({ kind, inApp: false, email: true, locked: true })),
    ];
  }

  /** Changes only the channels given; a kind not mentioned stays as it was. */
  async update(userId: string, changes: PreferenceChange[]): Promise<PreferenceView[]> {
    for (const change of changes) {
      await this.dataSource.query(
        `INSERT INTO notification_preferences (user_id, kind, in_app, email)
         VALUES ($1, $2, coalesce($3, true), coalesce($4, true))
         ON CONFLICT (user_id, kind) DO UPDATE
            SET in_app = coalesce($3, notification_preferences.in_app),
                email = coalesce($4, notification_preferences.email),
                updated_at = now()`,
        [userId, change.kind, change.inApp ?? null, change.email ?? null],
      );
    }
    return this.list(userId);
  }

  /** The channels for one kind (both on when the customer never chose). */
  async channels(
    userId: string,
    kind: SwitchableKind,
  ): Promise<{ inApp: boolean; email: boolean }> {
    const [row] = await this.dataSource.query(
      `SELECT in_app, email FROM notification_preferences WHERE user_id = $1 AND kind = $2`,
      [userId, kind],
    );
    return { inApp: row?.in_app ?? true, email: row?.email ?? true };
  }

  async exportFor(userId: string): Promise<PreferenceView[]> {
    return this.list(userId);
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM notification_preferences WHERE user_id = $1`, [userId]);
  }
}
