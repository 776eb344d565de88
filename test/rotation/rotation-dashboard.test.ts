import type { Page } from 'playwright-core';
import { describeWithBrowser, launchBrowser, seriousViolations, type Browser } from '../web/browser';
import { APP_ID, APP_OBJECT_ID, rotationTenant, startRotationStack, type RotationStack } from './rotation-stack';

/** The rotation page in Chromium: discovery, "Rotate now", the history's step timeline, axe. */
describeWithBrowser('rotation dashboard', () => {
  let s: RotationStack;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    s = await startRotationStack(rotationTenant());
    const app = s.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const created = await s.call('POST', '/api/automation/rotation/records', {
      application: APP_ID,
      keyId: app?.passwordCredentials[0]?.keyId,
      targets: [{ vaultUri: s.vaultUri('kv-apps'), secretName: 'payments-api-secret' }],
      overlapDays: 2,
    });
    expect(created.status).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('an admin discovers apps, rotates now, and reads the rotation step by step', async () => {
    await page.goto(
      `${s.stack.url}/.auth/login/aad?user=ada%40example.com&name=Ada&roles=admin&post_login_redirect_uri=%2Frotation`,
    );
    await page.getByRole('heading', { level: 1, name: 'Rotation' }).waitFor();
    await page.getByRole('button', { name: 'Discover app registrations' }).click();
    await page.getByRole('status').filter({ hasText: 'Found 2 applications' }).waitFor();
    await page.getByRole('cell', { name: /Other App/ }).waitFor();

    await page.getByRole('button', { name: 'Rotate now Payments API' }).click();
    await page.getByRole('status').filter({ hasText: 'is queued' }).waitFor();
    // The overlap of 2 days keeps the old secret: the rotation pauses as overlapping once it is active.
    for (;;) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      const row = page.locator('[data-testid^="rotation-"]').first();
      if (/overlapping|failed/.test((await row.textContent()) ?? '')) break;
      await page.waitForTimeout(300);
    }
    await page.getByRole('button', { name: 'Show steps of Payments API' }).click();
    const timeline = page.getByRole('list', { name: /Steps of rotation/ });
    await expect(timeline.textContent()).resolves.toContain('Verify at token endpoint — succeeded');
    await expect(timeline.textContent()).resolves.toContain('Write to Key Vault — succeeded');
    expect(await seriousViolations(page)).toEqual([]);
    expect(browser.errors.filter((line) => !line.includes('/.auth/'))).toEqual([]);
  });
});
