import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const ROLES = ['customer', 'rider', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** As canonicalEmail() makes it (trimmed, NFKC, lower case), unique. */
  @Column({ type: 'varchar', length: 254 }) email!: string;
  @Column({ type: 'text', select: false }) passwordHash!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) phone!: string | null;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'boolean' }) disabled!: boolean;
  /** Set when the account was erased (data rights): the row stays for the orders that refer to it. */
  @Column({ type: 'timestamptz', nullable: true }) erasedAt!: Date | null;
  /** Set when the user followed the link of a verification email. */
  @Column({ type: 'timestamptz', nullable: true }) emailVerifiedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
