import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { queueList } from '../shared/config/queues';
import { topicList } from '../shared/config/topics';
import { startAwsSim, type RunningAwsSim } from './aws-sim/aws-sim';
import { startAzurite, type RunningAzurite } from './azurite/azurite';
import { startAzureSim, type RunningAzureSim } from './azure-sim/azure-sim';
import { tenantFromArgument } from './azure-sim/tenant-load';
import { startGcpSim, type RunningGcpSim } from './gcp-sim/gcp-sim';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from './servicebus/servicebus-emulator';
import { startLocalNotifyTargets, type LocalNotifyTargets } from './mail/local-notify-targets';
import { localAppSettings } from './start/local-env';
import { assertPortFree } from './start/ports';

/** The AWS simulator's demo IAM role, printed at start. */
const DEMO_AWS_ROLE = 'arn:aws:iam::123456789012:role/keyward-sync';

// `npm start`: Azurite, the Service Bus emulator, the Azure simulator and the local Functions host with EasyAuth
// emulation, wired together on this machine. Everything stops on Ctrl-C.
const HELP = `Usage: npm start -- [options]
  --port <n>          Functions host (dashboard and API) port            (default 7071)
  --storage-port <n>  first of three Azurite ports: blob, queue, table   (default 10000)
  --bus-port <n>      Service Bus emulator (AMQP) port                    (default 5672)
  --sim-port <n>      Azure simulator (HTTPS) port                        (default 8443)
  --mail-port <n>     SMTP sink; its web inbox and the webhook receiver use
                      the next two ports                                  (default 2525)
  --tenant <t>        simulated tenant: demo, large or a JSON file       (default demo)
  --real-azure        no simulator: scan real Azure as your \`az login\` identity (DefaultAzureCredential)
  --free-ports        let the OS choose every port except --port
  --in-memory         keep storage in memory instead of .local/azurite`;

