import type { AuditAppendInput } from '../audit/audit-types';
import type { DeadLetterService, ReplayOutcome } from './dead-letter-service';
import { replayDeadLetters } from './dead-letter-replay';

const caller = { actor: { type: 'user', id: 'u-1', name: 'Ada' }, correlationId: 'corr-9' } as const;

function serviceAnswering(outcome: ReplayOutcome): DeadLetterService {
  return { list: () => Promise.reject(new Error('not used')), replay: () => Promise.resolve(outcome) };
}

function recorder(fail = false) {
  const entries: AuditAppendInput[] = [];
  return {
    entries,
    append: (entry: AuditAppendInput) =>
      fail ? Promise.reject(new Error('audit down')) : (entries.push(entry), Promise.resolve()),
  };
}

test('one audit entry per replay: target, counts and the message ids, never a body', async () => {
  const audit = recorder();
  const result = await replayDeadLetters(
    {
      deadLetters: serviceAnswering({
        entity: { kind: 'subscription', queue: 'scan-events', subscription: 'notify' },
        replayedIds: ['m-1', 'm-2'],
        skippedIds: [],
      }),
      audit,
    },
    { queue: 'scan-events', subscription: 'notify', max: 5 },
    caller,
  );
  expect(result).toEqual({ replayed: 2, skipped: 0 });
  expect(audit.entries).toEqual([
    {
      actor: caller.actor,
      action: 'system.deadLetters.replayed',
      target: 'subscription/scan-events/notify',
      outcome: 'success',
      details: {
        queue: 'scan-events',
        subscription: 'notify',
        max: 5,
        replayed: 2,
        skipped: 0,
        messageIds: ['m-1', 'm-2'],
        skippedMessageIds: [],
      },
      correlationId: 'corr-9',
    },
  ]);
});

test('a replay stopped by a failure is audited as partial, with what was left', async () => {
  const audit = recorder();
  const result = await replayDeadLetters(
    {
      deadLetters: serviceAnswering({
        entity: { kind: 'queue', queue: 'notify-slack' },
        replayedIds: ['a'],
        skippedIds: ['b'],
        failure: 'ServiceBusy',
      }),
      audit,
    },
    { queue: 'notify-slack', max: 2 },
    caller,
  );
  expect(result).toEqual({ replayed: 1, skipped: 1 });
  expect(audit.entries[0]).toMatchObject({
    target: 'queue/notify-slack',
    outcome: 'partial',
    details: { messageIds: ['a'], skippedMessageIds: ['b'], failure: 'ServiceBusy' },
  });
});

test('an audit that cannot be appended is logged with the replayed ids and fails the call', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const call = replayDeadLetters(
      {
        deadLetters: serviceAnswering({
          entity: { kind: 'queue', queue: 'scan-plan' },
          replayedIds: ['x-1'],
          skippedIds: [],
        }),
        audit: recorder(true),
      },
      { queue: 'scan-plan', max: 1 },
      caller,
    );
    await expect(call).rejects.toThrow('audit down');
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/system\.deadLetters\.replayed.*corr-9.*x-1/));
  } finally {
    errors.mockRestore();
  }
});
