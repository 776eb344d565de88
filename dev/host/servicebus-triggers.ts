import { isServiceBusError, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import type { RegisteredFunction } from './core-api';
import type { RpcTypedData } from './core-types';
import { stringSetting, triggerOf } from './function-bindings';
import { describeError, type HostLogger } from './host-log';
import { resolveSetting, type HostSettings } from './host-settings';
import type { InvocationInput } from './invocation-runner';
import type { ServiceBusClients } from './servicebus-clients';
import { settleWithin } from './settle-within';

export interface ServiceBusTriggerOptions {
  readonly functions: readonly RegisteredFunction[];
  readonly clients: ServiceBusClients;
  readonly settings: HostSettings['serviceBus'];
  readonly env: NodeJS.ProcessEnv;
  /** Runs the invocation and its output bindings; rejects when the function failed. */
  readonly execute: (fn: RegisteredFunction, input: InvocationInput) => Promise<unknown>;
  readonly log: HostLogger;
}

interface Listener {
  readonly receiver: ServiceBusReceiver;
  readonly subscription: { close(): Promise<void> };
}

export interface ServiceBusTriggers {
  /** Stops taking messages, lets running handlers settle (bounded), then closes the receivers. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Feeds Service Bus triggers from real peek-lock receivers. The SDK does not auto-complete; the host
 * settles like the extension: complete on success, abandon on failure (the broker redelivers and
 * dead-letters past the queue's max delivery count). The SDK renews the lock while a handler runs, up to
 * host.json `maxAutoLockRenewalDuration`; `maxConcurrentCalls` bounds concurrent handlers per function.
 */
export function startServiceBusTriggers(options: ServiceBusTriggerOptions): ServiceBusTriggers {
  const { settings, log } = options;
  const running = new Set<Promise<void>>();
  const receivers: Listener[] = [];

  for (const fn of options.functions) {
    try {
      receivers.push(listen(fn));
    } catch (error) {
      // As in Azure, one listener that cannot start (missing setting, bad connection) leaves the rest running.
      log('error', `The listener for this function was unable to start: ${describeError(error)}`, {
        functionName: fn.metadata.name,
      });
    }
  }

  function listen(fn: RegisteredFunction): Listener {
    const { name: bindingName, binding } = triggerOf(fn);
    if (binding.isSessionsEnabled === true || binding.cardinality === 'many') {
      throw new Error(`Function "${fn.metadata.name}": sessions and cardinality "many" are not supported locally.`);
    }
    const connection = stringSetting(binding, 'connection') ?? 'AzureWebJobsServiceBus';
    const queue = stringSetting(binding, 'queueName');
    const topic = stringSetting(binding, 'topicName');
    const subscriptionName = stringSetting(binding, 'subscriptionName');
    const client = options.clients.client(connection);
    const receiverOptions = {
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: settings.maxAutoLockRenewalDurationMs,
    } as const;
    const receiver = queue
      ? client.createReceiver(resolveSetting(queue, options.env), receiverOptions)
      : client.createReceiver(
          resolveSetting(topic ?? '', options.env),
          resolveSetting(subscriptionName ?? '', options.env),
          receiverOptions,
        );
    const autoComplete = binding.autoCompleteMessages !== false && settings.autoCompleteMessages;

    const handle = async (message: ServiceBusReceivedMessage): Promise<void> => {
      const input: InvocationInput = {
        inputData: [{ name: bindingName, data: toTypedData(message.body) }],
        triggerMetadata: messageMetadata(message, fn.metadata.name),
      };
      try {
        await options.execute(fn, input);
      } catch {
        // The runner has logged the error; the broker redelivers, and dead-letters past max delivery count.
        log(
          'warning',
          `Abandoning message ${String(message.messageId)} (delivery ${extensionDeliveryCount(message)}).`,
          {
            functionName: fn.metadata.name,
          },
        );
        await settle(() => receiver.abandonMessage(message), 'abandon');
        return;
      }
      if (autoComplete) await settle(() => receiver.completeMessage(message), 'complete');
    };

    const settle = async (action: () => Promise<void>, what: string): Promise<void> => {
      try {
        await action();
      } catch (error) {
        log('warning', `Could not ${what} message: ${describeError(error)}`, { functionName: fn.metadata.name });
      }
    };

    let gaveUp = false;
    const subscription = receiver.subscribe(
      {
        processMessage: (message) => {
          const work = handle(message);
          running.add(work);
          return work.finally(() => running.delete(work));
        },
        processError: async (args) => {
          const scope = { functionName: fn.metadata.name };
          if (!isServiceBusError(args.error) || !FATAL_CODES.includes(args.error.code)) {
            log('warning', `Service Bus receiver (${args.errorSource}): ${args.error.message}`, scope);
          } else if (!gaveUp) {
            // The SDK would retry these forever; like the extension, report once and stop this listener.
            gaveUp = true;
            log('error', `The listener stopped: ${args.error.message}`, scope);
            void subscription.close();
          }
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: settings.maxConcurrentCalls },
    );
    return { receiver, subscription };
  }

  return {
    async close(timeoutMs) {
      await settleWithin(
        receivers.map((r) => r.subscription.close()),
        CLOSE_TIMEOUT_MS,
      );
      if (!(await settleWithin(running, timeoutMs)))
        log('warning', 'Stopping with Service Bus handlers still running.');
      await settleWithin(
        receivers.map((r) => r.receiver.close()),
        CLOSE_TIMEOUT_MS,
      );
    },
  };
}

/** Errors retrying cannot fix: a missing or disabled entity, or a refused credential. */
const FATAL_CODES: readonly string[] = ['MessagingEntityNotFound', 'MessagingEntityDisabled', 'UnauthorizedAccess'];
/** How long closing AMQP links may take before shutdown moves on. */
const CLOSE_TIMEOUT_MS = 5000;

function toTypedData(body: unknown): RpcTypedData {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return { bytes: body };
  if (typeof body === 'string') return { string: body };
  if (body === undefined || body === null) return { string: '' };
  return { json: JSON.stringify(body) };
}

/**
 * The delivery count as the extension reports it: 1 on first delivery. The wire (AMQP header) count is
 * 0-based; the .NET SDK under the extension adds one, while the JS SDK exposes it raw.
 */
function extensionDeliveryCount(message: ServiceBusReceivedMessage): number {
  return (message.deliveryCount ?? 0) + 1;
}

/** Trigger metadata with the names the Service Bus extension binds (PascalCase; the library camel-cases them). */
export function messageMetadata(
  message: ServiceBusReceivedMessage,
  functionName: string,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  const put = (key: string, value: RpcTypedData | undefined): void => {
    if (value) metadata[key] = value;
  };
  const str = (value: string | number | Buffer | undefined): RpcTypedData | undefined =>
    value === undefined ? undefined : { string: value.toString() };
  const date = (value: Date | undefined): RpcTypedData | undefined =>
    value ? { string: value.toISOString() } : undefined;

  put('DeliveryCount', { int: extensionDeliveryCount(message) });
  put('MessageId', str(message.messageId));
  put('LockToken', str(message.lockToken));
  put('EnqueuedTimeUtc', date(message.enqueuedTimeUtc));
  put('ExpiresAtUtc', date(message.expiresAtUtc));
  put('LockedUntilUtc', date(message.lockedUntilUtc));
  put('SequenceNumber', message.sequenceNumber ? { int: message.sequenceNumber.toNumber() } : undefined);
  put('ContentType', str(message.contentType));
  put('CorrelationId', str(message.correlationId));
  put('Subject', str(message.subject));
  put('Label', str(message.subject));
  put('To', str(message.to));
  put('ReplyTo', str(message.replyTo));
  put('SessionId', str(message.sessionId));
  put('ReplyToSessionId', str(message.replyToSessionId));
  put('DeadLetterSource', str(message.deadLetterSource));
  const properties = message.applicationProperties ?? {};
  put('ApplicationProperties', { json: JSON.stringify(properties) });
  put('UserProperties', { json: JSON.stringify(properties) });
  put('sys', { json: JSON.stringify({ MethodName: functionName, UtcNow: new Date().toISOString() }) });
  return metadata;
}
