import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UsersService, type Role } from '#libs/auth';
import type { HttpClient, HttpResult } from './http-client.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomUUID().slice(0, 12)}@test.flashcart.dev`;
}

/** Signs a new customer up through the API. */
export async function signup(http: HttpClient, tag = 'customer'): Promise<TestUser> {
  const email = uniqueEmail(tag);
  const password = `pw-${randomUUID()}`;
  const res = await http.post('/v1/auth/signup', { email, password, name: `Test ${tag}` });
  if (res.status !== 201)
    throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password, ...res.body };
}

/** A user with the given role (made through the service, as the CLI does), logged in. */
export async function userWithRole(
  app: INestApplicationContext,
  http: HttpClient,
  role: Role,
): Promise<TestUser> {
  const email = uniqueEmail(role);
  const password = `pw-${randomUUID()}`;
  await app.get(UsersService).upsert({ email, password, name: `Test ${role}`, role });
  const res = await http.post('/v1/auth/login', { email, password });
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password, ...res.body };
}

/** Places an order of one product through the API with a fresh Idempotency-Key. */
export function placeOrder(
  http: HttpClient,
  token: string,
  order: { productId: string; quantity: number; address: object },
): Promise<HttpResult> {
  return http.post(
    '/v1/orders',
    { items: [{ productId: order.productId, quantity: order.quantity }], address: order.address },
    { token, headers: { 'idempotency-key': randomUUID() } },
  );
}
