import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';

/**
 * One ServiceBusClient per binding `connection` name, built once, as the extension shares clients.
 * The name resolves like the extension's: `<name>` or `AzureWebJobs<name>` holds a connection string;
 * otherwise `<name>__fullyQualifiedNamespace` selects an identity-based connection.
 */
export class ServiceBusClients {
  readonly #env: NodeJS.ProcessEnv;
  readonly #clients = new Map<string, ServiceBusClient>();
  readonly #senders = new Map<string, ServiceBusSender>();

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  client(connection: string): ServiceBusClient {
    const existing = this.#clients.get(connection);
    if (existing) return existing;
    const client = this.#create(connection);
    this.#clients.set(connection, client);
    return client;
  }

  /** A cached sender per connection and entity, so output bindings do not open a link per message. */
  sender(connection: string, entity: string): ServiceBusSender {
    const key = `${connection}\n${entity}`;
    const existing = this.#senders.get(key);
    if (existing) return existing;
    const sender = this.client(connection).createSender(entity);
    this.#senders.set(key, sender);
    return sender;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#senders.values()].map((sender) => sender.close()));
    await Promise.allSettled([...this.#clients.values()].map((client) => client.close()));
    this.#senders.clear();
    this.#clients.clear();
  }

  #create(connection: string): ServiceBusClient {
    const connectionString = this.#env[connection] || this.#env[`AzureWebJobs${connection}`];
    if (connectionString) return new ServiceBusClient(connectionString);
    const namespace = this.#env[`${connection}__fullyQualifiedNamespace`];
    if (namespace) return new ServiceBusClient(namespace, new DefaultAzureCredential());
    throw new Error(
      `Service Bus connection "${connection}" is not configured: set the app setting "${connection}" ` +
        `(connection string) or "${connection}__fullyQualifiedNamespace".`,
    );
  }
}
