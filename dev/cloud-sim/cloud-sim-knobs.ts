import { seededRandom } from '../azure-sim/sim-knobs';

/**
 * Fault knobs shared by the AWS and GCP simulators. Draws come from a seeded PRNG so a failing run repeats.
 * `lostResponseRate` applies the request and then answers 500, as when a response is lost on the way back: the
 * case that makes a client without an idempotency token write twice.
 */
export interface CloudSimKnobs {
  readonly seed: number;
  /** Share of requests answered with a 5xx before anything is applied. */
  readonly error500Rate: number;
  /** Share of requests refused as throttled (AWS `ThrottlingException`, GCP 429 RESOURCE_EXHAUSTED). */
  readonly throttleRate: number;
  /** Share of write requests applied, then answered with a 5xx. */
  readonly lostResponseRate: number;
  readonly latencyMs: number;
}

export const quietKnobs: CloudSimKnobs = {
  seed: 1,
  error500Rate: 0,
  throttleRate: 0,
  lostResponseRate: 0,
  latencyMs: 0,
};

/** One line per request: what was called on which object, never a body (so never a value). */
export interface CloudSimLogEntry {
  readonly at: string;
  readonly service: string;
  readonly operation: string;
  /** The object's name or ARN as the request addressed it. */
  readonly target: string;
  readonly write: boolean;
  readonly status: number;
  readonly fault?: 'error500' | 'throttled' | 'lostResponse';
}

export type FaultDraw = 'error500' | 'throttled' | null;

/** The knobs, their PRNG and the request log of one simulator. */
export function createFaultState(initial: Partial<CloudSimKnobs> = {}) {
  let knobs: CloudSimKnobs = { ...quietKnobs, ...initial };
  let random = seededRandom(knobs.seed);
  const log: CloudSimLogEntry[] = [];
  return {
    knobs: () => knobs,
    setKnobs(patch: Partial<CloudSimKnobs>): void {
      knobs = { ...knobs, ...patch };
      if (patch.seed !== undefined) random = seededRandom(patch.seed);
    },
    /** Before the request is applied: a 5xx, a throttle or nothing. */
    before(): FaultDraw {
      if (random() < knobs.throttleRate) return 'throttled';
      if (random() < knobs.error500Rate) return 'error500';
      return null;
    },
    /** After a write was applied: whether its response is lost. */
    loseResponse(): boolean {
      return random() < knobs.lostResponseRate;
    },
    record(entry: Omit<CloudSimLogEntry, 'at'>): void {
      log.push({ at: new Date().toISOString(), ...entry });
      if (log.length > 200_000) log.splice(0, log.length - 200_000);
    },
    log: (): readonly CloudSimLogEntry[] => log,
    clearLog: (): void => void log.splice(0, log.length),
  };
}

export type FaultState = ReturnType<typeof createFaultState>;