const repoRoot = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7071' },
      'storage-port': { type: 'string', default: '10000' },
      'bus-port': { type: 'string', default: '5672' },
      'sim-port': { type: 'string', default: '8443' },
      'mail-port': { type: 'string', default: '2525' },
      tenant: { type: 'string', default: 'demo' },
      'free-ports': { type: 'boolean', default: false },
      'in-memory': { type: 'boolean', default: false },
      'real-azure': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const free = values['free-ports'];
  const hostPort = Number(values.port);
  const storagePort = free ? 0 : Number(values['storage-port']);
  const busPort = free ? 0 : Number(values['bus-port']);
  const simPort = free ? 0 : Number(values['sim-port']);
  const mailPort = free ? 0 : Number(values['mail-port']);

  await assertPortFree(hostPort, 'Functions host');
  await assertPortFree(storagePort, 'Azurite blob');
  await assertPortFree(storagePort && storagePort + 1, 'Azurite queue');
  await assertPortFree(storagePort && storagePort + 2, 'Azurite table');
  await assertPortFree(busPort, 'Service Bus emulator');
  await assertPortFree(mailPort, 'SMTP sink');
  await assertPortFree(mailPort && mailPort + 1, 'mail inbox');
  await assertPortFree(mailPort && mailPort + 2, 'webhook receiver');
  if (!values['real-azure']) await assertPortFree(simPort, 'Azure simulator');

  const stack = new LocalStack();
  process.once('SIGINT', () => void stack.shutdown(0));
  process.once('SIGTERM', () => void stack.shutdown(0));
  try {
    stack.azurite = await startAzurite({
      ...(values['in-memory'] ? {} : { location: join(repoRoot, '.local', 'azurite') }),
      blobPort: storagePort,
      queuePort: storagePort && storagePort + 1,
      tablePort: storagePort && storagePort + 2,
    });
    stack.bus = await startServiceBusEmulator({ port: busPort, queues: queueList, topics: topicList });
    await assertPortFree(mailPort, 'SMTP sink');
    await assertPortFree(mailPort && mailPort + 1, 'mail inbox');
    await assertPortFree(mailPort && mailPort + 2, 'webhook receiver');
    if (!values['real-azure']) {
      stack.sim = await startAzureSim({ tenant: tenantFromArgument(values.tenant), port: simPort });
    }
    // Sync destinations: the AWS and GCP simulators on free ports (the sync clients refuse to start locally without them).
    stack.aws = await startAwsSim();
    // A role to try "role to assume" with (any access key may assume it; no external id required).
    stack.aws.roles.set(DEMO_AWS_ROLE, { arn: DEMO_AWS_ROLE });
    stack.gcp = await startGcpSim();
    stack.notify = await startLocalNotifyTargets({
      smtpPort: mailPort,
      mailWebPort: mailPort && mailPort + 1,
      receiverPort: mailPort && mailPort + 2,
    });
    const env = localAppSettings(repoRoot, {
      ...stack.notify.env,
      AzureWebJobsStorage: stack.azurite.connectionString,
      ServiceBusConnection: stack.bus.connectionString,
      ...stack.sim?.env(),
      ...stack.aws.env(),
      ...stack.gcp.env(),
    });
    const url = await stack.startHost(hostPort, env);
    console.log(banner(url, stack));
  } catch (error) {
    console.error(`\nKeyward could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stack.shutdown(1);
  }
}

class LocalStack {
  azurite?: RunningAzurite;
  bus?: RunningServiceBusEmulator;
  sim?: RunningAzureSim;
  aws?: RunningAwsSim;
  gcp?: RunningGcpSim;
  notify?: LocalNotifyTargets;
  private host?: ChildProcess;
  private stopping = false;

  /** Spawns the host on the compiled app and resolves with its URL once it prints its ready line. */
  startHost(port: number, env: Record<string, string>): Promise<string> {
    const cli = join(repoRoot, 'dist', 'dev', 'host', 'host-cli.js');
    const host = spawn(process.execPath, [cli, '--app', repoRoot, '--port', String(port)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.host = host;
    return new Promise((resolve, reject) => {
      let ready = false;
      host.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        process.stdout.write(text);
        const match = /Keyward host listening on (http:\/\/\S+)/.exec(text);
        if (!ready && match?.[1]) {
          ready = true;
          resolve(match[1].replace('127.0.0.1', 'localhost'));
        }
      });
      host.once('exit', (code) => {
        if (!ready) reject(new Error(`the Functions host exited with code ${code} before listening`));
        else if (!this.stopping) {
          console.error(`The Functions host stopped (code ${code}); stopping everything.`);
          void this.shutdown(code ?? 1);
        }
      });
    });
  }

  async shutdown(exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    console.log('\nStopping Keyward…');
    const host = this.host;
    if (host && host.exitCode === null && host.signalCode === null) {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGINT');
      const timer = setTimeout(() => host.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await Promise.allSettled([
      this.aws?.stop(),
      this.gcp?.stop(),
      this.notify?.stop(),
      this.sim?.stop(),
      this.bus?.stop(),
      this.azurite?.stop(),
    ]);
    process.exit(exitCode);
  }
}

function banner(url: string, stack: LocalStack): string {
  return [
    '',
    '  Keyward is running locally.',
    '',
    `  Open        ${url}/`,
    `  Sign in     ${url}/.auth/login/aad  (any name and email; pick roles — admin sees everything)`,
    `  Scripts     curl -c jar -L "${url}/.auth/login/aad?user=you@example.com&name=You&roles=admin"`,
    `  API docs    ${url}/docs   OpenAPI ${url}/openapi.json   Health ${url}/api/health`,
    stack.sim
      ? `  Azure       simulator at ${stack.sim.url}   Service Bus amqp://localhost:${stack.bus?.port ?? ''}`
      : `  Azure       real Azure, as your az login identity   Service Bus amqp://localhost:${stack.bus?.port ?? ''}`,
    `  Sync        AWS simulator ${stack.aws?.endpoint ?? ''} (role to assume: ${DEMO_AWS_ROLE})   GCP simulator ${stack.gcp?.endpoint ?? ''}`,
    ...(stack.notify?.banner ?? []).map((line) => `  ${line}`),
    '',
    '  Press Ctrl-C to stop everything.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(`\nKeyward could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
