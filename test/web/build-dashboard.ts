import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const configFile = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));

/**
 * Builds the dashboard with the project's own Vite config into a fresh directory, so the tests
 * run against what `npm run build:web` ships, from a clean clone, without touching web/dist.
 */
export async function buildDashboard(): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'wa-dashboard-'));
  await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}
