import { Inject, Injectable } from '@nestjs/common';
import { UsersService, type Role } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';

export interface Credential {
  role: Role;
  email: string;
  password: string;
}

/** Demo accounts exist only outside production; there, only the env-configured admin is made. */
const DEMO_USERS: (Credential & { name: string })[] = [
  { role: 'admin', email: 'admin@flashcart.local', password: 'flashcart-admin', name: 'Demo Admin' },
  { role: 'customer', email: 'customer@flashcart.local', password: 'flashcart-customer', name: 'Demo Customer' },
  { role: 'rider', email: 'rider@flashcart.local', password: 'flashcart-rider', name: 'Demo Rider' },
];

/** `make seed`: idempotent demo data. */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seed(): Promise<Credential[]> {
    const credentials: Credential[] = [];
    const { email, password } = this.config.admin;
    if (email && password) {
      await this.createAdmin(email, password);
      credentials.push({ role: 'admin', email, password });
    }
    if (this.config.env !== 'production') {
      for (const demo of DEMO_USERS) {
        await this.users.upsert(demo);
        credentials.push({ role: demo.role, email: demo.email, password: demo.password });
      }
    }
    return credentials;
  }

  async createAdmin(email: string, password: string, name = 'Administrator'): Promise<void> {
    await this.users.upsert({ email, password, name, role: 'admin' });
  }
}
