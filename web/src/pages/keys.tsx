import { useState } from 'preact/hooks';
import { api, messageOf, post } from '../api';
import type { ApiKeyList, CreatedApiKey, Role } from '../api-types';
import { ErrorMessage, formatDate, Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';

const roles: readonly Role[] = ['reader', 'operator', 'admin'];

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const [error, setError] = useState<string>();
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    try {
      const key = await post<CreatedApiKey>('/api/keys', {
        name,
        role,
        ...(days ? { expiresInDays: Number(days) } : {}),
      });
      setCreated(key);
      setName('');
      onCreated();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="new-key-title" class="panel">
      <h2 id="new-key-title">New key</h2>
      <form class="row" onSubmit={(e) => void submit(e)}>
        <label>
          Name <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires in days (blank: 90)
          <input type="number" min={1} max={730} value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="submit">Create key</button>
        </div>
      </form>
      <ErrorMessage message={error} />
      {created ? (
        <div class="notice" role="status">
          <p>
            Key <strong>{created.name}</strong> created. Copy it now — it is shown only once:
          </p>
          <code class="secret" data-testid="new-key">
            {created.key}
          </code>
        </div>
      ) : null}
    </section>
  );
}

/** API keys (admins only): create (shown once), list metadata, revoke. */
export function KeysPage() {
  const { isAdmin } = useSession();
  const keys = useApi<ApiKeyList>(isAdmin ? '/api/keys' : null);
  const [error, setError] = useState<string>();
  if (!isAdmin) {
    return (
      <>
        <h1>API keys</h1>
        <p class="notice">Only an admin can manage API keys.</p>
      </>
    );
  }
  const revoke = async (id: string): Promise<void> => {
    setError(undefined);
    try {
      await api('DELETE', `/api/keys/${encodeURIComponent(id)}`);
      keys.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <h1>API keys</h1>
      <CreateKey onCreated={keys.reload} />
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">Keys</h2>
        <ErrorMessage message={error} />
        <Show load={keys} label="API keys">
          {(k) =>
            k.keys.length === 0 ? (
              <p>No API keys yet.</p>
            ) : (
              <table>
                <caption class="sr-only">API keys</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Prefix</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Revoke</th>
                  </tr>
                </thead>
                <tbody>
                  {k.keys.map((key) => (
                    <tr key={key.id}>
                      <td>{key.name}</td>
                      <td>{key.role}</td>
                      <td class="mono">{key.prefix}…</td>
                      <td>
                        {formatDate(key.createdAt)} by {key.createdBy}
                      </td>
                      <td>{key.expiresAt ? formatDate(key.expiresAt) : 'never'}</td>
                      <td>{formatDate(key.lastUsedAt)}</td>
                      <td>
                        <button type="button" class="danger" onClick={() => void revoke(key.id)}>
                          Revoke<span class="sr-only"> {key.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>
    </>
  );
}
