import { useEffect, useState } from 'preact/hooks';
import { post } from '../api';
import type { ChannelView, EmailConfigView, SavedChannel, WebhookConfigView } from '../api-types';
import { Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { ActionButton, runTest, SettingsForm } from './settings-form';

const channelLabels: Record<ChannelView['channelType'], string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  pagerduty: 'PagerDuty',
  servicenow: 'ServiceNow',
  webhook: 'Signed webhook',
};

function EmailForm({ initial }: { initial: EmailConfigView }) {
  const [value, setValue] = useState({ ...initial, password: '', username: '' });
  const [testEmail, setTestEmail] = useState('');
  const { canOperate } = useSession();
  useEffect(() => setValue({ ...initial, password: '', username: '' }), [initial]);
  const text = (key: 'host' | 'fromAddress' | 'fromName' | 'username' | 'password', label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={value[key]}
        autoComplete="off"
        onInput={(e) => setValue({ ...value, [key]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <SettingsForm
      title="Email delivery"
      id="email-title"
      onSave={async () => {
        const { provider, host, port, security, fromAddress, fromName, username, password } = value;
        // Credentials are write-only: blank fields keep what is stored.
        await post('/api/smtp-config', {
          provider,
          host,
          port,
          security,
          fromAddress,
          fromName,
          ...(username ? { username } : {}),
          ...(password ? { password } : {}),
        });
        return 'Email settings saved.';
      }}
      extra={
        canOperate ? (
          <span class="test-email">
            <label>
              Send a test to{' '}
              <input type="email" value={testEmail} onInput={(e) => setTestEmail(e.currentTarget.value)} />
            </label>
            <ActionButton label="Send test email" run={() => runTest('/api/smtp/test', { testEmail })} />
          </span>
        ) : null
      }
    >
      <p class="muted">
        Sending with:{' '}
        <strong>
          {initial.activeProvider === 'none' ? 'nothing configured' : initial.activeProvider.toUpperCase()}
        </strong>
        {initial.credentialsConfigured ? ' · SMTP credentials are set' : ''}
      </p>
      <div class="row">
        <label>
          Provider
          <select
            value={value.provider}
            onChange={(e) => setValue({ ...value, provider: e.currentTarget.value as 'acs' | 'smtp' })}
          >
            <option value="acs">Azure Communication Services</option>
            <option value="smtp">SMTP</option>
          </select>
        </label>
        {text('host', 'SMTP host')}
        <label>
          Port
          <input
            type="number"
            min={1}
            max={65535}
            value={value.port}
            onInput={(e) => setValue({ ...value, port: Number(e.currentTarget.value) })}
          />
        </label>
        <label>
          Security
          <select
            value={value.security}
            onChange={(e) => setValue({ ...value, security: e.currentTarget.value as EmailConfigView['security'] })}
          >
            <option value="starttls">STARTTLS</option>
            <option value="tls">TLS</option>
            <option value="none">None (relay)</option>
          </select>
        </label>
      </div>
      <div class="row">
        {text('fromAddress', 'From address', 'email')}
        {text('fromName', 'From name')}
        {text('username', 'Username (leave blank to keep)')}
        {text('password', 'Password (leave blank to keep)', 'password')}
      </div>
    </SettingsForm>
  );
}

function ChannelForm({ channel }: { channel: ChannelView }) {
  const [enabled, setEnabled] = useState(channel.enabled);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const { canOperate } = useSession();
  const [generated, setGenerated] = useState<string>();
  const label = channelLabels[channel.channelType];
  const urlLabel =
    channel.channelType === 'pagerduty' ? 'Routing key' : channel.channelType === 'servicenow' ? 'Instance URL' : 'URL';
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
        });
        setUrl('');
        setSecret('');
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
        {channel.configured ? `${urlLabel} is set (never shown).` : `No ${urlLabel.toLowerCase()} set.`}
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
      <div class="row">
        <label>
          New {urlLabel.toLowerCase()} (leave blank to keep)
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
      </div>
    </SettingsForm>
  );
}

/** Email provider and the webhook-like channels, each with its test button; secrets are write-only. */
export function ChannelSettings() {
  const email = useApi<EmailConfigView>('/api/smtp-config');
  const channels = useApi<WebhookConfigView>('/api/webhook-config');
  return (
    <>
      <Show load={email} label="Email delivery">
        {(e) => <EmailForm initial={e} />}
      </Show>
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
