import { REPLAY_SUFFIX, replayMessageId } from './dead-letter-copy';

test('a copy id is the original plus ~replay, and the same for the same original', () => {
  expect(replayMessageId('scan-plan:42')).toBe('scan-plan:42~replay');
  expect(replayMessageId('scan-plan:42~replay')).toBe('scan-plan:42~replay~replay');
});

test('an id too long for Service Bus (128 characters) is hashed, still fixed per original', () => {
  const long = 'x'.repeat(125);
  const id = replayMessageId(long);
  expect(id.length).toBeLessThanOrEqual(128);
  expect(id.endsWith(REPLAY_SUFFIX)).toBe(true);
  expect(replayMessageId(long)).toBe(id);
  expect(replayMessageId(`${long}y`)).not.toBe(id);
  expect(replayMessageId('x'.repeat(121))).toBe(`${'x'.repeat(121)}${REPLAY_SUFFIX}`);
});
