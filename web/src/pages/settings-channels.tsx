import { useState } from 'preact/hooks';
import { post } from '../api';
import type { ChannelView, SavedChannel, WebhookConfigView } from '../api-types';
import { Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { EmailSettings } from './settings-email';
import { ActionButton, runTest, SettingsForm } from './settings-form';

const channelLabels: Record<ChannelView['channelType'], string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  pagerduty: 'PagerDuty',
  servicenow: 'ServiceNow',
  webhook: 'Signed webhook',
};

function ChannelForm({ channel }: { channel: ChannelView }) {
  const [enabled, setEnabled] = useState(channel.enabled);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const { canOperate, isAdmin } = useSession();
  const [generated, setGenerated] = useState<string>();
  const label = channelLabels[channel.channelType];
  const noun =
    channel.channelType === 'pagerduty' ? 'routing key' : channel.channelType === 'servicenow' ? 'instance URL' : 'URL';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <SettingsForm
      title={label}
      id={`channel-${channel.channelType}`}
      onSave={async () => {
        const target = channel.channelType === 'pagerduty' ? { routingKey: url } : { url };
        const saved = await post<SavedChannel>('/api/webhook-config', {
          channelType: channel.channelType,
          enabled,
          ...(url ? target : {}),
          ...(secret ? { secret } : {}),
          ...(username ? { username } : {}),
          ...(password ? { password } : {}),
        });
        setUrl('');
        setSecret('');
        setUsername('');
        setPassword('');
        setGenerated(saved.generatedSecret);
        return `${label} saved.`;
      }}
      extra={
        canOperate ? (
          <ActionButton
            label={`Test ${label}`}
            run={() => runTest('/api/webhook-config/test', { channelType: channel.channelType })}
          />
        ) : null
      }
    >
      <p class="muted">
        {channel.configured ? `The ${noun} is set (never shown).` : `No ${noun} set.`}
        {channel.secretConfigured ? ' Signing secret is set.' : ''}
      </p>
      {generated ? (
        <p class="notice">
          Signing secret generated — copy it now, it is not shown again: <code class="secret">{generated}</code>
        </p>
      ) : null}
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        Enabled
      </label>
      {isAdmin ? (
        <div class="row">
          <label>
            New {noun} (leave blank to keep)
            <input type="text" autoComplete="off" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </label>
          {channel.channelType === 'webhook' ? (
            <label>
              New signing secret (leave blank to keep)
              <input
                type="password"
                autoComplete="off"
                value={secret}
                onInput={(e) => setSecret(e.currentTarget.value)}
              />
            </label>
          ) : null}
          {channel.channelType === 'servicenow' ? (
            <>
              <label>
                New username (leave blank to keep)
                <input
                  type="text"
                  autoComplete="off"
                  value={username}
                  onInput={(e) => setUsername(e.currentTarget.value)}
                />
              </label>
              <label>
                New password (leave blank to keep)
                <input
                  type="password"
                  autoComplete="off"
                  value={password}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                />
              </label>
            </>
          ) : null}
        </div>
      ) : null}
    </SettingsForm>
  );
}

/** Email provider and the webhook-like channels, each with its test button; secrets are write-only. */
export function ChannelSettings() {
  const channels = useApi<WebhookConfigView>('/api/webhook-config');
  return (
    <>
      <EmailSettings />
      <Show load={channels} label="Webhooks">
        {(c) => (
          <>
            {c.channels.map((channel) => (
              <ChannelForm key={channel.channelType} channel={channel} />
            ))}
          </>
        )}
      </Show>
    </>
  );
}
