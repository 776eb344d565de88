import type { PublishEvent } from '../events/event-publisher';
import type { AppLog } from '../runtime/app-log';
import type { Clock } from '../time/clock';
import type { RotationStore } from './rotation-store';
import { RotationInProgress, type RotationService } from './rotation-service';
import type { RotationRecord } from './rotation-types';

const QUEUED_GRACE_MS = 10 * 60_000;

export interface RotationSchedulerDeps {
  readonly store: RotationStore;
  readonly service: Pick<RotationService, 'requestRotation' | 'dueAt'>;
  /** Sends a rotation's message; `messageId` differs per purpose so the broker's duplicate detection keeps it. */
  readonly enqueue: (rotationId: string, messageId?: string) => Promise<void>;
  readonly publish: PublishEvent;
  readonly clock: Clock;
  /** The tier rotates on schedule (not the trial). */
  readonly automatic: boolean;
  readonly log: AppLog;
}

/** Inside the record's maintenance window (UTC weekday and hours), or any time without one. */
export function inWindow(record: RotationRecord, at: Date): boolean {
  const w = record.maintenanceWindow;
  if (!w) return true;
  const hour = at.getUTCHours();
  return w.days.includes(at.getUTCDay()) && hour >= w.startHour && hour < w.endHour;
}

const SYSTEM = {
  actor: { type: 'system' as const, id: 'system' as const, name: 'Keyward rotation schedule' },
  correlationId: '',
};

/**
 * The rotation timer's pass: starts due automatic rotations inside their window, resumes rotations whose overlap
 * has ended (the old credential's removal) or whose queue message was lost, and raises rotation_overdue once a day
 * for a due record that will not rotate by itself.
 */
export function createRotationScheduler(deps: RotationSchedulerDeps) {
  return {
    async runDue(): Promise<{ started: number; resumed: number; overdue: number }> {
      const now = deps.clock.now();
      let started = 0;
      let resumed = 0;
      let overdue = 0;
      for (const r of await deps.store.listRotations()) {
        const removalDue = r.status === 'overlapping' && r.removeOldAfter && new Date(r.removeOldAfter) <= now;
        const lost = r.status === 'queued' && now.getTime() - new Date(r.requestedAt).getTime() > QUEUED_GRACE_MS;
        if (removalDue || lost) {
          await deps.enqueue(r.rotationId, `${r.rotationId}-${now.toISOString().slice(0, 13)}`);
          resumed += 1;
        }
      }
      for (const record of await deps.store.listRecords()) {
        const due = deps.service.dueAt(record);
        if (!due || due > now) continue;
        if (record.automatic && deps.automatic) {
          if (!inWindow(record, now)) continue;
          try {
            await deps.service.requestRotation(record.id, 'automatic', SYSTEM);
            started += 1;
          } catch (error) {
            if (!(error instanceof RotationInProgress)) throw error;
          }
          continue;
        }
        const day = now.toISOString().slice(0, 10);
        await deps.publish('alert.raised', `rotation_overdue:${record.id}:${day}`, {
          alertType: 'rotation_overdue',
          subject: `Credential of ${record.appDisplayName} is due for rotation`,
          severity: 'warning',
          facts: {
            application: record.appDisplayName,
            appId: record.appId,
            recordId: record.id,
            dueAt: due.toISOString(),
            expires: record.credentialEndDateTime ?? '',
            automatic: record.automatic && deps.automatic,
          },
          dedupKey: `rotation_overdue:${record.id}:${day}`,
          subscriptionId: '',
          tags: {},
        });
        overdue += 1;
      }
      deps.log.info(`rotation schedule: ${started} started, ${resumed} resumed, ${overdue} overdue`);
      return { started, resumed, overdue };
    },
  };
}
