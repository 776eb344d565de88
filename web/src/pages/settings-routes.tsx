import { useState } from 'preact/hooks';
import { api, messageOf, post } from '../api';
import type { RouteView } from '../api-types';
import { ErrorMessage, Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { SettingsForm } from './settings-form';

const blank = { subscriptionId: '', subscriptionName: '', teamName: '', notificationEmail: '', webhookUrl: '' };

function RoutesTable({ routes, onChange }: { routes: readonly RouteView[]; onChange: () => void }) {
  const { isAdmin } = useSession();
  const [error, setError] = useState<string>();
  const remove = async (route: RouteView): Promise<void> => {
    setError(undefined);
    try {
      await api('DELETE', `/api/routes/${encodeURIComponent(route.id)}`);
      onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (routes.length === 0) return <p>No team routes: alerts go to the default recipients.</p>;
  return (
    <>
      <table>
        <caption class="sr-only">Team routes</caption>
        <thead>
          <tr>
            <th scope="col">Subscription</th>
            <th scope="col">Team</th>
            <th scope="col">Email</th>
            <th scope="col">Webhook</th>
            {isAdmin ? <th scope="col">Remove</th> : null}
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <tr key={route.id}>
              <td>
                {route.subscriptionId === '*'
                  ? 'Every other subscription (*)'
                  : route.subscriptionName || route.subscriptionId}
              </td>
              <td>{route.teamName}</td>
              <td>{route.notificationEmail || '—'}</td>
              <td>{route.webhookConfigured ? 'Set' : '—'}</td>
              {isAdmin ? (
                <td>
                  <button type="button" class="secondary" onClick={() => void remove(route)}>
                    Remove<span class="sr-only"> route for {route.teamName}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage message={error} />
    </>
  );
}

/**
 * Team routes: which team (email, webhook) hears about which subscription. A vault's `team`/`owner` tag
 * beats a route; `*` catches the rest.
 */
export function RouteSettings() {
  const routes = useApi<{ routes: RouteView[] }>('/api/routes');
  const { isAdmin } = useSession();
  const [draft, setDraft] = useState(blank);
  const field = (key: keyof typeof blank, label: string, required = false) => (
    <label>
      {label}
      <input
        required={required}
        value={draft[key]}
        onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <>
      <section aria-labelledby="routes-title" class="panel">
        <h2 id="routes-title">Team routes</h2>
        <Show load={routes} label="Team routes">
          {(r) => <RoutesTable routes={r.routes} onChange={routes.reload} />}
        </Show>
      </section>
      {isAdmin ? (
        <SettingsForm
          title="Add a team route"
          id="route-add-title"
          onSave={async () => {
            const { webhookUrl, ...rest } = draft;
            await post('/api/routes', { ...rest, ...(webhookUrl ? { webhookUrl } : {}) });
            setDraft(blank);
            routes.reload();
            return `Route for ${draft.teamName} saved.`;
          }}
        >
          <div class="row">
            {field('subscriptionId', 'Subscription id (or *)', true)}
            {field('subscriptionName', 'Subscription name')}
            {field('teamName', 'Team', true)}
            {field('notificationEmail', 'Team email')}
            {field('webhookUrl', 'Team webhook URL')}
          </div>
        </SettingsForm>
      ) : null}
    </>
  );
}
