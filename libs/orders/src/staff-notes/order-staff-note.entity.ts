import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An internal note of store staff on an order: staff only, never on the customer's timeline. */
@Entity('order_staff_notes')
export class OrderStaffNote {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') orderId!: string;
  @Column({ type: 'uuid', nullable: true }) authorId!: string | null;
  @Column({ type: 'text' }) body!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
