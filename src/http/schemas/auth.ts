import { Type } from '@sinclair/typebox';

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** `x-session: cookie` asks login to also set the dashboard's httpOnly session cookie. */
export const LoginHeaders = Type.Object({ 'x-session': Type.Optional(Type.Literal('cookie')) });

export const LoginResponse = Type.Object({
  token: Type.String(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    apiKey: Type.String(),
    role: Type.String(),
  }),
});

export const PasswordBody = Type.Object({ currentPassword: Type.String({ minLength: 1 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) });

export const PasswordChanged = Type.Object({ success: Type.Boolean(), token: Type.String() });

export const ApiKeyView = Type.Object({ apiKey: Type.String() });
