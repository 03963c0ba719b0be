import { type TProperties, Type } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0 });
const counters = {
  messagesSent: Count,
  messagesReceived: Count,
  mediaSent: Count,
  mediaReceived: Count,
  totalMediaSize: Type.Integer({ minimum: 0, description: 'Bytes of media sent and received' }),
  apiCalls: Count,
  webhookSent: Type.Integer({ minimum: 0, description: 'Webhook deliveries acknowledged by the receiver' }),
} satisfies TProperties;

export const Usage = Type.Object(counters);

export const UserStats = Type.Object({
  total: Type.Object({ ...counters, instanceCount: Count }),
  instances: Type.Array(Type.Object({ instanceId: Type.String(), name: Type.String(), ...counters })),
});

export const InstanceStats = Type.Object({
  usage: Type.Object({
    ...counters,
    dailyStats: Type.Array(Type.Object({ date: Type.String({ format: 'date-time', description: 'Midnight UTC of the day' }), ...counters })),
  }),
});

export const SystemStats = Type.Object({
  instances: Type.Object({ total: Count, active: Type.Integer({ minimum: 0, description: 'Connected now' }) }),
  users: Type.Object({ total: Count, active: Type.Integer({ minimum: 0, description: 'Users with an instance connected now' }) }),
  usage: Usage,
});
