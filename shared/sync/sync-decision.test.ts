import { absent, type TargetState } from './providers/sync-provider';
import { decideSource, decideTarget, KEYS_NOT_EXPORTABLE, pushLanded } from './sync-decision';

const now = new Date('2026-12-06T12:00:00Z');
const source = { kind: 'secret' as const, stamp: '2026-12-06T11:00:00.000Z', enabled: true, expiresOn: null };
const synced = {
  sourceStamp: source.stamp,
  status: 'synced' as const,
  skippedByAdmin: false,
  lastSyncedAt: '2026-12-06T11:00:05.000Z',
};
const owned: TargetState = { exists: true, owned: true, version: 'v1', ref: 'arn', pendingDeletion: false };

describe('decideSource (no request to the target)', () => {
  test('a new object is pushed; an unchanged one is not', () => {
    expect(decideSource(source, null, now).action).toBe('push');
    expect(decideSource(source, synced, now).action).toBe('unchanged');
    expect(decideSource({ ...source, stamp: '2026-12-06T11:30:00.000Z' }, synced, now).action).toBe('push');
  });
  test('a read within the stamp’s second proves nothing: re-check', () => {
    expect(decideSource(source, { ...synced, lastSyncedAt: '2026-12-06T11:00:00.900Z' }, now).action).toBe('push');
  });
  test('keys, disabled and expired versions and admin skips are skipped with their reason', () => {
    expect(decideSource({ ...source, kind: 'key' }, null, now)).toEqual({
      action: 'skip',
      reason: KEYS_NOT_EXPORTABLE,
    });
    expect(decideSource({ ...source, enabled: false }, null, now)).toMatchObject({
      reason: 'the source version is disabled',
    });
    expect(decideSource({ ...source, expiresOn: new Date('2026-12-06T12:00:00Z') }, null, now)).toMatchObject({
      reason: 'the source version has expired',
    });
    expect(decideSource(source, { ...synced, status: 'conflict', skippedByAdmin: true }, now).action).toBe('skip');
  });
});

describe('decideTarget', () => {
  test('absent → create; owned and unmoved → update', () => {
    expect(decideTarget({ targetVersion: null }, absent, false).action).toBe('create');
    expect(decideTarget({ targetVersion: 'v1' }, owned, false).action).toBe('update');
  });
  test('unowned, moved, deleted outside or pending deletion → conflict; adopt takes over', () => {
    expect(decideTarget({ targetVersion: null }, { ...owned, owned: false }, false).action).toBe('conflict');
    expect(decideTarget({ targetVersion: 'v1' }, { ...owned, version: 'v2' }, false)).toMatchObject({
      action: 'conflict',
      reason: expect.stringMatching(/outside Keyward/),
    });
    expect(decideTarget({ targetVersion: 'v1' }, absent, false)).toMatchObject({
      action: 'conflict',
      reason: expect.stringMatching(/deleted outside/),
    });
    expect(decideTarget({ targetVersion: 'v1' }, { ...owned, pendingDeletion: true }, true).action).toBe('conflict');
    expect(decideTarget({ targetVersion: null }, { ...owned, owned: false }, true).action).toBe('update');
  });
});

describe('pushLanded', () => {
  const intent = { pendingSourceVersion: 's2', pendingBaseVersion: 'v1' };
  test('the target moved from the version seen before the write, and is still Keyward’s', () => {
    expect(pushLanded(intent, 's2', { ...owned, version: 'v2' })).toBe(true);
    expect(pushLanded(intent, 's2', owned)).toBe(false);
    expect(pushLanded(intent, 's3', { ...owned, version: 'v2' })).toBe(false);
    expect(pushLanded(intent, 's2', { ...owned, owned: false, version: 'v2' })).toBe(false);
  });
});
