import { readFileSync } from 'node:fs';

/**
 * `tsx bench/profile-top.ts <file.cpuprofile> [count]`: the functions with the most self time,
 * and the project files with the most inclusive time, to find what a benchmark spends on.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]');
const count = Number(countArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:').replace(/.*\/(src|bench)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};

const selfByLabel = new Map<string, number>();
for (const [id, us] of self) {
  const key = label(byId.get(id) as Node);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us);
}
// Inclusive time per frame label, counting each sample once per label on its stack.
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at) as Node);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1e6).toFixed(2)} s sampled\n\nself time:`);
for (const [key, us] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(us)}  ${key}`);
console.log('\ninclusive time, project frames:');
for (const [key, us] of [...inclusive].filter(([k]) => /^\S+ (src|bench)\//.test(k)).sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(us)}  ${key}`);
