// What `npm start` runs before the server: builds only what changed since the last build, so a
// restart of an unchanged tree starts in about a second instead of rebuilding for half a minute.
// The server: `tsc -b` (incremental, its state in dist/tsconfig.build.tsbuildinfo). The dashboard:
// Vite has no incremental mode, so it is rebuilt only when a hash of its inputs changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Every file Vite reads for the dashboard: web/ (but its output) and the versions of its dependencies. */
function dashboardInputs() {
  const files = [path.join(root, 'package-lock.json')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(root, 'web/dist') && entry.name !== 'node_modules') walk(full);
      } else files.push(full);
    }
  };
  walk(path.join(root, 'web'));
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

run([bin('typescript', 'bin/tsc'), '-b', 'tsconfig.build.json']);

const stamp = path.join(root, 'web/dist/.inputs-sha256');
const inputs = dashboardInputs();
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== inputs) {
  run([bin('vite', 'bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  writeFileSync(stamp, inputs);
}
