import { useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { ErrorBox, Field, Loading, Pager, Section } from '../components.js';
import { formatDate } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { CreatedUser, User, UserList } from '../types.js';

const PAGE = 50;

export function AdminUsersPage() {
  const [skip, setSkip] = useState(0);
  const users = useLoad(() => api.get<UserList>(`/api/users${query({ limit: PAGE, skip })}`), [skip]);
  const { user: me } = useSession();
  const { busy, error, run } = useAction();

  const setActive = async (user: User, active: boolean) => {
    if ((await run(() => api.put(`/api/users/${enc(user.id)}`, { active }))) !== undefined) await users.reload();
  };
  const remove = async (user: User) => {
    if (!confirm(`Delete ${user.email} and all their instances?`)) return;
    if ((await run(() => api.del(`/api/users/${enc(user.id)}`))) !== undefined) await users.reload();
  };
  const page = users.data?.pagination;

  return (
    <>
      <h1>Users</h1>
      <CreateUser onCreated={users.reload} />
      <Section title="All users">
        <ErrorBox error={error} />
        {users.data ? (
          <>
            <table class="table stack">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.users.map((u) => (
                  <tr key={u.id} data-testid="user-row">
                    <td data-label="Email" class="wrap-anywhere">
                      {u.email}
                    </td>
                    <td data-label="Name">
                      {u.firstName} {u.lastName}
                    </td>
                    <td data-label="Role">{u.role}</td>
                    <td data-label="Status">{u.active ? 'Active (can sign in)' : 'Deactivated'}</td>
                    <td data-label="Created">{formatDate(u.createdAt)}</td>
                    <td>
                      {u.id !== me.id && (
                        <div class="actions">
                          <button type="button" class="secondary" disabled={busy} onClick={() => setActive(u, !u.active)}>
                            {u.active ? 'Deactivate' : 'Activate'}
                          </button>
                          <button type="button" class="danger" disabled={busy} onClick={() => remove(u)}>
                            Delete
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page && page.total > PAGE && (
              <Pager total={page.total} hasMore={page.hasMore} skip={skip} size={PAGE} onSkip={setSkip} />
            )}
          </>
        ) : (
          <Loading error={users.error} loading={users.loading} />
        )}
      </Section>
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: () => Promise<void> }) {
  const empty = { email: '', password: '', firstName: '', lastName: '', role: 'user' };
  const [form, setForm] = useState(empty);
  const [created, setCreated] = useState<CreatedUser>();
  const { busy, error, run } = useAction();
  const set = (key: keyof typeof empty) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setCreated(undefined);
    const user = await run(() => api.post<CreatedUser>('/api/users', form));
    if (user) {
      setCreated(user);
      setForm(empty);
      await onCreated();
    }
  };

  return (
    <Section title="New user">
      <form class="grid-form" onSubmit={submit}>
        <Field label="Email" name="new-email" type="email" required value={form.email} onInput={set('email')} />
        <Field label="Password" name="new-password" type="password" autoComplete="new-password" required value={form.password} onInput={set('password')} />
        <Field label="First name" name="firstName" required value={form.firstName} onInput={set('firstName')} />
        <Field label="Last name" name="lastName" required value={form.lastName} onInput={set('lastName')} />
        <div class="field">
          <label for="f-role">Role</label>
          <select id="f-role" name="role" value={form.role} onChange={set('role')}>
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div class="field end">
          <button type="submit" disabled={busy}>
            Create user
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {created && (
        <p role="status">
          Created {created.email}. Their API key (shown once here): <code class="wrap-anywhere">{created.apiKey}</code>
        </p>
      )}
    </Section>
  );
}
