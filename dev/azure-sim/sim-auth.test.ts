import { createTokenService } from './sim-auth';

const caller = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  objectId: '22222222-2222-4222-8222-222222222222',
  appId: '33333333-3333-4333-8333-333333333333',
};
const ARM = 'https://management.azure.com';

describe("the simulator's tokens", () => {
  it("accept the caller's own tenant and refuse a token issued for another tenant, signature valid or not", () => {
    const tokens = createTokenService(caller);
    const own = tokens.verify(`Bearer ${tokens.issue(ARM).token}`, [ARM]);
    expect(own).toMatchObject({ tid: caller.tenantId, oid: caller.objectId });
    const foreign = tokens.issue(ARM, '44444444-4444-4444-8444-444444444444').token;
    expect(tokens.verify(`Bearer ${foreign}`, [ARM])).toBe(
      'token of another tenant (44444444-4444-4444-8444-444444444444)',
    );
    expect(tokens.clientId).toBe(caller.appId);
  });
});
