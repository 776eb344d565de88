import { useState } from 'preact/hooks';
import { post } from '../api';
import type { EmailConfigView } from '../api-types';
import { Show } from '../components';
import { InputField, SelectField } from '../fields';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { ActionButton, runTest, SettingsForm, useLoadedValue } from './settings-form';

const providers: Record<EmailConfigView['provider'], string> = { acs: 'Azure Communication Services', smtp: 'SMTP' };
const securities: Record<EmailConfigView['security'], string> = {
  starttls: 'STARTTLS',
  tls: 'TLS',
  none: 'None (relay)',
};

function EmailForm({ initial }: { initial: EmailConfigView }) {
  // Credentials are write-only: the form starts them blank whatever is stored.
  const [value, setValue] = useLoadedValue(initial, (loaded) => ({ ...loaded, password: '', username: '' }));
  const [testEmail, setTestEmail] = useState('');
  const { canOperate, isAdmin } = useSession();
  const text = (key: 'host' | 'fromAddress' | 'fromName' | 'username' | 'password', label: string, type = 'text') => (
    <InputField
      label={label}
      type={type}
      value={value[key]}
      autoComplete="off"
      onValue={(text) => setValue({ ...value, [key]: text })}
    />
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
            <InputField label="Send a test to" type="email" value={testEmail} onValue={setTestEmail} />
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
        <SelectField
          label="Provider"
          value={value.provider}
          options={providers}
          onValue={(provider) => setValue({ ...value, provider })}
        />
        {text('host', 'SMTP host')}
        <InputField
          label="Port"
          type="number"
          min={1}
          max={65535}
          value={value.port}
          onValue={(port) => setValue({ ...value, port: Number(port) })}
        />
        <SelectField
          label="Security"
          value={value.security}
          options={securities}
          onValue={(security) => setValue({ ...value, security })}
        />
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
