import { Injectable } from '@nestjs/common';
import { AddressBook } from '#libs/accounts';
import type { DeliveryAddress } from '#libs/orders';
import { DomainError } from '#libs/platform';

/** A request's delivery address: given inline, or one of the caller's saved addresses by id. */
export interface AddressChoice {
  address?: DeliveryAddress;
  addressId?: string;
}

/**
 * Turns `address` or `addressId` into the snapshot the cart or order keeps (a copy: editing or
 * deleting the saved address later changes nothing). Another customer's address id is a 404.
 */
@Injectable()
export class DeliveryAddressChoice {
  constructor(private readonly book: AddressBook) {}

  async resolve(userId: string, choice: AddressChoice): Promise<DeliveryAddress> {
    if (choice.address !== undefined && choice.addressId !== undefined)
      throw new DomainError('VALIDATION_FAILED', 'send either address or addressId, not both');
    if (choice.addressId !== undefined) return this.book.deliveryAddress(userId, choice.addressId);
    if (choice.address === undefined)
      throw new DomainError('VALIDATION_FAILED', 'address or addressId is required');
    return choice.address;
  }
}
