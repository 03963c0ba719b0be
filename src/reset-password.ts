import { createContext } from './app-context.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { AppError } from './core/errors.js';
import { randomPassword } from './core/crypto.js';
import { resolveServerSecret } from './secrets.js';

/**
 * `npm run reset-password [-- email]`: gives a user (the configured admin by default) a new
 * generated password, printed once, on the same database and secret as the server. It is for
 * the operator who lost the admin password; whoever can run it can already read the database.
 */
async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  const email = process.argv[2] ?? config.admin.email;
  const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };
  const serverSecret = resolveServerSecret(config.jwt.secret, config.dataDir, () => {});
  const ctx = await createContext(config, { serverSecret, logger: quiet });
  try {
    const password = randomPassword();
    const user = await ctx.services.users.resetPassword(email, password);
    console.log(`New password for ${user.email}: ${password}\nEvery token issued before now stops working. Change it after signing in (POST /api/auth/password).`);
  } finally {
    await ctx.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof AppError;
  console.error(known ? `reset-password: ${(error as Error).message}` : error);
  process.exit(known ? 2 : 1);
});
