import { randomUUID } from 'node:crypto';
import { ServiceBusClient } from '@azure/service-bus';
import type { Page } from 'playwright-core';
import { routeItem } from '../../shared/notify/notify-routing';
import { startAzureSim, type RunningAzureSim } from '../../dev/azure-sim/azure-sim';
import { DEAD_LETTER_QUEUE, deadLetterSlackDelivery } from '../support/dead-letters';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { describeWithBrowser, launchBrowser, screenshot, seriousViolations, type Browser } from './browser';

interface Stats {
  totalItems: number;
  warning: number;
  severe: number;
  critical: number;
  expired: number;
}
interface ExpiringItem {
  itemName: string;
  vaultName: string | null;
  subscriptionName: string | null;
  itemType: string;
  severity: string;
}

const pages = [
  { path: '/', name: 'overview', heading: 'Overview' },
  { path: '/items', name: 'items', heading: 'Expiring items' },
  { path: '/vaults', name: 'vaults', heading: 'Vaults and subscriptions' },
  { path: '/scans', name: 'scans', heading: 'Scans' },
  { path: '/sync', name: 'sync', heading: 'Sync' },
  { path: '/settings', name: 'settings', heading: 'Settings' },
  { path: '/audit', name: 'audit', heading: 'Audit trail' },
  { path: '/keys', name: 'keys', heading: 'API keys' },
  { path: '/dead-letters', name: 'dead-letters', heading: 'Dead letters' },
  { path: '/rotation', name: 'rotation', heading: 'Rotation' },
] as const;

/** Opens a dashboard path and waits until nothing on it is loading any more. */
async function open(page: Page, url: string, heading: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await settled(page);
}

