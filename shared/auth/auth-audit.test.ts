import type { AuditAppendInput } from '../audit/audit-types';
import { auditedChange } from './auth-audit';

const entry: AuditAppendInput = {
  actor: { type: 'user', id: 'u1', name: 'Ada' },
  action: 'role.assigned',
  target: 'user u2',
  outcome: 'success',
  details: { role: 'admin' },
  correlationId: 'c-1',
};

function recorder(failAppend = false) {
  const appended: AuditAppendInput[] = [];
  return {
    appended,
    async append(input: AuditAppendInput) {
      if (failAppend) throw new Error('audit down');
      appended.push(input);
    },
  };
}

describe('auditedChange', () => {
  it('appends the entry before the change', async () => {
    const audit = recorder();
    const order: string[] = [];
    const result = await auditedChange(audit, entry, async () => {
      order.push(`change after ${audit.appended.length} entry`);
      return 42;
    });
    expect(result).toBe(42);
    expect(order).toEqual(['change after 1 entry']);
    expect(audit.appended).toEqual([entry]);
  });

  it('makes no change when the entry cannot be appended', async () => {
    const change = jest.fn(async () => undefined);
    await expect(auditedChange(recorder(true), entry, change)).rejects.toThrow('audit down');
    expect(change).not.toHaveBeenCalled();
  });

  it('follows a change that fails with a failure entry under the same correlation id', async () => {
    const audit = recorder();
    await expect(
      auditedChange(audit, entry, async () => {
        throw new TypeError('storage down');
      }),
    ).rejects.toThrow('storage down');
    expect(audit.appended).toEqual([
      entry,
      { ...entry, outcome: 'failure', details: { role: 'admin', failure: 'TypeError' } },
    ]);
  });
});
