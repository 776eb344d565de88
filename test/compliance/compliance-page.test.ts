import type { Page } from 'playwright-core';
import { fixedClock } from '../../shared/time/clock';
import { describeWithBrowser, launchBrowser, screenshot, seriousViolations, type Browser } from '../web/browser';
import { startComplianceStack, type ComplianceStack } from './compliance-stack';
import { complianceTenant } from './compliance-tenant';

async function signIn(page: Page, url: string, user: string, role: string): Promise<void> {
  await page.goto(
    `${url}/.auth/login/aad?user=${encodeURIComponent(user)}&name=${role}&roles=${role}&post_login_redirect_uri=%2Fcompliance`,
  );
  await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

describeWithBrowser('Compliance page in Chromium', () => {
  let s: ComplianceStack;
  let admin: Browser;
  let reader: Browser;
  beforeAll(async () => {
    s = await startComplianceStack({
      tenant: complianceTenant,
      clock: fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000)),
    });
    await s.scanAndEvaluate();
    [admin, reader] = await Promise.all([launchBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await admin?.close();
    await reader?.close();
    await s?.stop();
  });

  it('an admin sees score, frameworks and violations, waives one, and gets a CEL error at its position', async () => {
    const page = await admin.newPage();
    await signIn(page, s.stack.url, 'ada@example.com', 'admin');
    await page
      .getByText(/not certification/)
      .first()
      .waitFor();
    await page.getByRole('tab', { name: /CIS Azure 6\.0/ }).click();
    await page.getByRole('cell', { name: '8.3.1', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Waive…' }).first().click();
    await page.getByLabel('Reason').fill('accepted until the migration');
    await page.getByLabel('Until (UTC day)').fill(new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Waive', exact: true }).click();
    await page.getByLabel('Status').first().selectOption('waived');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText(/accepted until the migration/).waitFor();

    await page.getByLabel('Condition (CEL; true = compliant)').fill('secret.daysToExpiry >\n  secret.nmae');
    await page.getByRole('button', { name: 'Test against current inventory' }).click();
    await page.getByText(/Line 2, column 10/).waitFor();
    await page.getByLabel('Condition (CEL; true = compliant)').fill('secret.hasExpiry');
    await page.getByRole('button', { name: 'Test against current inventory' }).click();
    await page.getByText(/Would pass \d+, fail 2/).waitFor();
    // The evidence package is downloaded and kept in Blob Storage beside the audit exports; the page says where.
    await page.getByRole('button', { name: 'Evidence package (JSON)' }).click();
    await page.getByText(/manifest signed .*also kept in audit-exports\/compliance\/.+manifest\.json/).waitFor();
    await screenshot(page, 'admin-compliance');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('a reader sees the results but no edit, waive or evidence controls', async () => {
    const page = await reader.newPage();
    await signIn(page, s.stack.url, 'rita@example.com', 'reader');
    await page.getByRole('heading', { name: 'Violations' }).waitFor();
    await expect(
      page.getByRole('button', { name: /Waive|Evidence|Save rule|Enabled|Disabled|Delete/ }).count(),
    ).resolves.toBe(0);
    await expect(page.getByLabel('Condition (CEL; true = compliant)').count()).resolves.toBe(0);
    await screenshot(page, 'reader-compliance');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
