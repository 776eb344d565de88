import { useState } from 'preact/hooks';
import { post } from '../api';
import type { ChannelView, SavedChannel, WebhookConfigView } from '../api-types';
import { Show } from '../components';
import { CheckField, InputField } from '../fields';
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

/** A write-only value: blank keeps what is stored, which is never shown. */
const secretField = (label: string, type: 'text' | 'password', value: string, onValue: (value: string) => void) => (
  <InputField label={`${label} (leave blank to keep)`} type={type} autoComplete="off" value={value} onValue={onValue} />
);

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
      <CheckField class="check" label="Enabled" checked={enabled} onValue={setEnabled} />
      {isAdmin ? (
        <div class="row">
          {secretField(`New ${noun}`, 'text', url, setUrl)}
          {channel.channelType === 'webhook' ? secretField('New signing secret', 'password', secret, setSecret) : null}
          {channel.channelType === 'servicenow' ? (
            <>
              {secretField('New username', 'text', username, setUsername)}
              {secretField('New password', 'password', password, setPassword)}
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
