import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

/** Issue 18, item 10, through the local host that stands in for App Service's front end. */
describe('rate limits keyed on the address the front end saw', () => {
  let stack: KeywardStack;
  beforeAll(async () => {
    stack = await startKeywardStack({ env: { KEYWARD_RATE_LIMIT_READ: '3' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts an anonymous flood as one caller whatever X-Forwarded-For it writes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(`${stack.url}/api/health`, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
  });
});
