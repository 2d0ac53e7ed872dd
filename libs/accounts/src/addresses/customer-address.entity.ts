import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A saved address of a customer (table `customer_addresses`, owned by libs/accounts). */
@Entity('customer_addresses')
export class CustomerAddress {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column({ type: 'varchar', length: 40 }) label!: string;
  @Column({ type: 'varchar', length: 200 }) line1!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) line2!: string | null;
  @Column({ type: 'varchar', length: 100 }) city!: string;
  @Column({ type: 'char', length: 6 }) pincode!: string;
  @Column('double precision') lat!: number;
  @Column('double precision') lng!: number;
  /** For the rider (gate code, landmark); travels with the order's address snapshot. */
  @Column({ type: 'varchar', length: 300, nullable: true }) instructions!: string | null;
  @Column('boolean') isDefault!: boolean;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
