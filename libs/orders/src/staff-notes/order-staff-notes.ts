import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '#libs/platform';

export const MAX_STAFF_NOTE_LENGTH = 1000;

export interface StaffNoteView {
  id: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: string;
}

/**
 * Store staff's internal notes on an order. A table of their own rather than an event type, so
 * that nothing reading order_events (the customer's timeline, the socket, notifications) can
 * ever show one.
 */
@Injectable()
export class OrderStaffNotes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(orderId: string, authorId: string, text: string): Promise<StaffNoteView> {
    const body = text.trim();
    if (!body || body.length > MAX_STAFF_NOTE_LENGTH)
      throw new DomainError(
        'VALIDATION_FAILED',
        `body must be 1 to ${MAX_STAFF_NOTE_LENGTH} characters`,
      );
    // The order must exist (an unknown id is a 404, not a foreign-key 500).
    const [row] = await this.dataSource.query(
      `INSERT INTO order_staff_notes (order_id, author_id, body)
       SELECT o.id, $2, $3 FROM orders o WHERE o.id = $1
       RETURNING id`,
      [orderId, authorId, body],
    );
    if (!row) throw new NotFoundError('Order');
    const [note] = await this.list(orderId, row.id);
    return note!;
  }

  /** Oldest first, with the author's name. */
  async list(orderId: string, onlyId?: string): Promise<StaffNoteView[]> {
    const rows: {
      id: string;
      author_id: string | null;
      author_name: string | null;
      body: string;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT n.id, n.author_id, u.name AS author_name, n.body, n.created_at
         FROM order_staff_notes n LEFT JOIN users u ON u.id = n.author_id
        WHERE n.order_id = $1 AND ($2::uuid IS NULL OR n.id = $2)
        ORDER BY n.created_at, n.id`,
      [orderId, onlyId ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      authorId: r.author_id,
      authorName: r.author_name,
      body: r.body,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
