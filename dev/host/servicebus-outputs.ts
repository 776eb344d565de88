import type { ServiceBusMessage } from '@azure/service-bus';
import type { RegisteredFunction } from './core-api';
import type { RpcInvocationResponse, RpcTypedData } from './core-types';
import { outputsOf, stringSetting } from './function-bindings';
import { resolveSetting } from './host-settings';
import type { ServiceBusClients } from './servicebus-clients';

/**
 * Sends what a function set on its Service Bus output bindings. As in Azure, Node can only set the body;
 * an array means one message per element.
 */
export async function sendServiceBusOutputs(
  fn: RegisteredFunction,
  response: RpcInvocationResponse,
  clients: ServiceBusClients,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  for (const [name, binding] of outputsOf(fn)) {
    if ((binding.type ?? '').toLowerCase() !== 'servicebus') continue;
    const data = name === '$return' ? response.returnValue : response.outputData?.find((o) => o.name === name)?.data;
    const bodies = toBodies(data);
    if (bodies.length === 0) continue;
    const connection = stringSetting(binding, 'connection');
    const entity = stringSetting(binding, 'queueName') ?? stringSetting(binding, 'topicName');
    if (!connection || !entity) {
      throw new Error(`Service Bus output "${name}" of "${fn.metadata.name}" needs a connection and a queue or topic.`);
    }
    const messages: ServiceBusMessage[] = bodies.map((body) => ({ body }));
    await clients.sender(connection, resolveSetting(entity, env)).sendMessages(messages);
  }
}

function toBodies(data: RpcTypedData | null | undefined): unknown[] {
  if (!data) return [];
  if (data.json !== undefined) {
    const value: unknown = JSON.parse(data.json);
    return Array.isArray(value) ? value : [value];
  }
  if (data.string !== undefined) return [data.string];
  if (data.bytes !== undefined) return [Buffer.from(data.bytes)];
  if (data.int !== undefined) return [data.int];
  if (data.double !== undefined) return [data.double];
  return [];
}
