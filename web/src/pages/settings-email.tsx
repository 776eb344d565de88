import { useEffect, useState } from 'preact/hooks';
import { post } from '../api';
import type { EmailConfigView } from '../api-types';
import { Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { ActionButton, runTest, SettingsForm } from './settings-form';

function EmailForm({ initial }: { initial: EmailConfigView }) {
  const [value, setValue] = useState({ ...initial, password: '', username: '' });
  const [testEmail, setTestEmail] = useState('');
  const { canOperate, isAdmin } = useSession();
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
        {isAdmin ? text('username', 'Username (leave blank to keep)') : null}
        {isAdmin ? text('password', 'Password (leave blank to keep)', 'password') : null}
      </div>
    </SettingsForm>
  );
}

/** The email provider (ACS or SMTP) with a test send; SMTP credentials are write-only. */
export function EmailSettings() {
  const email = useApi<EmailConfigView>('/api/smtp-config');
  return (
    <Show load={email} label="Email delivery">
      {(e) => <EmailForm initial={e} />}
    </Show>
  );
}
