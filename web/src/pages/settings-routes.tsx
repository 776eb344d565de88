import { api, post } from '../api';
import type { RouteList, RouteView } from '../api-types';
import { ErrorMessage, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { useDraft } from '../fields';
import { useSession } from '../session';
import { useAction } from '../use-action';
import { useApi } from '../use-api';
import { SettingsForm } from './settings-form';

const blank = { subscriptionId: '', subscriptionName: '', teamName: '', notificationEmail: '', webhookUrl: '' };

const subscriptionText = (route: RouteView): string =>
  route.subscriptionId === '*' ? 'Every other subscription (*)' : route.subscriptionName || route.subscriptionId;

function RoutesTable({ routes, onChange }: { routes: readonly RouteView[]; onChange: () => void }) {
  const { isAdmin } = useSession();
  const removal = useAction();
  const remove = (route: RouteView) =>
    removal.run(async () => {
      await api('DELETE', `/api/routes/${encodeURIComponent(route.id)}`);
      onChange();
    });
  return (
    <>
      <DataTable
        caption="Team routes"
        empty="No team routes: alerts go to the default recipients."
        rows={routes}
        rowKey={(route) => route.id}
        columns={[
          { header: 'Subscription', cell: subscriptionText },
          { header: 'Team', cell: (route) => route.teamName },
          { header: 'Email', cell: (route) => route.notificationEmail || '—' },
          { header: 'Webhook', cell: (route) => (route.webhookConfigured ? 'Set' : '—') },
          isAdmin && {
            header: 'Remove',
            cell: (route) => (
              <button type="button" class="secondary" onClick={() => void remove(route)}>
                Remove<span class="sr-only"> route for {route.teamName}</span>
              </button>
            ),
          },
        ]}
      />
      <ErrorMessage message={removal.error} />
    </>
  );
}

/**
 * Team routes: which team (email, webhook) hears about which subscription. A vault's `team`/`owner` tag
 * beats a route; `*` catches the rest.
 */
export function RouteSettings() {
  const routes = useApi<RouteList>('/api/routes');
  const { isAdmin } = useSession();
  const { draft, field, reset } = useDraft(blank);
  return (
    <>
      <Section id="routes-title" title="Team routes" class="panel">
        <Show load={routes} label="Team routes">
          {(r) => <RoutesTable routes={r.routes} onChange={routes.reload} />}
        </Show>
      </Section>
      {isAdmin ? (
        <SettingsForm
          title="Add a team route"
          id="route-add-title"
          onSave={async () => {
            const { webhookUrl, ...rest } = draft;
            await post('/api/routes', { ...rest, ...(webhookUrl ? { webhookUrl } : {}) });
            reset();
            routes.reload();
            return `Route for ${draft.teamName} saved.`;
          }}
        >
          <div class="row">
            {field('subscriptionId', 'Subscription id (or *)', { required: true })}
            {field('subscriptionName', 'Subscription name')}
            {field('teamName', 'Team', { required: true })}
            {field('notificationEmail', 'Team email')}
            {field('webhookUrl', 'Team webhook URL')}
          </div>
        </SettingsForm>
      ) : null}
    </>
  );
}
