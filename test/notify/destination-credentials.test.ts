import type { AuditAppendInput } from '../../shared/audit/audit-types';
import { DeliveryError } from '../../shared/notify/delivery-errors';
import { createSmtpTransport } from '../../shared/notify/email-transports';
import type { StoredEmailConfig } from '../../shared/notify/notify-config-store';
import * as configService from '../../shared/notify/notify-config-service';
import { presetEmailConfig } from '../../shared/notify/notify-targets';
import type { Resolver } from '../../shared/notify/url-guard';
import { createPortabilityService } from '../../shared/portability/portability-service';
import { createSettingsResolver } from '../../shared/settings/settings-resolver';
import { fixedClock } from '../../shared/time/clock';
import { memoryConfig } from './memory-config-store';

// Write-only secrets must not follow a changed destination (issue 18, item 3). The services run on an
// in-memory configuration store; hosts and URLs are loopback literals (local mode), so nothing is resolved
// or contacted.
const actor = { type: 'user', id: 'u1', name: 'Ada' } as const;
const OLD_HOST = '127.0.0.1';
const NEW_HOST = '127.0.0.2';
const PASSWORD = 'stored-smtp-Pw-1';
const DEPLOY_PASSWORD = 'deploy-time-Pw-2';

function deps(env: NodeJS.ProcessEnv = {}, localMode = true) {
  const config = memoryConfig();
  const audits: AuditAppendInput[] = [];
  return {
    config,
    audits,
    urlPolicy: { localMode },
    audit: { append: async (entry: AuditAppendInput) => void audits.push(entry) },
    env,
    // As the runtime does: the stored configuration, else the SMTP_* app settings.
    emailConfig: async () => {
      const stored = await config.emailConfig();
      if (stored) return { config: stored, source: 'table' as const };
      const preset = presetEmailConfig(env);
      return preset ? { config: preset, source: 'appSetting' as const } : null;
    },
  };
}
type Deps = ReturnType<typeof deps>;

const smtp = (host: string, extra: { username?: string; password?: string; security?: 'none' | 'starttls' } = {}) => ({
  provider: 'smtp' as const,
  host,
  port: 587,
  security: 'starttls' as const,
  fromAddress: 'keyward@contoso.com',
  fromName: 'Keyward',
  ...extra,
});
const stored = async (d: Deps) => (await d.config.emailConfig()) as StoredEmailConfig;
const status = (error: unknown) => (error as { status?: number }).status;

describe('SMTP: stored credentials stay with their host', () => {
  it('a changed host drops the stored username and password unless they are sent again', async () => {
    const d = deps();
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD }));
    // The same host, credentials omitted: kept.
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST));
    expect(await stored(d)).toMatchObject({ username: 'kw', password: PASSWORD });
    // Another host, credentials omitted: gone, and the view and audit entry say so (never the value).
    const view = await configService.saveEmailConfig(d, actor, smtp(NEW_HOST));
    expect(await stored(d)).toMatchObject({ host: NEW_HOST, username: '', password: '' });
    expect(view.credentialsConfigured).toBe(false);
    expect(d.audits.at(-1)?.details).toMatchObject({ credentialsCleared: true });
    expect(JSON.stringify(d.audits)).not.toContain(PASSWORD);
    // Another host with credentials sent in the same request: those are stored.
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw2', password: 'new-Pw' }));
    expect(await stored(d)).toMatchObject({ host: OLD_HOST, username: 'kw2', password: 'new-Pw' });
  });

  it('the deploy-time SMTP_PASSWORD is kept only for the deploy-time SMTP_HOST', async () => {
    const env = { SMTP_HOST: OLD_HOST, SMTP_USERNAME: 'deploy', SMTP_PASSWORD: DEPLOY_PASSWORD };
    const moved = deps(env);
    await configService.saveEmailConfig(moved, actor, smtp(NEW_HOST));
    expect(await stored(moved)).toMatchObject({ host: NEW_HOST, username: '', password: '' });
    const same = deps(env);
    await configService.saveEmailConfig(same, actor, smtp(OLD_HOST));
    expect(await stored(same)).toMatchObject({ host: OLD_HOST, username: 'deploy', password: DEPLOY_PASSWORD });
  });

  it('security none with credentials is a 400, sent or kept; none without them is accepted', async () => {
    const d = deps();
    const sent = await configService
      .saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD, security: 'none' }))
      .catch((e: unknown) => e);
    expect(status(sent)).toBe(400);
    expect(await d.config.emailConfig()).toBeNull();
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD }));
    const kept = await configService
      .saveEmailConfig(d, actor, smtp(OLD_HOST, { security: 'none' }))
      .catch((e: unknown) => e);
    expect(status(kept)).toBe(400);
    expect((await stored(d)).security).toBe('starttls');
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { security: 'none', username: '', password: '' }));
    expect(await stored(d)).toMatchObject({ security: 'none', username: '', password: '' });
  });

  it('the host passes the outbound guard at save time: metadata, private and (outside local mode) loopback are refused', async () => {
    const production = deps({}, false);
    for (const [host, reason] of [
      ['169.254.169.254', 'metadata_address'],
      ['168.63.129.16', 'metadata_address'],
      ['10.0.0.5', 'private_address'],
      ['[fd00:ec2::254]', 'metadata_address'],
      ['127.0.0.1', 'loopback_address'],
      ['evil.example/x', 'invalid_url'],
    ]) {
      const error = await configService
        .saveEmailConfig(production, actor, smtp(host as string))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, body: { details: [{ field: 'body.host', message: reason }] } });
    }
    expect(await production.config.emailConfig()).toBeNull();
    // Local mode has the webhooks' exception: loopback (the local mail sink) is allowed, metadata never.
    const local = deps();
    await expect(configService.saveEmailConfig(local, actor, smtp('127.0.0.1'))).resolves.toBeDefined();
    expect(status(await configService.saveEmailConfig(local, actor, smtp('169.254.169.254')).catch((e) => e))).toBe(
      400,
    );
  });
});

