import { verify } from '@node-rs/argon2';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '../errors.js';
import type { Store, UserRecord } from '../store/store.js';
import type { SecretBox } from './crypto.js';

/** Hash of a password nobody has, verified when the email is unknown so timing doesn't tell. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$DP4Uv36PncwuBVcvUl0sZA$WJKrbvnD6wQTY29WW1MhxOUx6jC6e8MjpkniZA5zEWE';

/** API keys whose HMAC index is remembered; the HMAC was a tenth of an API-key request's CPU. */
const MAX_KEY_INDEXES = 10_000;

export class AuthService {
  private readonly key: Uint8Array;
  /** API key → its index, for keys seen to belong to a user. */
  private readonly keyIndexes = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    serverSecret: string,
    private readonly expiration: string,
  ) {
    this.key = new TextEncoder().encode(serverSecret);
  }

  async login(email: string, password: string): Promise<{ token: string; user: UserRecord }> {
    const user = await this.store.users.findByEmail(email.trim().toLowerCase());
    const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok) throw new UnauthorizedError('Invalid email or password');
    if (!user.active) throw new UnauthorizedError('User is deactivated');
    return { token: await this.issueToken(user), user };
  }

  issueToken(user: UserRecord): Promise<string> {
    const ttl = /^\d+$/.test(this.expiration) ? `${this.expiration}s` : this.expiration;
    return new SignJWT({ role: user.role }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuedAt().setExpirationTime(ttl).sign(this.key);
  }

  async authenticateToken(token: string): Promise<UserRecord> {
    let subject: string | undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      subject = payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('Token expired');
      throw new UnauthorizedError('Invalid token');
    }
    return this.activeUser(subject && (await this.store.users.findById(subject)));
  }

  async authenticateApiKey(apiKey: string): Promise<UserRecord> {
    let index = this.keyIndexes.get(apiKey);
    const known = index !== undefined;
    index ??= this.box.index(apiKey);
    const user = await this.store.users.findByApiKeyIndex(index);
    if (user && !known) this.rememberIndex(apiKey, index);
    return this.activeUser(user, 'Invalid API key');
  }

  /**
   * Only keys that matched a user are remembered, so a flood of made-up keys cannot push out
   * the real ones. An index never goes stale (it is a pure function of the key); a rotated key
   * simply finds no user any more.
   */
  private rememberIndex(apiKey: string, index: string): void {
    this.keyIndexes.set(apiKey, index);
    if (this.keyIndexes.size > MAX_KEY_INDEXES) this.keyIndexes.delete(this.keyIndexes.keys().next().value as string);
  }

  private activeUser(user: UserRecord | undefined | '', unknown = 'Invalid token'): UserRecord {
    if (!user) throw new UnauthorizedError(unknown);
    if (!user.active) throw new UnauthorizedError('User is deactivated');
    return user;
  }
}
