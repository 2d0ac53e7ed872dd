import { startApi, type RunningApp } from './harness/apps.js';
import { signup, uniqueEmail, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';
import { claimsOf, craftJwt } from './harness/jwt.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('auth', () => {
  let api: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    api = await startApi({
      REFRESH_GRACE_SECONDS: '1',
      AUTH_RATE_LIMIT_ACCOUNT: '1000',
      AUTH_RATE_LIMIT_IP: '100000',
    });
    http = new HttpClient(api.url);
  });
  afterAll(() => api.close());

  const me = (token: string) => http.get('/v1/auth/me', { token });

  describe('signup, login, me', () => {
    it('signs up a customer with a normalised email, then logs in and reads me', async () => {
      const email = uniqueEmail('Asha').toUpperCase();
      const res = await http.post('/v1/auth/signup', {
        email: `  ${email} `,
        password: 'correct horse battery',
        name: 'Asha',
        phone: '+919876543210',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        user: {
          id: expect.any(String),
          email: email.toLowerCase(),
          name: 'Asha',
          phone: '+919876543210',
          role: 'customer',
          disabled: false,
          emailVerified: false,
          createdAt: expect.any(String),
        },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      const claims = claimsOf(res.body.accessToken);
      expect(claims).toMatchObject({
        sub: res.body.user.id,
        role: 'customer',
        iss: 'flashcart',
        aud: 'flashcart-api',
      });
      expect(claims.jti).toEqual(expect.any(String));
      expect(claims.exp - claims.iat).toBe(900);

      const login = await http.post('/v1/auth/login', {
        email: email.toLowerCase(),
        password: 'correct horse battery',
      });
      expect(login.status).toBe(200);
      const mine = await me(login.body.accessToken);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual(res.body.user);
      expect(JSON.stringify(mine.body)).not.toMatch(/hash|argon/i);
    });

    it('refuses a duplicate email (any case) with 409 EMAIL_TAKEN', async () => {
      const user = await signup(http);
      const res = await http.post('/v1/auth/signup', {
        email: user.email.toUpperCase(),
        password: 'another-password',
        name: 'X',
      });
      expectErrorShape(res, 409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('refuses weak passwords with a 400 naming the field', async () => {
      const email = uniqueEmail();
      const short = await http.post('/v1/auth/signup', { email, password: 'short', name: 'X' });
      expectErrorShape(short, 400);
      expect(short.body.message).toEqual(['password must be 8 to 128 characters long']);

      const same = await http.post('/v1/auth/signup', { email, password: email, name: 'X' });
      expectErrorShape(same, 400);
      expect(same.body.message).toBe('password must not be the email address');

      const long = await http.post('/v1/auth/signup', {
        email,
        password: 'x'.repeat(129),
        name: 'X',
      });
      expectErrorShape(long, 400);
    });

    it('rejects unknown fields and bad emails', async () => {
      const res = await http.post('/v1/auth/signup', {
        email: 'not-an-email',
        password: 'long enough pw',
        name: 'X',
        role: 'admin',
      });
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          'property role should not exist',
          'email must be a valid email address',
        ]),
      );
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const user = await signup(http);
      const wrong = await http.post('/v1/auth/login', {
        email: user.email,
        password: 'wrong password!',
      });
      const unknown = await http.post('/v1/auth/login', {
        email: uniqueEmail('ghost'),
        password: 'wrong password!',
      });
      expectErrorShape(wrong, 401);
      expectErrorShape(unknown, 401);
      const { requestId: _a, ...wrongBody } = wrong.body;
      const { requestId: _b, ...unknownBody } = unknown.body;
      expect(wrongBody).toEqual(unknownBody);
      expect(wrongBody.code).toBe('INVALID_CREDENTIALS');
    });
  });

  describe('look-alike emails (one normalisation: NFKC, lower case; invisible and mixed scripts refused)', () => {
    const password = 'look-alike password';
    const tag = () => Math.random().toString(36).slice(2, 10);
    const signupAs = (email: string) =>
      http.post('/v1/auth/signup', { email, password, name: 'Look Alike' });
    const login = (email: string) => http.post('/v1/auth/login', { email, password });

    it('a fullwidth letter is the same address: 409 at signup, the same account at login', async () => {
      const email = `user-${tag()}@test.flashcart.dev`;
      const original = await signupAs(email);
      expect(original.status).toBe(201);
      const fullwidth = email.replace('u', '\uff55'); // ｕ
      const again = await signupAs(fullwidth);
      expectErrorShape(again, 409);
      expect(again.body.code).toBe('EMAIL_TAKEN');
      const res = await login(fullwidth.toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: original.body.user.id, email });
    });

    it('a decomposed é is the same address as the composed one', async () => {
      const composed = `jos\u00e9-${tag()}@test.flashcart.dev`;
      const original = await signupAs(composed);
      expect(original.status).toBe(201);
      expect(original.body.user.email).toBe(composed);
      const decomposed = composed.replace('\u00e9', 'e\u0301');
      expectErrorShape(await signupAs(decomposed), 409);
      expect((await login(decomposed)).body.user.id).toBe(original.body.user.id);
    });

    it('refuses a zero-width space or a bidi control with a 400 naming the field', async () => {
      const id = tag();
      expect((await signupAs(`plain-${id}@test.flashcart.dev`)).status).toBe(201);
      for (const hidden of ['\u200b', '\u200d', '\u202e', '\u00ad', '\u2060']) {
        const email = `plain-${id}${hidden}@test.flashcart.dev`;
        for (const res of [await signupAs(email), await login(email)]) {
          expectErrorShape(res, 400);
          expect(res.body.code).toBe('VALIDATION_FAILED');
          expect(res.body.message).toMatch(/^email must not contain invisible characters/);
        }
      }
    });

    it('refuses a dotless ı and letters of two scripts with a 400 naming the field', async () => {
      const id = tag();
      expect((await signupAs(`admin-${id}@test.flashcart.dev`)).status).toBe(201);
      const dotless = await signupAs(`adm\u0131n-${id}@test.flashcart.dev`);
      expectErrorShape(dotless, 400);
      expect(dotless.body.message).toMatch(/^email must not contain letters that imitate others/);
      const cyrillicA = `\u0430dmin-${id}@test.flashcart.dev`; // а
      for (const res of [await signupAs(cyrillicA), await login(cyrillicA)]) {
        expectErrorShape(res, 400);
        expect(res.body.message).toBe(
          'email must not mix scripts before the @ (found Cyrillic, Latin)',
        );
      }
      // One script throughout is an address like any other.
      expect((await signupAs(`\u0430\u043d\u044f-${Date.now()}@test.flashcart.dev`)).status).toBe(
        201,
      );
    });

    it('refuses a look-alike letter in the domain and a stray combining mark, with a 400 naming the field', async () => {
      const id = tag();
      const domain = `flashcart-${id}.local`;
      expect((await signupAs(`customer@${domain}`)).status).toBe(201);
      const lookAlikes = [
        [`customer@${domain.replace('local', 'loca\u0131')}`, /^email must have a domain of ASCII/], // dotless ı
        [`admin@${domain.replace('cart', 'c\u0430rt')}`, /^email must have a domain of ASCII/], // Cyrillic а
        [`customer@${domain.replace('local', 'l\u043ecal')}`, /^email must have a domain of ASCII/], // Cyrillic о
        [`c\u0336ustomer@${domain}`, /^email must not contain combining marks/], // overlay
      ] as const;
      for (const [email, message] of lookAlikes)
        for (const res of [await signupAs(email), await login(email)]) {
          expectErrorShape(res, 400);
          expect(res.body.code).toBe('VALIDATION_FAILED');
          expect(res.body.message).toMatch(message);
        }
      // An internationalised domain in its xn-- form is an address like any other.
      expect((await signupAs(`customer@xn--mller-kva-${id}.de`)).status).toBe(201);
    });

    it("normalises the admin's user search the same way, and refuses invisible characters there", async () => {
      const admin = await userWithRole(api.app, http, 'admin');
      const id = tag();
      await signupAs(`search-${id}@test.flashcart.dev`);
      const found = await http.get(
        `/v1/admin/users?email=${encodeURIComponent(`\uff33earch-${id}`)}`, // Ｓ
        { token: admin.accessToken },
      );
      expect(found.status).toBe(200);
      expect(found.body.items.map((u: any) => u.email)).toEqual([
        `search-${id}@test.flashcart.dev`,
      ]);
      const hidden = await http.get(`/v1/admin/users?email=${encodeURIComponent(`se\u200barch`)}`, {
        token: admin.accessToken,
      });
      expectErrorShape(hidden, 400);
      expect(hidden.body.message).toMatch(/^email must not contain invisible characters/);
    });
  });

  describe('refresh rotation', () => {
    let user: TestUser;
    beforeEach(async () => {
      user = await signup(http);
    });

    it('issues a new pair and spends the old refresh token', async () => {
      const first = await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      expect(first.body.accessToken).not.toBe(user.accessToken);
      expect((await me(first.body.accessToken)).status).toBe(200);

      const next = await http.post('/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(next.status).toBe(200);
    });

    it('returns the same pair when a spent token is retried within the grace window', async () => {
      const [a, b] = await Promise.all([
        http.post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
        http.post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
      ]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.body.refreshToken).toBe(a.body.refreshToken);
    });

    it('treats reuse after the grace window as theft: the whole family dies, newest token too', async () => {
      const rotated = await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      const newest = await http.post('/v1/auth/refresh', {
        refreshToken: rotated.body.refreshToken,
      });
      expect(newest.status).toBe(200);
      await sleep(1_200);

      const replay = await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expectErrorShape(replay, 401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');

      const afterTheft = await http.post('/v1/auth/refresh', {
        refreshToken: newest.body.refreshToken,
      });
      expectErrorShape(afterTheft, 401);
      expect(afterTheft.body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await me(newest.body.accessToken)).status).toBe(401);
    });

    it('rejects an unknown refresh token', async () => {
      const res = await http.post('/v1/auth/refresh', { refreshToken: 'made-up' });
      expectErrorShape(res, 401);
      expect(res.body.code).toBe('INVALID_REFRESH_TOKEN');
    });
  });

  describe('logout', () => {
    it('kills this access token at once and the session refresh token', async () => {
      const user = await signup(http);
      const other = await http.post('/v1/auth/login', {
        email: user.email,
        password: user.password,
      });
      const res = await http.post('/v1/auth/logout', {}, { token: user.accessToken });
      expect(res.status).toBe(204);
      expectErrorShape(await me(user.accessToken), 401);
      expectErrorShape(
        await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
        401,
      );
      // Another session of the same user lives on.
      expect((await me(other.body.accessToken)).status).toBe(200);
    });

    it('logout-all revokes every session of the user', async () => {
      const user = await signup(http);
      const other = await http.post('/v1/auth/login', {
        email: user.email,
        password: user.password,
      });
      expect(
        (await http.post('/v1/auth/logout-all', undefined, { token: user.accessToken })).status,
      ).toBe(204);
      expect((await me(user.accessToken)).status).toBe(401);
      expect((await me(other.body.accessToken)).status).toBe(401);
      expect(
        (await http.post('/v1/auth/refresh', { refreshToken: other.body.refreshToken })).status,
      ).toBe(401);
    });
  });

  describe('hostile tokens', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await signup(http);
    });

    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({ ...claimsOf(user.accessToken) });

    it.each([
      ['no token', () => undefined],
      ['garbage', () => 'not.a.jwt'],
      [
        'a tampered payload',
        () => {
          const [h, , s] = user.accessToken.split('.');
          const forged = Buffer.from(JSON.stringify({ ...claims(), role: 'admin' })).toString(
            'base64url',
          );
          return `${h}.${forged}.${s}`;
        },
      ],
      ['alg none', () => craftJwt({ alg: 'none', typ: 'JWT' }, claims())],
      ['a wrong secret', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, claims(), 'x'.repeat(40))],
      [
        'another algorithm (HS512)',
        () => {
          return craftJwt({ alg: 'HS512', typ: 'JWT' }, claims(), api.config.auth.accessSecret);
        },
      ],
      [
        'a wrong audience',
        () =>
          craftJwt(
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), aud: 'other-app' },
            api.config.auth.accessSecret,
          ),
      ],
      [
        'a wrong issuer',
        () =>
          craftJwt(
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), iss: 'evil' },
            api.config.auth.accessSecret,
          ),
      ],
      [
        'an expired token',
        () =>
          craftJwt(
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), iat: now() - 120, exp: now() - 60 },
            api.config.auth.accessSecret,
          ),
      ],
    ])('rejects %s with 401', async (_name, token) => {
      const res = await me(token() as string);
      expectErrorShape(res, 401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('accepts a correctly signed token (control for the cases above)', async () => {
      const token = craftJwt({ alg: 'HS256', typ: 'JWT' }, claims(), api.config.auth.accessSecret);
      expect((await me(token)).status).toBe(200);
    });
  });

  describe('roles and admin users', () => {
    let admin: TestUser;
    beforeAll(async () => {
      admin = await userWithRole(api.app, http, 'admin');
    });

    it('gives 401 without a token and 403 to non-admins on admin routes', async () => {
      expectErrorShape(await http.get('/v1/admin/users'), 401);
      const customer = await signup(http);
      const rider = await userWithRole(api.app, http, 'rider');
      for (const token of [customer.accessToken, rider.accessToken]) {
        const res = await http.get('/v1/admin/users', { token });
        expectErrorShape(res, 403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await http.get('/v1/admin/users', { token: admin.accessToken })).status).toBe(200);
    });

    it('lists users with filters and a cursor, without duplicates or gaps', async () => {
      const tag = `page${Date.now()}`;
      for (let i = 0; i < 5; i++) await signup(http, tag);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?email=${tag}&role=customer&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await http.get(`/v1/admin/users${query}`, { token: admin.accessToken });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u: any) => u.email));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect(seen.every((e) => e.includes(tag))).toBe(true);

      expectErrorShape(
        await http.get('/v1/admin/users?limit=0', { token: admin.accessToken }),
        400,
      );
      expectErrorShape(
        await http.get('/v1/admin/users?cursor=zzz', { token: admin.accessToken }),
        400,
      );
      const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
      expectErrorShape(
        await http.get(`/v1/admin/users?cursor=${forged}`, { token: admin.accessToken }),
        400,
      );
      expectErrorShape(
        await http.get('/v1/admin/users?role=king', { token: admin.accessToken }),
        400,
      );
    });

    it('applies a role change from the next request', async () => {
      const user = await signup(http);
      expect((await http.get('/v1/admin/users', { token: user.accessToken })).status).toBe(403);
      const res = await http.patch(
        `/v1/admin/users/${user.id}`,
        { role: 'admin' },
        { token: admin.accessToken },
      );
      expect(res).toMatchObject({ status: 200, body: { id: user.id, role: 'admin' } });
      expect((await http.get('/v1/admin/users', { token: user.accessToken })).status).toBe(200);
    });

    it('rejects a disabled user from the next request, at login and at refresh', async () => {
      const user = await signup(http);
      const res = await http.patch(
        `/v1/admin/users/${user.id}`,
        { disabled: true },
        { token: admin.accessToken },
      );
      expect(res.body.disabled).toBe(true);
      expectErrorShape(await me(user.accessToken), 401);
      const login = await http.post('/v1/auth/login', {
        email: user.email,
        password: user.password,
      });
      expectErrorShape(login, 401);
      expect(login.body.code).toBe('ACCOUNT_DISABLED');
      expectErrorShape(
        await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
        401,
      );
    });

    it('404s an unknown user, 400s a bad id, and stops an admin locking themselves out', async () => {
      const unknown = await http.patch(
        '/v1/admin/users/00000000-0000-4000-8000-000000000000',
        { role: 'rider' },
        { token: admin.accessToken },
      );
      expectErrorShape(unknown, 404);
      expectErrorShape(
        await http.patch(
          '/v1/admin/users/not-a-uuid',
          { role: 'rider' },
          { token: admin.accessToken },
        ),
        400,
      );
      const self = await http.patch(
        `/v1/admin/users/${admin.id}`,
        { disabled: true },
        { token: admin.accessToken },
      );
      expectErrorShape(self, 409);
    });
  });
});

describe('auth rate limits across two api instances sharing Redis', () => {
  let a: RunningApp;
  let b: RunningApp;

  beforeAll(async () => {
    const limits = {
      AUTH_RATE_LIMIT_ACCOUNT: '3',
      AUTH_RATE_LIMIT_IP: '1000',
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_rl`,
    };
    [a, b] = await Promise.all([startApi(limits), startApi(limits)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('counts attempts on both instances and answers 429 with Retry-After', async () => {
    const email = uniqueEmail('limited');
    const attempt = (app: RunningApp) =>
      new HttpClient(app.url).post('/v1/auth/login', { email, password: 'wrong password!' });
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    const limited = await attempt(b);
    expectErrorShape(limited, 429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account from the same IP is not affected.
    const other = await new HttpClient(a.url).post('/v1/auth/login', {
      email: uniqueEmail('free'),
      password: 'wrong password!',
    });
    expect(other.status).toBe(401);
  });
});
