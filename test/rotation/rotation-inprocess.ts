import { ServiceBusClient } from '@azure/service-bus';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from '../../dev/servicebus/servicebus-emulator';
import { cloudSettingsFromEnv } from '../../shared/cloud/cloud-clients';
import { localSettingValues } from '../../shared/config/app-settings';
import { queueList } from '../../shared/config/queues';
import { topicList, topics } from '../../shared/config/topics';
import { createEventPublisher } from '../../shared/events/event-publisher';
import { createRotationServices, type RotationServices } from '../../shared/rotation/rotation-runtime';
import type { OutboundMessage } from '../../shared/runtime/message-sender';
import { createRuntime, type Runtime } from '../../shared/runtime/runtime';
import { systemClock } from '../../shared/time/clock';

/** Thrown at a checkpoint: stops the run where a killed worker would stop, past every catch of the machine. */
export class Crash extends Error {
  constructor(readonly point: string) {
    super(`crash at ${point}`);
    this.name = 'Crash';
  }
}

export interface InProcessRotation {
  readonly sim: RunningAzureSim;
  readonly azurite: RunningAzurite;
  readonly serviceBus: RunningServiceBusEmulator;
  readonly runtime: Runtime;
  readonly rotation: RotationServices;
  /** Every message the rotation sent (queue and topics), as it was sent. */
  readonly sent: { entity: string; message: OutboundMessage }[];
  /** The next time the machine reaches this checkpoint, it crashes (once). */
  crashAt(point: string | null): void;
  /** Alerts on the alert-events topic (received and completed from its notify subscription). */
  drainAlerts(): Promise<{ alertType: string; dedupKey: string; facts: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

/**
 * The rotation services in this process against Azurite, the Service Bus emulator and the Azure simulator, through
 * the real SDK clients: the state machine can be stopped at any checkpoint and run again, as a redelivery does.
 */
export async function startInProcessRotation(
  tenant: TenantDocument,
  tier: 'trial' | 'enterprise' = 'enterprise',
): Promise<InProcessRotation> {
  const sim = await startAzureSim({ tenant });
  const azurite = await startAzurite();
  const serviceBus = await startServiceBusEmulator({ queues: queueList, topics: topicList });
  const simEnv = sim.env();
  // The managed-identity credential reads these from the process environment.
  process.env.IDENTITY_ENDPOINT = simEnv.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = simEnv.IDENTITY_HEADER;
  const env: NodeJS.ProcessEnv = {
    ...localSettingValues(),
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: serviceBus.connectionString,
    ...simEnv,
    KEYWARD_TIER: tier,
    ROTATION_VERIFY_ATTEMPTS: '4',
    ROTATION_VERIFY_BACKOFF_MS: '100',
  };
  const runtime = createRuntime({ env });
  const sent: { entity: string; message: OutboundMessage }[] = [];
  const send = async (entity: string, messages: readonly OutboundMessage[]) => {
    for (const message of messages) sent.push({ entity, message: structuredClone(message) });
    await runtime.send(entity, messages);
  };
  let crashPoint: string | null = null;
  const rotation = createRotationServices({
    env,
    clock: systemClock,
    tier,
    storage: runtime.storage,
    send,
    publish: createEventPublisher({ send, clock: systemClock }),
    audit: await runtime.audit(),
    quotas: runtime.quotas,
    cloudSettings: { ...cloudSettingsFromEnv(env), caCertPem: sim.caCertPem },
    checkpoint: async (_rotationId, point) => {
      if (crashPoint !== null && point === crashPoint) {
        crashPoint = null;
        throw new Crash(point);
      }
    },
  });
  const bus = new ServiceBusClient(serviceBus.connectionString);
  const alerts = bus.createReceiver(topics.alertEvents.name, 'notify', { receiveMode: 'receiveAndDelete' });
  return {
    sim,
    azurite,
    serviceBus,
    runtime,
    rotation,
    sent,
    crashAt: (point) => {
      crashPoint = point;
    },
    async drainAlerts() {
      const out: { alertType: string; dedupKey: string; facts: Record<string, unknown> }[] = [];
      for (;;) {
        const batch = await alerts.receiveMessages(50, { maxWaitTimeInMs: 500 });
        if (batch.length === 0) return out;
        for (const m of batch) out.push((m.body as { data: (typeof out)[number] }).data);
      }
    },
    async stop() {
      await alerts.close();
      await bus.close();
      await runtime.serviceBus().close();
      await serviceBus.stop();
      await azurite.stop();
      await sim.stop();
    },
  };
}
