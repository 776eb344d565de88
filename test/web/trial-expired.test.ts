import { TableClient } from '@azure/data-tables';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { describeWithBrowser, launchBrowser, screenshot, seriousViolations, type Browser } from './browser';

describeWithBrowser('dashboard after the trial has ended', () => {
  let stack: KeywardStack;
  let browser: Browser;

  beforeAll(async () => {
    // A deployment whose trial started 15 days ago, recorded in Table Storage as in production.
    stack = await startKeywardStack({
      seed: async (connectionString) => {
        const table = TableClient.fromConnectionString(connectionString, 'KeywardLicense', {
          allowInsecureConnection: true,
        });
        await table.createTable();
        const startedAt = new Date(Date.now() - 15 * 86_400_000).toISOString();
        await table.createEntity({ partitionKey: 'license', rowKey: 'trial', startedAt });
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows a clear expired-trial page, not a spinner, and the API is locked', async () => {
    const page = await browser.newPage();
    await page.goto(
      `${stack.url}/.auth/login/aad?user=ada%40example.com&name=Ada&roles=admin&post_login_redirect_uri=%2F`,
    );
    await page.getByRole('heading', { level: 1, name: 'Your Keyward trial has ended' }).waitFor();
    await expect(page.locator('[aria-busy="true"]').count()).resolves.toBe(0);
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    await screenshot(page, 'trial-expired');
    expect(await seriousViolations(page)).toEqual([]);

    // The configuration export stays open after the trial (VaultGuard360 documents the same).
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download configuration' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('keyward-config.json');

    const stats = await browser.context.request.get(`${stack.url}/api/stats`);
    expect(stats.status()).toBe(402);
    expect(browser.errors.filter((line) => !line.includes('/.auth/'))).toEqual([]);
  });
});
