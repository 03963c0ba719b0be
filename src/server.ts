import pino from 'pino';
import { createContext } from './app-context.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { buildApp } from './http/app.js';
import { randomPassword, SecretMismatchError } from './core/crypto.js';
import { explainSecretMismatch, resolveServerSecret } from './secrets.js';
import { startupMessage } from './startup-message.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  const logger = pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.apiKey', '*.secret'], censor: '[redacted]' },
  });
  const serverSecret = resolveServerSecret(config.jwt.secret, config.dataDir, (msg) => logger.warn(msg));
  const ctx = await createContext(config, { serverSecret, logger }).catch((error: unknown) => {
    if (!(error instanceof SecretMismatchError)) throw error;
    console.error(`Failed to start: ${explainSecretMismatch(config.jwt.secret, config.dataDir, error.sample)}`);
    process.exit(1);
  });

  const admin = await ctx.services.users.ensureAdmin(config.admin, randomPassword);
  if (admin.created && admin.password) {
    // Printed once, on the console only, because nobody else knows it yet.
    console.log(`\nCreated admin ${config.admin.email} with generated password: ${admin.password}\nChange it after signing in (POST /api/auth/password).\n`);
  } else if (admin.created) {
    logger.info({ email: config.admin.email }, 'created admin user');
  }

  const app = await buildApp(ctx, { logger });
  await ctx.start();
  await app.listen({ port: config.port, host: config.host });
  logger.info(startupMessage(config.host, app.server.address(), config.admin.email));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Failed to start: ${error.message}` : error);
  process.exit(1);
});
