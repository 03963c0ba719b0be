import { Type } from '@sinclair/typebox';

const Member = Type.String({ minLength: 1, maxLength: 60, description: 'Phone number or JID of a virtual member' });
const Members = Type.Array(Member, { minItems: 1, maxItems: 1024 });

export const SimulatedGroupParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  groupId: Type.String({ minLength: 1, maxLength: 100, description: 'A group JID or its bare id' }),
});

export const SimulatedGroupBody = Type.Object({
  by: Member,
  subject: Type.String({ minLength: 1, maxLength: 100 }),
  participants: Type.Optional(Type.Array(Member, { maxItems: 1024, description: 'Other virtual members besides the instance, which is always added' })),
});

export const SimulatedGroupView = Type.Object({ groupId: Type.String() });

export const GroupActionBody = Type.Object({
  by: Member,
  action: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('promote'), Type.Literal('demote'), Type.Literal('update'), Type.Literal('leave')], {
    description: 'add/remove/promote/demote need participants and an admin; update changes subject, description, announce or restrict; leave takes `by` out',
  }),
  participants: Type.Optional(Members),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 2048 })),
  announce: Type.Optional(Type.Boolean()),
  restrict: Type.Optional(Type.Boolean()),
});

export const GroupActionView = Type.Object({
  results: Type.Array(Type.Object({ jid: Type.String(), status: Type.String() })),
});