/** Waits until no element is marked busy (a locator, not a page script: the dashboard's CSP forbids eval). */
async function settled(page: Page): Promise<void> {
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

describeWithBrowser('dashboard in Chromium on the demo tenant', () => {
  let sim: RunningAzureSim;
  let stack: KeywardStack;
  let admin: Browser;
  let reader: Browser;
  let page: Page;

  const api = async <T>(who: Browser, path: string): Promise<T> => {
    const response = await who.context.request.get(`${stack.url}${path}`);
    expect(response.status()).toBe(200);
    return (await response.json()) as T;
  };
  const allExpiring = async (): Promise<ExpiringItem[]> => {
    const items: ExpiringItem[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500', ...(token ? { continuationToken: token } : {}) });
      const page = await api<{ items: ExpiringItem[]; continuationToken?: string }>(
        admin,
        `/api/expiring-items?${query}`,
      );
      items.push(...page.items);
      token = page.continuationToken;
    } while (token);
    return items;
  };

  beforeAll(async () => {
    sim = await startAzureSim({ tenant: 'demo' });
    stack = await startKeywardStack({ env: sim.env() });
    [admin, reader] = await Promise.all([launchBrowser(), launchBrowser()]);
    page = await admin.newPage();
  });

  afterAll(async () => {
    await admin?.close();
    await reader?.close();
    await stack?.stop();
    await sim?.stop();
  });

  it('serves assets with their types, a 404 for a missing one, the app for client routes, sign-in for pages', async () => {
    const cookie = await stack.signIn({ email: 'files@example.com', roles: ['reader'] });
    const index = await fetch(`${stack.url}/items?severity=critical`, { headers: { cookie } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const js = await fetch(`${stack.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    for (const missing of ['/assets/index-missing.js', '/nope.css', '/%E0%A4%A.js']) {
      const response = await fetch(`${stack.url}${missing}`, { headers: { cookie } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).not.toContain('text/html');
    }
    const unknownApi = await fetch(`${stack.url}/api/no-such-endpoint`, { headers: { cookie } });
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ error: 'not_found' });

    const anonymous = await fetch(`${stack.url}/scans/abc?x=1`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(
      `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/scans/abc?x=1')}`,
    );
  });

  it('signs an admin in through the EasyAuth page, runs a scan and watches it finish', async () => {
    await page.goto(`${stack.url}/`);
    expect(new URL(page.url()).pathname).toBe('/.auth/login/aad');
    await page.fill('input[name=user]', 'ada@example.com');
    await page.fill('input[name=name]', 'Ada Admin');
    await page.fill('input[name=roles]', 'admin');
    await page.click('button[type=submit]');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('No scan has run yet.').waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Trial:' }).textContent()).resolves.toMatch(/days? left/);

    await page.getByRole('button', { name: 'Run scan now' }).click();
    // Progress shows while it runs (planning, then vaults done of total), then the outcome.
    const status = page.getByTestId('scan-status');
    await expect(status.textContent()).resolves.toMatch(
      /^(Planning the scan…|Scanning: \d+ of \d+ vaults done\.|Scan completed)/,
    );
    await screenshot(page, 'admin-overview-scan-started');
    await status.filter({ hasText: /^Scan completed: \d+ vaults, \d+ items\.$/ }).waitFor({ timeout: 120_000 });
    await expect(page.getByRole('button', { name: 'Run scan now' }).isEnabled()).resolves.toBe(true);

    // The last scan links to its per-vault outcomes, one row per vault plus the directory.
    await page.getByRole('link', { name: 'details' }).click();
    await page.getByRole('heading', { level: 2, name: /^Scan / }).waitFor();
    await settled(page);
    const scanId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const detail = await api<{ units: unknown[] }>(admin, `/api/assets/discovery/scans/${scanId}`);
    expect(detail.units.length).toBeGreaterThan(1);
    await expect(page.getByRole('table', { name: 'Per-vault outcomes' }).locator('tbody tr').count()).resolves.toBe(
      detail.units.length,
    );
    await screenshot(page, 'admin-scan-detail');
  });

  it("shows the API's counts on the overview", async () => {
    const stats = await api<Stats>(admin, '/api/stats');
    expect(stats.totalItems).toBeGreaterThan(0);
    await open(page, `${stack.url}/`, 'Overview');
    for (const [id, value] of Object.entries({
      total: stats.totalItems,
      warning: stats.warning,
      severe: stats.severe,
      critical: stats.critical,
      expired: stats.expired,
    })) {
      await expect(page.getByTestId(`count-${id}`).textContent()).resolves.toBe(String(value));
    }
  });

  it('shows per subscription whether a role is missing and which vaults were not read in full', async () => {
    const status = await api<{
      subscriptions: { subscriptionId: string; subscriptionName: string; hasKeyVaultAccess: boolean }[];
      vaults: { subscriptionId: string; accessState: string }[];
    }>(admin, '/api/permission-status');
    await open(page, `${stack.url}/vaults`, 'Vaults and subscriptions');
    const table = page.getByRole('table', { name: 'Subscriptions' });
    for (const s of status.subscriptions) {
      const own = status.vaults.filter((v) => v.subscriptionId === s.subscriptionId);
      const forbidden = own.filter((v) => v.accessState === 'forbidden').length;
      const firewalled = own.filter((v) => v.accessState === 'firewalled').length;
      const cells = await table
        .locator('tbody tr')
        .filter({ hasText: s.subscriptionName })
        .locator('td')
        .allTextContents();
      expect(cells[3]).toBe(s.hasKeyVaultAccess ? 'Yes' : 'No');
      const issues = [
        ...(forbidden > 0 ? [`${forbidden} role missing`] : []),
        ...(firewalled > 0 ? [`${firewalled} behind a firewall`] : []),
      ];
      expect(cells[4]).toBe(issues.join(', ') || '—');
    }
    await screenshot(page, 'admin-vaults');
  });

  it('filters: a severity card filters the list; the items page filters, searches and pages', async () => {
    const stats = await api<Stats>(admin, '/api/stats');
    const expiring = await allExpiring();
    await open(page, `${stack.url}/`, 'Overview');
    await page.getByRole('button', { name: /Critical/ }).click();
    await page.getByRole('heading', { name: /Critical items/ }).waitFor();
    await settled(page);
    const badges = await page.locator('table tbody .badge').allTextContents();
    expect(badges.length).toBe(Math.min(10, stats.critical));
    expect(new Set(badges)).toEqual(new Set(['Critical']));

    await open(page, `${stack.url}/items`, 'Expiring items');
    await expect(page.getByTestId('items-count').textContent()).resolves.toBe(`${expiring.length} items`);
    await page.getByLabel('Severity').selectOption('expired');
    await page
      .getByTestId('items-count')
      .filter({ hasText: `${stats.expired} items` })
      .waitFor();
    expect(new Set(await page.locator('table tbody .badge').allTextContents())).toEqual(new Set(['Expired']));

    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Type').selectOption('certificate');
    const certificates = expiring.filter((item) => item.itemType === 'certificate').length;
    await page
      .getByTestId('items-count')
      .filter({ hasText: `${certificates} items` })
      .waitFor();

    await page.getByLabel('Type').selectOption('');
    await page
      .getByTestId('items-count')
      .filter({ hasText: `${expiring.length} items` })
      .waitFor();
    await page.getByLabel('Search names').fill('db-password');
    const matching = expiring.filter((item) => item.itemName.includes('db-password'));
    expect(matching.length).toBeGreaterThan(0);
    await page
      .getByTestId('items-count')
      .filter({ hasText: `${matching.length} items` })
      .waitFor();
    const names = await page.locator('table tbody tr td:first-child').allTextContents();
    expect(names.every((name) => name.includes('db-password'))).toBe(true);

    await page.getByLabel('Search names').fill('');
    if (expiring.length > 25) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(`Page 2 of ${Math.ceil(expiring.length / 25)}`).waitFor();
    }
  });

  it('saves thresholds and shows them after a reload', async () => {
    await open(page, `${stack.url}/settings`, 'Settings');
    // An invalid order is refused by the API and shown as its readable message, not a code.
    const before = admin.errors.length;
    await page.getByLabel('Warning (days)').fill('10');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('alert').filter({ hasText: 'warningDays > severeDays > criticalDays' }).waitFor();
    // Chromium logs the refused request itself; that one is expected, and taken out of the console check.
    expect(admin.errors.splice(before)).toEqual([expect.stringContaining('status of 400')]);
    await page.getByLabel('Warning (days)').fill('45');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('status').filter({ hasText: 'Thresholds saved' }).waitFor();
    await page.reload();
    await page.getByLabel('Warning (days)').waitFor();
    await expect(page.getByLabel('Warning (days)').inputValue()).resolves.toBe('45');
    await expect(api<{ warningDays: number }>(admin, '/api/thresholds')).resolves.toMatchObject({ warningDays: 45 });
  });

  it('adds and removes a team route, and exports the audit trail with its manifest', async () => {
    await open(page, `${stack.url}/settings`, 'Settings');
    await page.getByLabel('Subscription id (or *)').fill('*');
    await page.getByLabel('Team', { exact: true }).fill('Platform Team');
    await page.getByLabel('Team email').fill('platform@example.com');
    await page.getByRole('button', { name: 'Save add a team route' }).click();
    const row = page.locator('table tbody tr').filter({ hasText: 'Platform Team' });
    await row.waitFor();
    const routes = await api<{ routes: { teamName: string }[] }>(admin, '/api/routes');
    expect(routes.routes.map((r) => r.teamName)).toContain('Platform Team');

    // The team filter agrees with the notifier's own routing (vault tags, then routes) for every item.
    const expiring = await allExpiring();
    const vaults = await api<{
      vaults: { subscriptionId: string; subscriptionName: string; vaultName: string; tags: Record<string, string> }[];
    }>(admin, '/api/assets/discovery/vaults');
    const config = {
      routes: [
        {
          id: 'r',
          subscriptionId: '*',
          subscriptionName: '',
          teamName: 'Platform Team',
          notificationEmail: '',
          hasWebhook: false,
        },
      ],
      defaultEmail: '',
      tagNames: { owner: 'owner', team: 'team' },
    };
    const platform = expiring.filter((item) => {
      const vault = vaults.vaults.find(
        (v) => v.vaultName === item.vaultName && v.subscriptionName === item.subscriptionName,
      );
      return (
        routeItem({ subscriptionId: vault?.subscriptionId ?? '', tags: vault?.tags ?? {} }, config).teamName ===
        'Platform Team'
      );
    });
    expect(platform.length).toBeGreaterThan(0);
    expect(platform.length).toBeLessThan(expiring.length);
    await open(page, `${stack.url}/items`, 'Expiring items');
    await page.getByLabel('Team').selectOption('Platform Team');
    await page
      .getByTestId('items-count')
      .filter({ hasText: `${platform.length} items` })
      .waitFor();

    await open(page, `${stack.url}/settings`, 'Settings');
    await page.getByRole('button', { name: 'Remove route for Platform Team' }).click();
    await row.waitFor({ state: 'detached' });

    // Configuration round trip: what the export wrote imports as "nothing to change".
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download configuration' }).click(),
    ]);
    await page.getByLabel('Import a configuration file').setInputFiles(await exported.path());
    await page.getByRole('status').filter({ hasText: 'Nothing to change' }).waitFor();

    await open(page, `${stack.url}/audit`, 'Audit trail');
    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));
    await page.getByRole('button', { name: 'Export CSV + manifest' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Exported \d+ entries/ })
      .waitFor();
    // Both files start from the same click; wait for the second without assuming an order.
    while (downloads.length < 2) await page.waitForTimeout(50);
    expect(downloads.some((name) => name.endsWith('.csv'))).toBe(true);
    expect(downloads.some((name) => name.endsWith('.manifest.json'))).toBe(true);
  });

  it('an admin creates an API key (shown once), sees it listed, and revokes it', async () => {
    await open(page, `${stack.url}/keys`, 'API keys');
    await page.getByLabel('Name').fill('ci-pipeline');
    await page.getByLabel('Role').selectOption('reader');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(key).toMatch(/^kw_/);
    const bearer = { authorization: `Bearer ${key}` };
    expect((await fetch(`${stack.url}/api/stats`, { headers: bearer })).status).toBe(200);
    const row = page.locator('table tbody tr').filter({ hasText: 'ci-pipeline' });
    await row.waitFor();
    await expect(row.textContent()).resolves.not.toContain(key);
    await page.getByRole('button', { name: 'Revoke ci-pipeline' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await fetch(`${stack.url}/api/stats`, { headers: bearer })).status).toBe(401);
  });

  it('an admin sees a dead-lettered message on the dead-letters page, and Replay empties its queue', async () => {
    const client = new ServiceBusClient(stack.serviceBus.connectionString);
    let messageId: string;
    try {
      const marker = `body-marker-${randomUUID()}`;
      const message = await deadLetterSlackDelivery(client, (path) => api(admin, path), {
        marker,
        reason: 'held-by-test',
        description: 'Dead-lettered by the dashboard test.',
      });
      messageId = String(message.messageId);
    } finally {
      await client.close();
    }
    await open(page, `${stack.url}/`, 'Overview');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dead letters' }).waitFor();
    await settled(page);
    const row = page.getByTestId(`dead-letters-${DEAD_LETTER_QUEUE}`);
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('1');
    const newest = page.getByRole('table', { name: `Newest dead letters of ${DEAD_LETTER_QUEUE}` });
    const cells = await newest.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual([messageId, 'held-by-test', 'Dead-lettered by the dashboard test.']);
    await screenshot(page, 'admin-dead-letters-listed');

    await page.getByRole('button', { name: `Replay ${DEAD_LETTER_QUEUE}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Replayed 1 message of ${DEAD_LETTER_QUEUE}.` })
      .waitFor();
    await row.locator('td').nth(1).filter({ hasText: /^0$/ }).waitFor();
    await newest.waitFor({ state: 'detached' });
    await expect(page.getByRole('button', { name: `Replay ${DEAD_LETTER_QUEUE}` }).isDisabled()).resolves.toBe(true);
  });

  it('a reader sees no admin controls, and the API refuses them', async () => {
    const readerPage = await reader.newPage();
    await readerPage.goto(
      `${stack.url}/.auth/login/aad?user=rita%40example.com&name=Rita&roles=reader&post_login_redirect_uri=%2F`,
    );
    await open(readerPage, `${stack.url}/`, 'Overview');
    await expect(readerPage.getByRole('button', { name: 'Run scan now' }).count()).resolves.toBe(0);
    await expect(readerPage.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await expect(readerPage.getByRole('link', { name: 'Dead letters' }).count()).resolves.toBe(0);

    await open(readerPage, `${stack.url}/items`, 'Expiring items');
    await expect(readerPage.getByRole('button', { name: /Snooze/ }).count()).resolves.toBe(0);
    await open(readerPage, `${stack.url}/settings`, 'Settings');
    await expect(readerPage.getByRole('button', { name: /Save|Test|Remove|Send/ }).count()).resolves.toBe(0);
    await expect(readerPage.getByLabel('Warning (days)').isDisabled()).resolves.toBe(true);
    await open(readerPage, `${stack.url}/audit`, 'Audit trail');
    await expect(readerPage.getByRole('button', { name: /Export/ }).count()).resolves.toBe(0);
    await open(readerPage, `${stack.url}/keys`, 'API keys');
    await readerPage.getByText('Only an admin can manage API keys.').waitFor();
    await expect(readerPage.getByRole('button', { name: 'Create key' }).count()).resolves.toBe(0);
    await readerPage.close();

    const request = reader.context.request;
    const refusals = await Promise.all([
      request.post(`${stack.url}/api/thresholds`, { data: { warningDays: 60, severeDays: 14, criticalDays: 7 } }),
      request.post(`${stack.url}/api/assets/discovery/scan`, { data: { mode: 'full' } }),
      request.post(`${stack.url}/api/keys`, { data: { name: 'sneaky', role: 'admin' } }),
      request.get(`${stack.url}/api/keys`),
      request.get(`${stack.url}/api/audit/export?format=csv`),
      request.get(`${stack.url}/api/system/dead-letters`),
      request.post(`${stack.url}/api/system/dead-letters/${DEAD_LETTER_QUEUE}/replay`, { data: { max: 1 } }),
    ]);
    expect(refusals.map((r) => r.status())).toEqual([403, 403, 403, 403, 403, 403, 403]);
    await expect(api<{ warningDays: number }>(admin, '/api/thresholds')).resolves.toMatchObject({ warningDays: 45 });
  });

  it('every page passes axe (no serious or critical findings) for admin and reader; screenshots saved', async () => {
    const readerPage = await reader.newPage();
    const findings: string[] = [];
    for (const [who, tab] of [
      ['admin', page],
      ['reader', readerPage],
    ] as const) {
      for (const target of pages) {
        await open(tab, `${stack.url}${target.path}`, target.heading);
        await screenshot(tab, `${who}-${target.name}`);
        expect(await tab.title()).toMatch(/ · Keyward$/);
        findings.push(...(await seriousViolations(tab)).map((line) => `${who} ${target.path}: ${line}`));
      }
    }
    await readerPage.close();
    expect(findings).toEqual([]);
  });

  it('logged no console errors in either browser', () => {
    // The local EasyAuth sign-in page is the emulator's, not the dashboard's (Chromium asks it for /favicon.ico).
    const dashboard = (errors: string[]): string[] => errors.filter((line) => !line.includes('/.auth/'));
    expect(dashboard(admin.errors)).toEqual([]);
    expect(dashboard(reader.errors)).toEqual([]);
  });
});
