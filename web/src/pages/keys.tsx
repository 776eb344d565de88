import { useState } from 'preact/hooks';
import { api, post } from '../api';
import type { ApiKeyList, CreatedApiKey, Role } from '../api-types';
import { AdminOnly, ErrorMessage, formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { InputField, SelectField } from '../fields';
import { useAction } from '../use-action';
import { useApi } from '../use-api';

const roles: readonly Role[] = ['reader', 'operator', 'admin'];

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setCreated(
        await post<CreatedApiKey>('/api/keys', { name, role, ...(days ? { expiresInDays: Number(days) } : {}) }),
      );
      setName('');
      onCreated();
    });
  };
  return (
    <Section id="new-key-title" title="New key" class="panel">
      <form class="row" onSubmit={submit}>
        <InputField label="Name" required maxLength={100} value={name} onValue={setName} />
        <SelectField label="Role" value={role} options={roles} onValue={setRole} />
        <InputField
          label="Expires in days (blank: 90)"
          type="number"
          min={1}
          max={730}
          value={days}
          onValue={setDays}
        />
        <div class="actions">
          <button type="submit">Create key</button>
        </div>
      </form>
      <ErrorMessage message={action.error} />
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
    </Section>
  );
}

function Keys() {
  const keys = useApi<ApiKeyList>('/api/keys');
  const revoke = useAction();
  return (
    <>
      <CreateKey onCreated={keys.reload} />
      <Section id="keys-title" title="Keys">
        <ErrorMessage message={revoke.error} />
        <Show load={keys} label="API keys">
          {(k) => (
            <DataTable
              caption="API keys"
              empty="No API keys yet."
              rows={k.keys}
              rowKey={(key) => key.id}
              columns={[
                { header: 'Name', cell: (key) => key.name },
                { header: 'Role', cell: (key) => key.role },
                { header: 'Prefix', class: 'mono', cell: (key) => `${key.prefix}…` },
                { header: 'Created', cell: (key) => `${formatDate(key.createdAt)} by ${key.createdBy}` },
                { header: 'Expires', cell: (key) => (key.expiresAt ? formatDate(key.expiresAt) : 'never') },
                { header: 'Last used', cell: (key) => formatDate(key.lastUsedAt) },
                {
                  header: 'Revoke',
                  cell: (key) => (
                    <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        void revoke.run(async () => {
                          await api('DELETE', `/api/keys/${encodeURIComponent(key.id)}`);
                          keys.reload();
                        })
                      }
                    >
                      Revoke<span class="sr-only"> {key.name}</span>
                    </button>
                  ),
                },
              ]}
            />
          )}
        </Show>
      </Section>
    </>
  );
}

/** API keys (admins only): create (shown once), list metadata, revoke. */
export function KeysPage() {
  return (
    <AdminOnly title="API keys" refusal="Only an admin can manage API keys.">
      <Keys />
    </AdminOnly>
  );
}
