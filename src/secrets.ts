import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The server secret signs JWTs and derives the keys that encrypt API keys and webhook secrets.
 * When JWT_SECRET is not configured we generate one on first start and keep it in the data dir,
 * so tokens and stored keys survive restarts; several nodes sharing a database must set it.
 */
export function resolveServerSecret(configured: string | undefined, dataDir: string, warn: (msg: string) => void): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'server-secret');
  if (existsSync(file)) {
    warn(`JWT_SECRET is not set: using the generated secret in ${file}. Set JWT_SECRET when running more than one node.`);
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  warn(`JWT_SECRET is not set: generated a secret and saved it to ${file}. Set JWT_SECRET when running more than one node.`);
  return secret;
}