describe('SMTP: the guard again at connect time', () => {
  const config = (host: string, over: Partial<StoredEmailConfig> = {}): StoredEmailConfig => ({
    ...smtp(host),
    username: '',
    password: '',
    ...over,
  });
  const email = { subject: 's', text: 't', html: '<p>t</p>' };
  // A name that resolved publicly when it was saved and privately now (rebinding), without any DNS traffic.
  const resolver: Resolver = async (host) =>
    host === 'mail.rebind.example' ? [{ address: '10.1.2.3', family: 4 }] : [];

  it.each([
    ['the metadata address', config('169.254.169.254'), 'metadata_address'],
    ['a name that now resolves privately', config('mail.rebind.example'), 'private_address'],
    ['loopback outside local mode', config('127.0.0.1'), 'loopback_address'],
  ])('%s is refused before any connection, permanently', async (_, stored, reason) => {
    const transport = createSmtpTransport(stored, { localMode: false, resolver });
    const error = await transport.send(['a@contoso.com'], email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: false, message: `SMTP host refused: ${reason}` });
  });

  it('credentials are never offered on a `none` connection (a preset from app settings included)', async () => {
    const transport = createSmtpTransport(config('127.0.0.1', { security: 'none', username: 'u', password: 'p' }), {
      localMode: true,
    });
    await expect(transport.send(['a@contoso.com'], email)).rejects.toMatchObject({
      retryable: false,
      message: 'SMTP credentials are never sent without TLS (security none)',
    });
  });
});

