import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { deliver, flushDigests } from './notify-jobs';
import type { NotifyServices } from './notify-runtime';
import type { DeliveryMessage } from './notify-schemas';

const guard = (allowed: boolean): ScheduledWorkGuard => ({ allows: async () => allowed });

const message: DeliveryMessage = {
  v: 1,
  deliveryKey: 'nd-email-1',
  channel: 'email',
  destination: { kind: 'email', to: ['a@contoso.example'] },
  alertType: 'secret_expiring',
  teamName: 'Infra',
  scanId: 'scan-1',
  createdAt: '2026-11-22T08:00:00.000Z',
  events: [],
  test: false,
};

describe('notification jobs and the licence', () => {
  it('a delivery is sent while the licence allows it, and not after the trial', async () => {
    const sent: string[] = [];
    const worker = (async (m: DeliveryMessage) => {
      sent.push(m.deliveryKey);
      return 'sent';
    }) as unknown as NotifyServices['worker'];
    await deliver({ worker }, message, 1, guard(true));
    await deliver({ worker }, message, 1, guard(false));
    expect(sent).toEqual(['nd-email-1']);
  });

  it('the digest timer flushes nothing after the trial', async () => {
    let flushes = 0;
    const notify = { flushDigests: async () => ((flushes += 1), 3) };
    expect(await flushDigests(notify, guard(true))).toBe(3);
    expect(await flushDigests(notify, guard(false))).toBe(0);
    expect(flushes).toBe(1);
  });

  it('a malformed delivery is still refused (dead-lettered), licence or not', async () => {
    const worker = (async () => 'sent') as unknown as NotifyServices['worker'];
    await expect(deliver({ worker }, { v: 2 }, 1, guard(false))).rejects.toThrow(/malformed delivery/);
  });
});
