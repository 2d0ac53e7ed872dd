import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { Cart, CartLine } from './cart.entity.js';

/** The cart (its address is personal): exported as stored, deleted with its lines on erasure. */
@Injectable()
export class CartPersonalData implements PersonalDataHolder {
  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const cart = await m.findOneBy(Cart, { userId });
    if (!cart) return {};
    const lines = await m.find(CartLine, { where: { userId }, order: { addedAt: 'ASC' } });
    return {
      cart: {
        ...(cart.address ? { address: cart.address } : {}),
        ...(cart.storeId ? { storeId: cart.storeId } : {}),
        ...(cart.promoCode ? { promoCode: cart.promoCode } : {}),
        lines: lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          addedAt: l.addedAt.toISOString(),
        })),
        updatedAt: cart.updatedAt.toISOString(),
      },
    };
  }

  async eraseFor(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM carts WHERE user_id = $1`, [userId]); // its lines cascade
  }
}
