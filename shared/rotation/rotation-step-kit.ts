import type { RotationStep, StoredRotation } from './rotation-types';

/** A step that cannot succeed by repeating it: the rotation ends as failed with this code. */
export class RotationRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RotationRefused';
  }
}

export type Detail = RotationStep['detail'];

/** What a step hands back: its detail for the timeline and the rotation fields it changed. */
export interface StepOutcome {
  readonly detail: Detail;
  readonly change?: (r: StoredRotation) => StoredRotation;
}

/** The new secret's value is not in this process (it crashed after addPassword) and no vault has it yet. */
export class LostSecret extends Error {
  constructor() {
    super('the new secret is not in memory and not in any target vault');
    this.name = 'LostSecret';
  }
}
