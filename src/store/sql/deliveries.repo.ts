import type { DeliveriesRepository } from '../deliveries.js';
import type { SqlContext } from './executor.js';

export class SqlDeliveriesRepository implements DeliveriesRepository {
  constructor(private readonly ctx: SqlContext) {}
}
