import { Type } from '@sinclair/typebox';
import { COLLECTION_NAMES } from '../../store/transfer.js';

const Provider = Type.Union([Type.Literal('sqlite'), Type.Literal('postgres'), Type.Literal('mongodb')]);
const Counts = Type.Object(Object.fromEntries(COLLECTION_NAMES.map((c) => [c, Type.Optional(Type.Integer())])), {
  description: 'Rows per collection (table)',
});

export const DbStatus = Type.Object({
  provider: Provider,
  url: Type.String({ description: 'The live database URL, any password masked' }),
  healthy: Type.Boolean(),
  counts: Counts,
});

export const SwitchBody = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 20, description: 'sqlite, postgres or mongodb' }) }, { additionalProperties: false });

export const SwitchResponse = Type.Object({
  success: Type.Boolean(),
  message: Type.String(),
  provider: Provider,
  copied: Type.Optional(Counts),
});
