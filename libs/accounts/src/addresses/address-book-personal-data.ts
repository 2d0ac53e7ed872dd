import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { AddressBook } from './address-book.service.js';

/** The address book: exported as stored, deleted on erasure. */
@Injectable()
export class AddressBookPersonalData implements PersonalDataHolder {
  constructor(private readonly book: AddressBook) {}

  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const rows = await this.book.all(m, userId);
    return {
      addresses: rows.map((a) => ({
        id: a.id,
        label: a.label,
        line1: a.line1,
        ...(a.line2 ? { line2: a.line2 } : {}),
        city: a.city,
        pincode: a.pincode.trim(),
        lat: a.lat,
        lng: a.lng,
        ...(a.instructions ? { instructions: a.instructions } : {}),
        isDefault: a.isDefault,
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      })),
    };
  }

  eraseFor(m: EntityManager, userId: string): Promise<void> {
    return this.book.removeAll(m, userId);
  }
}
