import { verify } from '@node-rs/argon2';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '../core/errors.js';
import type { Store, UserRecord } from '../store/store.js';
import type { SecretBox } from '../core/crypto.js';
import type { LoginThrottle } from './login-throttle.js';

/** Hash of a password nobody has, verified when the email is unknown so timing doesn't tell. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$DP4Uv36PncwuBVcvUl0sZA$WJKrbvnD6wQTY29WW1MhxOUx6jC6e8MjpkniZA5zEWE';

/** Credentials whose checked form is remembered, per kind; the oldest remembered go first. */
const MAX_REMEMBERED = 10_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

interface VerifiedToken {
  subject: string;
  /** The user's token version when it was issued; tokens from before versions existed carry none (0). */
  version: number;
  expiresAt: number;
}

export class AuthService {
  private readonly key: Uint8Array;
  /** API key → its HMAC index, for keys seen to belong to a user: the HMAC showed in profiles. */
  private readonly keyIndexes = new Map<string, string>();
  /** JWT → its subject, token version and expiry, for tokens whose signature was checked. */
  private readonly verifiedTokens = new Map<string, VerifiedToken>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    serverSecret: string,
    private readonly expiration: string,
    private readonly throttle: LoginThrottle,
  ) {
    this.key = new TextEncoder().encode(serverSecret);
  }

  /** `address` is the client's, for the per-account backoff (LoginThrottle). */
  async login(email: string, password: string, address: string): Promise<{ token: string; user: UserRecord }> {
    const account = email.trim().toLowerCase();
    this.throttle.check(account, address);
    const user = await this.store.users.findByEmail(account);
    const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok) {
      this.throttle.failed(account, address);
      throw new UnauthorizedError('Invalid email or password');
    }
    this.throttle.succeeded(account, address);
    if (!user.active) throw new UnauthorizedError('User is deactivated');
    return { token: await this.issueToken(user), user };
  }

  issueToken(user: UserRecord): Promise<string> {
    const ttl = /^\d+$/.test(this.expiration) ? `${this.expiration}s` : this.expiration;
    return new SignJWT({ role: user.role, tv: user.tokenVersion }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuedAt().setExpirationTime(ttl).sign(this.key);
  }

  /**
   * The token's user, when active and the token was issued under their current token version: a
   * password change or reset ends every earlier token. The user is read through the store's
   * cache, which this node's own writes clear at once (another node's after CACHE_TTL_MS).
   */
  async authenticateToken(token: string): Promise<UserRecord> {
    const known = this.verifiedTokens.get(token);
    const verified = known && known.expiresAt > Date.now() ? known : await this.verifyToken(token);
    const user = this.activeUser(await this.store.users.findById(verified.subject));
    if (user.tokenVersion !== verified.version) throw new UnauthorizedError('Token revoked: the password was changed since it was issued; log in again');
    return user;
  }

  /**
   * Checks the signature and expiry, and remembers a good token's subject until the token
   * expires: verifying is the costliest part of a JWT request. The user behind it is still
   * looked up (and checked active) on every request.
   */
  private async verifyToken(token: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('Token expired');
      throw new UnauthorizedError('Invalid token');
    }
    if (!payload.sub || payload.exp === undefined || (payload.tv !== undefined && typeof payload.tv !== 'number')) throw new UnauthorizedError('Invalid token');
    const verified = { subject: payload.sub, version: typeof payload.tv === 'number' ? payload.tv : 0, expiresAt: payload.exp * 1000 };
    remember(this.verifiedTokens, token, verified);
    return verified;
  }

  async authenticateApiKey(apiKey: string): Promise<UserRecord> {
    let index = this.keyIndexes.get(apiKey);
    const known = index !== undefined;
    index ??= this.box.index(apiKey);
    const user = await this.store.users.findByApiKeyIndex(index);
    // Only keys that matched a user are remembered, so made-up keys cannot push out real ones.
    // An index never goes stale (it is a pure function of the key); a rotated key simply finds
    // no user any more.
    if (user && !known) remember(this.keyIndexes, apiKey, index);
    return this.activeUser(user, 'Invalid API key');
  }

  private activeUser(user: UserRecord | undefined, unknown = 'Invalid token'): UserRecord {
    if (!user) throw new UnauthorizedError(unknown);
    if (!user.active) throw new UnauthorizedError('User is deactivated');
    return user;
  }
}
