import { Type } from '@sinclair/typebox';
import { Pagination } from './common.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('user')]);

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  role: Role,
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const UserList = Type.Object({ users: Type.Array(UserView), pagination: Pagination });

/** A new user, with the API key shown this once. */
export const CreatedUser = Type.Intersect([UserView, Type.Object({ apiKey: Type.String() })]);

export const MeResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  role: Role,
  active: Type.Boolean(),
  apiKey: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

export const CreateUserBody = Type.Object({
  email: Email,
  password: Password,
  firstName: Name,
  lastName: Name,
  role: Type.Optional(Role),
  active: Type.Optional(Type.Boolean()),
});

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
