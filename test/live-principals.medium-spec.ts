import { randomUUID } from 'node:crypto';
import {
  AccessTokens,
  AuthService,
  LivePrincipals,
  SessionsService,
  UsersService,
  type AccessClaims,
} from '#libs/auth';
import { ServiceContext } from './harness/service-context.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(10);
  expect(condition()).toBe(true);
}

/**
 * The token check without a round trip (docs/api.md, "Revocation is immediate"): two processes
 * on one PostgreSQL and Redis. What one of them ends or changes, the other forgets at once.
 */
describe('live principals', () => {
  let a: ServiceContext;
  let b: ServiceContext;

  beforeAll(async () => {
    [a, b] = await Promise.all([ServiceContext.start(), ServiceContext.start()]);
    await until(() => a.module.get(LivePrincipals).subscribed);
    await until(() => b.module.get(LivePrincipals).subscribed);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  async function login(): Promise<{ claims: AccessClaims; userId: string }> {
    const pair = await a.module.get(AuthService).signup({
      email: `lp-${randomUUID()}@test.flashcart.dev`,
      password: `pw-${randomUUID()}`,
      name: 'Live',
    });
    return {
      claims: await a.module.get(AccessTokens).verify(pair.accessToken),
      userId: pair.user.id,
    };
  }

  const principalOn = (ctx: ServiceContext, claims: AccessClaims) =>
    ctx.module.get(SessionsService).principalOf(claims);

  it('remembers a live session: the second check asks nobody', async () => {
    const { claims } = await login();
    const live = b.module.get(LivePrincipals);
    expect(live.get(claims.sub, claims.sid)).toBeUndefined();
    expect(await principalOn(b, claims)).toEqual({ userId: claims.sub, role: 'customer' });
    expect(live.get(claims.sub, claims.sid)).toBe('customer');
  });

  it('a logout in one process ends the session in the other at once', async () => {
    const { claims } = await login();
    expect(await principalOn(b, claims)).not.toBeNull(); // remembered by b
    await a.module.get(SessionsService).logout(claims);
    await until(() => b.module.get(LivePrincipals).get(claims.sub, claims.sid) === undefined, 500);
    expect(await principalOn(b, claims)).toBeNull();
  });

  it('a role change or disabling in one process applies in the other at once', async () => {
    const { claims, userId } = await login();
    expect(await principalOn(b, claims)).toMatchObject({ role: 'customer' });
    const users = a.module.get(UsersService);
    const admin = randomUUID(); // the actor is only compared with the target
    await users.update(admin, userId, { role: 'rider' });
    await until(() => b.module.get(LivePrincipals).get(claims.sub, claims.sid) !== 'customer', 500);
    expect(await principalOn(b, claims)).toMatchObject({ role: 'rider' });
    await users.update(admin, userId, { disabled: true });
    await until(() => b.module.get(LivePrincipals).get(claims.sub, claims.sid) === undefined, 500);
    expect(await principalOn(b, claims)).toBeNull();
  });

  it('does not keep an answer read before a change it heard of meanwhile', async () => {
    const { claims } = await login();
    const live = b.module.get(LivePrincipals);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const lookup = live.lookup(claims.sub, claims.sid, async () => {
      await released; // PostgreSQL answered "live" just before the change committed
      return 'customer';
    });
    await a.module.get(LivePrincipals).changed(claims.sub);
    await sleep(100); // b hears of it
    release();
    expect(await lookup).toBe('customer');
    expect(live.get(claims.sub, claims.sid)).toBeUndefined();
  });
});
