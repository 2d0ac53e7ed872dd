import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A dark store: a small warehouse serving a radius around it. */
@Entity('stores')
export class Store {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 32 }) code!: string;
  @Column({ type: 'double precision' }) latitude!: number;
  @Column({ type: 'double precision' }) longitude!: number;
  @Column({ type: 'integer' }) serviceRadiusM!: number;
  /** Local opening time "HH:MM:SS"; opensAt = closesAt means open around the clock. */
  @Column({ type: 'time' }) opensAt!: string;
  @Column({ type: 'time' }) closesAt!: string;
  @Column({ type: 'text' }) timezone!: string;
  @Column({ type: 'boolean' }) active!: boolean;
  /** A manual "closed now" over the opening hours: no new orders while set (placement, carts). */
  @Column({ type: 'boolean' }) closedNow!: boolean;
  /** Orders the store may hold in PLACED + PACKED at once; placement refuses (STORE_BUSY) beyond. */
  @Column({ type: 'integer' }) maxOpenOrders!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