describe('channels: secrets tied to a URL are dropped when it changes', () => {
  const A = 'http://127.0.0.1:9/instance-a';
  const B = 'http://127.0.0.1:9/instance-b';

  it('ServiceNow: a new instance URL without credentials keeps no username or password', async () => {
    const d = deps();
    await configService.saveChannel(d, actor, {
      channelType: 'servicenow',
      enabled: true,
      url: A,
      username: 'kw',
      password: PASSWORD,
    });
    await configService.saveChannel(d, actor, { channelType: 'servicenow', enabled: true, url: A });
    expect((await d.config.channel('servicenow'))?.secrets).toMatchObject({ username: 'kw', password: PASSWORD });
    const view = await configService.saveChannel(d, actor, { channelType: 'servicenow', enabled: true, url: B });
    expect((await d.config.channel('servicenow'))?.secrets).toEqual({ url: B });
    expect(view.secretConfigured).toBe(false);
    expect(d.audits.at(-1)?.details).toMatchObject({ credentialsCleared: true });
    await configService.saveChannel(d, actor, {
      channelType: 'servicenow',
      enabled: true,
      url: A,
      username: 'kw',
      password: 'again-Pw',
    });
    expect((await d.config.channel('servicenow'))?.secrets).toMatchObject({ url: A, password: 'again-Pw' });
    // PagerDuty's routing key goes to the fixed Events API, not to a channel URL, so a URL field leaves it alone.
    await configService.saveChannel(d, actor, { channelType: 'pagerduty', enabled: true, routingKey: 'RK-1' });
    await configService.saveChannel(d, actor, { channelType: 'pagerduty', enabled: true, url: B });
    expect((await d.config.channel('pagerduty'))?.secrets.routingKey).toBe('RK-1');
  });

  it('generic webhook: a new URL gets a new signing secret, never the old receiver’s', async () => {
    const d = deps();
    const first = await configService.saveChannel(d, actor, { channelType: 'webhook', enabled: true, url: A });
    await configService.saveChannel(d, actor, { channelType: 'webhook', enabled: false, url: A });
    expect((await d.config.channel('webhook'))?.secrets.secret).toBe(first.generatedSecret);
    const moved = await configService.saveChannel(d, actor, { channelType: 'webhook', enabled: true, url: B });
    expect(moved.generatedSecret).toMatch(/^whsec_/);
    expect(moved.generatedSecret).not.toBe(first.generatedSecret);
    expect((await d.config.channel('webhook'))?.secrets.secret).toBe(moved.generatedSecret);
  });
});

describe('import: an imported host does not inherit the stored credentials', () => {
  async function importEmail(d: Deps, host: string, security: 'starttls' | 'none' = 'starttls') {
    const values = new Map<string, string>();
    const settingsStore = {
      get: async (key: string) => values.get(key) ?? null,
      set: async (key: string, value: unknown) => void values.set(key, JSON.stringify(value)),
      remove: async (key: string) => void values.delete(key),
    };
    const service = createPortabilityService({
      settings: createSettingsResolver({ source: settingsStore, env: d.env }),
      settingsStore,
      notify: d,
      env: d.env,
      clock: fixedClock(new Date('2026-11-22T08:00:00Z')),
      audit: d.audit,
    });
    const caller = { actor: { ...actor, id: 'u1' }, correlationId: 'c-1' };
    const document = await service.exportConfig(caller);
    return service.importConfig({ ...document, emailProvider: { ...document.emailProvider, host, security } }, caller);
  }

  it('a different host imports with no credentials and says so; the same host keeps them', async () => {
    const d = deps();
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD }));
    const result = await importEmail(d, NEW_HOST);
    expect(await stored(d)).toMatchObject({ host: NEW_HOST, username: '', password: '' });
    expect(result.warnings.join(' ')).toContain('SMTP credentials were not kept');
    expect(JSON.stringify(result)).not.toContain(PASSWORD);

    const same = deps();
    await configService.saveEmailConfig(same, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD }));
    await importEmail(same, OLD_HOST, 'starttls');
    expect(await stored(same)).toMatchObject({ host: OLD_HOST, password: PASSWORD });
  });

  it('the same host with security none keeps no credentials; the deploy-time ones never move', async () => {
    const d = deps();
    await configService.saveEmailConfig(d, actor, smtp(OLD_HOST, { username: 'kw', password: PASSWORD }));
    await importEmail(d, OLD_HOST, 'none');
    expect(await stored(d)).toMatchObject({ security: 'none', username: '', password: '' });

    const preset = deps({ SMTP_HOST: OLD_HOST, SMTP_USERNAME: 'deploy', SMTP_PASSWORD: DEPLOY_PASSWORD });
    await importEmail(preset, NEW_HOST);
    expect(await stored(preset)).toMatchObject({ host: NEW_HOST, username: '', password: '' });
  });

  it('an imported host passes the outbound guard', async () => {
    const production = deps({}, false);
    await expect(importEmail(production, '169.254.169.254')).rejects.toMatchObject({
      status: 400,
      body: { details: [{ field: 'body.emailProvider.host', message: 'metadata_address' }] },
    });
    expect(await production.config.emailConfig()).toBeNull();
  });
});
