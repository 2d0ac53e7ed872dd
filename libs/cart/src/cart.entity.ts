import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryAddress } from '#libs/orders';

/** Where a cart is delivered: an order's address. */
export type CartAddress = DeliveryAddress;

/** A customer's one cart (table `carts`, owned by this lib); its store serves its address. */
@Entity('carts')
export class Cart {
  @PrimaryColumn('uuid') userId!: string;
  @Column({ type: 'uuid', nullable: true }) storeId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) address!: CartAddress | null;
  @Column({ type: 'text', nullable: true }) promoCode!: string | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}

/** A line of a cart, with the price it had when it was added (to say what changed since). */
@Entity('cart_lines')
export class CartLine {
  @PrimaryColumn('uuid') userId!: string;
  @PrimaryColumn('uuid') productId!: string;
  @Column('integer') quantity!: number;
  @Column('integer') addedUnitPriceMinor!: number;
  @Column('timestamptz') addedAt!: Date;
}
