import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Role, Store, UserRecord } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import { newApiKey, type SecretBox, SecretMismatchError } from '../core/crypto.js';
import type { LoginThrottle } from './login-throttle.js';

export interface PublicUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role?: Role;
  active?: boolean;
}

export interface UserPatch {
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  role?: Role;
  active?: boolean;
}

export const MIN_PASSWORD_LENGTH = 8;

/** Called before a user is deleted, so their instances are stopped and removed first. */
export type UserDeletionHook = (userId: string) => Promise<void>;

export class UsersService {
  private beforeDelete: UserDeletionHook = async () => {};

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
  ) {}

  onDelete(hook: UserDeletionHook): void {
    this.beforeDelete = hook;
  }

  toPublic(user: UserRecord): PublicUser {
    return {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: user.role,
      active: user.active,
      createdAt: new Date(user.createdAt).toISOString(),
      updatedAt: new Date(user.updatedAt).toISOString(),
    };
  }

  /** Refuses a server secret that cannot open the stored API keys (SecretMismatchError); one is tried. */
  async checkServerSecret(): Promise<void> {
    const sample = (await this.store.users.list({ limit: 1, skip: 0 })).items[0]?.apiKeyEnc;
    if (sample !== undefined && !this.box.opens(sample)) throw new SecretMismatchError(sample);
  }

  apiKeyOf(user: UserRecord): string {
    return this.box.decrypt(user.apiKeyEnc);
  }

  async create(input: NewUser): Promise<{ user: UserRecord; apiKey: string }> {
    const email = normalizeEmail(input.email);
    checkPassword(input.password);
    if (await this.store.users.findByEmail(email)) throw new ConflictError(`A user with email ${email} already exists`);
    const apiKey = newApiKey();
    const now = this.clock();
    const user: UserRecord = {
      id: randomUUID(),
      email,
      passwordHash: await hash(input.password),
      firstName: input.firstName,
      lastName: input.lastName,
      role: input.role ?? 'user',
      active: input.active ?? true,
      apiKeyIndex: this.box.index(apiKey),
      apiKeyEnc: this.box.encrypt(apiKey),
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.users.insert(user);
    } catch (error) {
      // Two concurrent creates with one email: the unique index decides.
      if (await this.store.users.findByEmail(email)) throw new ConflictError(`A user with email ${email} already exists`);
      throw error;
    }
    return { user, apiKey };
  }

  /** Creates the configured admin when no user with that email exists yet. */
  async ensureAdmin(admin: { email: string; password?: string; firstName: string; lastName: string }, generatedPassword: () => string): Promise<{ created: boolean; password?: string }> {
    if (await this.store.users.findByEmail(admin.email)) return { created: false };
    const password = admin.password ?? generatedPassword();
    await this.create({ ...admin, password, role: 'admin' });
    return { created: true, password: admin.password ? undefined : password };
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.store.users.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  list(limit: number, skip: number) {
    return this.store.users.list({ limit, skip });
  }

  async update(actor: UserRecord, id: string, patch: UserPatch): Promise<UserRecord> {
    const user = await this.get(id);
    if (actor.id === id && (patch.active === false || patch.role === 'user')) {
      throw new ForbiddenError('Admins cannot deactivate or demote themselves');
    }
    const changes: Partial<UserRecord> = { updatedAt: this.clock() };
    if (patch.email !== undefined) {
      const email = normalizeEmail(patch.email);
      const other = await this.store.users.findByEmail(email);
      if (other && other.id !== id) throw new ConflictError(`A user with email ${email} already exists`);
      changes.email = email;
    }
    if (patch.password !== undefined) {
      checkPassword(patch.password);
      changes.passwordHash = await hash(patch.password);
      changes.tokenVersion = user.tokenVersion + 1;
    }
    if (patch.firstName !== undefined) changes.firstName = patch.firstName;
    if (patch.lastName !== undefined) changes.lastName = patch.lastName;
    if (patch.role !== undefined) changes.role = patch.role;
    if (patch.active !== undefined) changes.active = patch.active;
    return (await this.store.users.update(user.id, changes)) ?? user;
  }

  async delete(actor: UserRecord, id: string): Promise<void> {
    if (actor.id === id) throw new ForbiddenError('Admins cannot delete themselves');
    await this.get(id);
    await this.beforeDelete(id);
    await this.store.users.delete(id);
  }

  /** For an operator with shell access who lost every admin password (`npm run reset-password`). */
  async resetPassword(email: string, newPassword: string): Promise<UserRecord> {
    const user = await this.store.users.findByEmail(normalizeEmail(email));
    if (!user) throw new NotFoundError(`No user with email ${email}`);
    return this.update(user, user.id, { password: newPassword });
  }

  /** Ends every token issued before it; returns the user as changed, for a new token. */
  async changePassword(user: UserRecord, currentPassword: string, newPassword: string, address: string): Promise<UserRecord> {
    // A stolen token must not become a way to guess the password: same backoff as login.
    this.throttle.check(user.email, address);
    if (!(await verify(user.passwordHash, currentPassword))) {
      this.throttle.failed(user.email, address);
      throw new ValidationError('Current password is wrong', [{ field: 'currentPassword', message: 'does not match' }]);
    }
    this.throttle.succeeded(user.email, address);
    checkPassword(newPassword);
    const changes = { passwordHash: await hash(newPassword), tokenVersion: user.tokenVersion + 1, updatedAt: this.clock() };
    return (await this.store.users.update(user.id, changes)) ?? { ...user, ...changes };
  }

  async rotateApiKey(user: UserRecord): Promise<string> {
    const apiKey = newApiKey();
    await this.store.users.update(user.id, { apiKeyIndex: this.box.index(apiKey), apiKeyEnc: this.box.encrypt(apiKey), updatedAt: this.clock() });
    return apiKey;
  }
}

function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new ValidationError('email must be a valid email address', [{ field: 'email', message: 'must be a valid email address' }]);
  return value;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, [
      { field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
}
