import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { Ratings } from './ratings.service.js';

/** The customer's ratings: exported; on erasure unlinked from them, comments deleted (scores stay). */
@Injectable()
export class RatingsPersonalData implements PersonalDataHolder {
  constructor(private readonly ratings: Ratings) {}

  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    return { ratings: await this.ratings.of(m, userId) };
  }

  eraseFor(m: EntityManager, userId: string): Promise<void> {
    return this.ratings.anonymise(m, userId);
  }
}
