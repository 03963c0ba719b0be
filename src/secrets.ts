import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SecretBox } from './core/crypto.js';

/** Where the secret generated on first start is kept when JWT_SECRET is not set. */
export function serverSecretFile(dataDir: string): string {
  return path.join(dataDir, 'server-secret');
}

/**
 * The server secret signs JWTs and derives the keys that encrypt API keys and webhook secrets.
 * When JWT_SECRET is not configured we generate one on first start and keep it in the data dir,
 * so tokens and stored keys survive restarts; several nodes sharing a database must set it.
 */
export function resolveServerSecret(configured: string | undefined, dataDir: string, warn: (msg: string) => void): string {
  if (configured) return configured;
  const file = serverSecretFile(dataDir);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    // Generating a new one here would only turn this into "the secret does not open the API keys".
    if (secret === '') {
      throw new Error(`${file} is empty: restore it from a backup (the stored API keys and webhook secrets were encrypted with it), or set JWT_SECRET to the secret it held`);
    }
    warn(`JWT_SECRET is not set: using the generated secret in ${file}. Set JWT_SECRET when running more than one node.`);
    return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  warn(`JWT_SECRET is not set: generated a secret and saved it to ${file}. Set JWT_SECRET when running more than one node.`);
  return secret;
}

/**
 * One line saying why the server secret does not open the stored data and how to recover, for
 * a start-up refused with SecretMismatchError (`sample` is the stored value that did not open).
 */
export function explainSecretMismatch(configured: string | undefined, dataDir: string, sample: string): string {
  const file = serverSecretFile(dataDir);
  const generated = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (configured) {
    if (generated !== '' && generated !== configured && new SecretBox(generated).opens(sample)) {
      return `JWT_SECRET does not open the API keys stored in the database, but ${file} (the secret generated before JWT_SECRET was set) does: set JWT_SECRET to the content of that file, on every node`;
    }
    return 'JWT_SECRET does not open the API keys stored in the database: it changed since they were written. Restore the previous JWT_SECRET (every node must use the same one); without it the stored API keys and webhook secrets cannot be read';
  }
  return `${file} does not open the API keys stored in the database: the secret was lost or replaced since they were written (a new one is generated when the file is missing). Restore the previous file from a backup, or set JWT_SECRET to the secret they were written with`;
}
