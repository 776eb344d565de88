import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { parseMessage } from '../runtime/malformed-message';
import type { RotationServices } from './rotation-runtime';
import { rotationMessageSchema } from './rotation-schemas';

/** One rotation message: parse (a malformed one is refused, never dropped), then run the state machine. */
export async function runRotation(
  rotation: RotationServices,
  message: unknown,
  lastAttempt: boolean,
  guard: ScheduledWorkGuard,
): Promise<void> {
  const { rotationId } = parseMessage(rotationMessageSchema, message, 'rotation');
  if (!(await guard.allows())) return;
  await rotation.machine.run(rotationId, lastAttempt);
}

export async function runSchedule(rotation: RotationServices, guard: ScheduledWorkGuard) {
  if (!(await guard.allows())) return null;
  return rotation.scheduler.runDue();
}
