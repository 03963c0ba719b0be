import { describe, expect, it } from 'vitest';
import { parseSoakOptions } from '../../bench/lib/soak-options.js';
import { prometheusValues } from '../../bench/lib/soak-sampler.js';
import { floorOf, type SoakCounts, type SoakSample, slope, soakVerdict } from '../../bench/lib/soak-verdict.js';

const MIB = 2 ** 20;
const clean: SoakCounts = { errors: 0, lostWebhooks: 0, duplicateWebhooks: 0, badSignatures: 0 };

/** A sample per minute for `minutes`, memory given in MiB as a function of the minute. */
function series(minutes: number, mib: (minute: number) => number): SoakSample[] {
  return Array.from({ length: minutes + 1 }, (_, m) => ({ t: m * 60, rss: mib(m) * MIB, heapUsed: (mib(m) / 2) * MIB, external: 0, lagP99Ms: 1, resources: 10, fds: 30 }));
}

describe('the soak verdict', () => {
  it('measures a slope by least squares', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3], [10, 14, 10, 14])).toBeCloseTo(0.8);
  });

  it('passes memory that climbs while warming up and is flat afterwards', () => {
    const verdict = soakVerdict(series(60, (m) => (m < 10 ? 200 + m * 15 : 350)), clean);
    expect(verdict.ok).toBe(true);
    expect(Math.abs(verdict.rssMiBPerDay)).toBeLessThan(1);
  });

  it('fails growth of 2.4 MiB a minute in the last half, in MiB per day', () => {
    const verdict = soakVerdict(series(60, (m) => 300 + m * 2.4), clean);
    expect(verdict.rssMiBPerDay).toBeCloseTo(2.4 * 60 * 24);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.join()).toMatch(/RSS grows 3456\.0 MiB\/day/);
  });

  it('draws the line at 50 MiB a day', () => {
    const perMinute = (mibPerDay: number) => mibPerDay / (60 * 24);
    expect(soakVerdict(series(60, (m) => 300 + m * perMinute(45)), clean).ok).toBe(true);
    expect(soakVerdict(series(60, (m) => 300 + m * perMinute(55)), clean).ok).toBe(false);
  });

  it('is not fooled by a GC dip in the last sample, which last-minus-first would call shrinking', () => {
    const samples = series(60, (m) => 300 + m * 0.5);
    samples[60].rss -= 20 * MIB;
    samples[60].heapUsed -= 20 * MIB;
    const verdict = soakVerdict(samples, clean);
    expect(verdict.ok).toBe(false);
    expect(verdict.rssMiBPerDay).toBeGreaterThan(500);
  });

  it('fails flat memory when requests failed or webhooks were lost, duplicated or badly signed', () => {
    const flat = series(20, () => 300);
    expect(soakVerdict(flat, { ...clean, errors: 1 }).reasons).toEqual(['1 request errors']);
    expect(soakVerdict(flat, { ...clean, lostWebhooks: 2 }).reasons).toEqual(['2 webhooks lost']);
    expect(soakVerdict(flat, { ...clean, duplicateWebhooks: 3 }).reasons).toEqual(['3 webhooks duplicated']);
    expect(soakVerdict(flat, { ...clean, badSignatures: 4 }).reasons).toEqual(['4 webhooks badly signed']);
  });

  it('fails a run too short to show a trend', () => {
    const verdict = soakVerdict(series(4, () => 300), clean);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons[0]).toMatch(/only 3 samples in the last half/);
  });
});

describe('a point of the series', () => {
  it('takes the memory floor of its probes and the worst lag, resources and descriptors', () => {
    const probe = (t: number, heapMiB: number, lagP99Ms: number, fds: number): SoakSample => ({ t, rss: (200 + heapMiB) * MIB, heapUsed: heapMiB * MIB, external: 5 * MIB, lagP99Ms, resources: 10 + t, fds });
    const point = floorOf([probe(5, 180, 2, 31), probe(10, 90, 40, 30), probe(15, 130, 3, 33)]);
    expect(point).toEqual({ t: 15, rss: 290 * MIB, heapUsed: 90 * MIB, external: 5 * MIB, lagP99Ms: 40, resources: 25, fds: 33 });
  });
});

describe('the soak options', () => {
  it('default to an hour of 10 instances on SQLite, sampled every minute', () => {
    expect(parseSoakOptions([])).toEqual({ minutes: 60, instances: 10, rate: 5, database: 'sqlite', engine: 'simulator', sampleSeconds: 60, drainMinutes: 10, snapshotDir: undefined });
  });

  it('refuse what they cannot run, saying what is allowed', () => {
    expect(() => parseSoakOptions(['--database', 'mysql'])).toThrow('--database must be sqlite or postgres, got "mysql"');
    expect(() => parseSoakOptions(['--minutes', '0'])).toThrow('--minutes must be a positive number');
    expect(() => parseSoakOptions(['--instances', '2.5'])).toThrow('--instances must be a whole number');
    expect(() => parseSoakOptions(['--engine', 'baileys'])).toThrow(/--engine must be simulator/);
    expect(() => parseSoakOptions(['--colour', 'red'])).toThrow(/Unknown option '--colour'/);
  });
});

describe('reading /metrics', () => {
  it('takes the unlabeled samples by name', () => {
    const text = '# HELP x\n# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes 1234\nnodejs_active_resources{type="Timeout"} 3\nnodejs_active_resources_total 7\n';
    const values = prometheusValues(text);
    expect(values.get('nodejs_heap_size_used_bytes')).toBe(1234);
    expect(values.get('nodejs_active_resources_total')).toBe(7);
    expect(values.has('nodejs_active_resources')).toBe(false);
  });
});
