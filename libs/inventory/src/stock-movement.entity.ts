import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STOCK_REASONS = [
  'restock',
  'adjustment',
  'order_reserved',
  'order_released',
  'short_pick',
] as const;
export type StockReason = (typeof STOCK_REASONS)[number];

/** One line of the append-only stock ledger. */
@Entity('stock_movements')
export class StockMovement {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid') storeId!: string;
  @Column('uuid') productId!: string;
  @Column({ type: 'integer' }) delta!: number;
  @Column({ type: 'integer' }) quantityAfter!: number;
  @Column({ type: 'text' }) reason!: StockReason;
  @Column({ type: 'uuid', nullable: true }) orderId!: string | null;
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) note!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
