import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rider's shift: the store they work for, on shift or not, and their last known position. */
@Entity('rider_shifts')
export class RiderShift {
  @PrimaryColumn('uuid') riderId!: string;
  @Column('uuid') storeId!: string;
  @Column({ type: 'boolean' }) onShift!: boolean;
  /** When the rider last went on or off shift. */
  @Column({ type: 'timestamptz' }) since!: Date;
  @Column({ type: 'double precision', nullable: true }) lastLat!: number | null;
  @Column({ type: 'double precision', nullable: true }) lastLng!: number | null;
  @Column({ type: 'timestamptz', nullable: true }) positionAt!: Date | null;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}
