import {
  ApiError,
  NetworkError,
  SessionExpiredError,
  type SessionExpiredReason,
} from './errors.js';
import type { Tokens, TokenStore } from './token-store.js';

type Fetch = (request: Request) => Promise<Response>;

const SESSION_ENDING_CODES: readonly string[] = [
  'REFRESH_TOKEN_REUSED',
  'INVALID_REFRESH_TOKEN',
  'ACCOUNT_DISABLED',
];

/** Routes that take no access token, or whose 401 is an answer rather than an expired token. */
const NO_REFRESH = /\/v1\/auth\/(login|signup|refresh)$/;

/**
 * The signed-in state of one client: attaches the access token, and refreshes it when the API
 * answers 401 — one refresh at a time, shared by every call (REST and tracking) that needs it.
 *
 * Rotation: a refresh token works once. The server answers a spent token with the same new pair
 * for a short grace window (two tabs refreshing at once both succeed); after that, a spent token
 * is theft: the server revokes the session (REFRESH_TOKEN_REUSED) and this client raises
 * SessionExpiredError and clears the store.
 */
export class Session {
  private refreshing: Promise<Tokens> | null = null;
  private readonly expiredListeners = new Set<(error: SessionExpiredError) => void>();

  constructor(
    readonly store: TokenStore,
    private readonly baseUrl: string,
    private readonly baseFetch: Fetch,
  ) {}

  async tokens(): Promise<Tokens | null> {
    return this.store.get();
  }

  onExpired(listener: (error: SessionExpiredError) => void): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  /**
   * A fresh access token after `staleToken` was refused. If the store already holds another one
   * (a concurrent call or another tab refreshed), that one; otherwise one refresh, shared by all
   * callers until it settles.
   */
  async refreshAfter(staleToken: string | undefined): Promise<Tokens> {
    const current = await this.store.get();
    if (current && staleToken !== undefined && current.accessToken !== staleToken) return current;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** fetch with the access token attached, refreshed and retried once on a 401. */
  readonly fetch: Fetch = async (request) => {
    const retry = request.clone();
    const token = (await this.store.get())?.accessToken;
    const response = await this.send(request, token);
    if (
      response.status !== 401 ||
      token === undefined ||
      NO_REFRESH.test(new URL(request.url).pathname)
    )
      return response;
    const fresh = await this.refreshAfter(token);
    return this.send(retry, fresh.accessToken);
  };

  private async send(request: Request, token: string | undefined): Promise<Response> {
    if (token !== undefined) request.headers.set('authorization', `Bearer ${token}`);
    try {
      return await this.baseFetch(request);
    } catch (error) {
      throw new NetworkError(error);
    }
  }

  private async refresh(): Promise<Tokens> {
    const tokens = await this.store.get();
    if (!tokens) throw await this.expire('NO_REFRESH_TOKEN');
    const response = await this.send(
      new Request(`${this.baseUrl}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      }),
      undefined,
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiError.from(response, body);
      // Refused for good: the session is over. Anything else (429, 5xx) may pass: keep it.
      if (response.status === 401 && SESSION_ENDING_CODES.includes(error.code)) {
        // Another tab may have rotated meanwhile (our token was spent by it): use its pair.
        const now = await this.store.get();
        if (now && now.refreshToken !== tokens.refreshToken) return now;
        throw await this.expire(error.code as SessionExpiredReason, error);
      }
      throw error;
    }
    const pair = body as Tokens;
    const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    await this.store.set(next);
    return next;
  }

  private async expire(
    reason: SessionExpiredReason,
    cause?: ApiError,
  ): Promise<SessionExpiredError> {
    await this.store.clear();
    const error = new SessionExpiredError(reason, cause);
    for (const listener of this.expiredListeners) listener(error);
    return error;
  }
}
