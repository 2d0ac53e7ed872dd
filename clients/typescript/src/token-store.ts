/** What a signed-in client holds. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where the tokens live. Memory by default; pass your own to persist them (localStorage,
 * secure storage on mobile). Methods may be async. The client reads the store before every
 * request and before refreshing, so a store shared by several tabs sees another tab's rotation.
 */
export interface TokenStore {
  get(): Tokens | null | Promise<Tokens | null>;
  set(tokens: Tokens): void | Promise<void>;
  clear(): void | Promise<void>;
}

export class MemoryTokenStore implements TokenStore {
  private tokens: Tokens | null = null;
  get(): Tokens | null {
    return this.tokens;
  }
  set(tokens: Tokens): void {
    this.tokens = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }
  clear(): void {
    this.tokens = null;
  }
}
