import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('products')
export class Product {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64 }) sku!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'text' }) description!: string;
  @Column('uuid') categoryId!: string;
  /** Integer paise; money is never a float. */
  @Column({ type: 'integer' }) priceMinor!: number;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 40 }) unitLabel!: string;
  @Column({ type: 'text', nullable: true }) imageUrl!: string | null;
  @Column({ type: 'integer' }) maxPerOrder!: number;
  /** GST rate included in the price, in basis points (500 = 5 %). */
  @Column({ type: 'integer' }) taxRateBp!: number;
  @Column({ type: 'boolean' }) active!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
