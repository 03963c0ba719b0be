import type { LimitsRepository, UsageRepository } from '../usage.js';
import type { SqlContext } from './executor.js';

export class SqlUsageRepository implements UsageRepository {
  constructor(private readonly ctx: SqlContext) {}
}

export class SqlLimitsRepository implements LimitsRepository {
  constructor(private readonly ctx: SqlContext) {}
}
