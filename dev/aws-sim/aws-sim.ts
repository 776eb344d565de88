import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultState, type CloudSimKnobs, type CloudSimLogEntry } from '../cloud-sim/cloud-sim-knobs';
import { createAcm } from './acm-ops';
import { AwsError, type AwsBody, type AwsOperation } from './aws-protocol';
import { createSecretsManager } from './secrets-manager-ops';
import { createSsm } from './ssm-ops';
import { createSts, StsError, stsErrorXml } from './sts-ops';

export type { CloudSimKnobs, CloudSimLogEntry } from '../cloud-sim/cloud-sim-knobs';

export interface AwsSimOptions {
  readonly port?: number;
  readonly region?: string;
  readonly accountId?: string;
  readonly knobs?: Partial<CloudSimKnobs>;
  readonly now?: () => Date;
}

/**
 * One loopback HTTP endpoint for the three AWS services Keyward syncs to, on the awsJson1_1 protocol the SDK v3
 * speaks, and STS AssumeRole on the awsQuery protocol (a form body, no `x-amz-target`). The service is chosen by
 * the `x-amz-target` prefix, as the real endpoints' front ends do; the SigV4 signature is not verified, but its
 * credential scope must name the service the target belongs to, and its access key id is checked: temporary
 * credentials must come with the session token STS issued and be unexpired, and a key registered with
 * `sourceOnlyKeys` (an IAM user allowed only to assume roles) is refused by the three services.
 */
interface Service {
  readonly scope: string;
  readonly operations: Record<string, AwsOperation>;
  /** The 5xx error code the service's model declares. */
  readonly serverError: string;
}

export async function startAwsSim(options: AwsSimOptions = {}) {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const now = options.now ?? (() => new Date());
  const faults = createFaultState(options.knobs);
  const sm = createSecretsManager(region, accountId, now);
  const ssm = createSsm(region, accountId, now);
  const acm = createAcm(region, accountId, now);
  const sts = createSts(now);
  const sourceOnlyKeys = new Set<string>();
  const services: Record<string, Service> = {
    secretsmanager: { scope: 'secretsmanager', operations: sm.operations, serverError: 'InternalServiceError' },
    AmazonSSM: { scope: 'ssm', operations: ssm.operations, serverError: 'InternalServerError' },
    CertificateManager: { scope: 'acm', operations: acm.operations, serverError: 'InternalFailure' },
  };

  /** The caller's credential: temporary ones must carry their session token and be unexpired. */
  function checkCaller(req: IncomingMessage, keyId: string, service: string, operation: string): void {
    if (keyId.startsWith('ASIA')) {
      const session = sts.sessions.get(keyId);
      if (!session || req.headers['x-amz-security-token'] !== session.sessionToken) {
        throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      if (session.expiration.getTime() <= now().getTime()) {
        throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
      }
    } else if (sourceOnlyKeys.has(keyId)) {
      throw new AwsError(
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/${keyId} is not authorized to perform: ${service}:${operation}`,
      );
    }
  }

  function handleSts(res: ServerResponse, body: string, auth: RegExpExecArray | null): void {
    const form = new URLSearchParams(body);
    const entry = {
      service: 'sts',
      operation: form.get('Action') ?? '',
      target: form.get('RoleArn') ?? '',
      write: false,
    };
    let status = 200;
    let answer: string;
    try {
      if (!auth) throw new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      if (auth[2] !== region || auth[3] !== 'sts') {
        throw new StsError(
          'SignatureDoesNotMatch',
          'Credential should be scoped to a valid region and service sts.',
          403,
        );
      }
      if (form.get('Action') !== 'AssumeRole') {
        throw new StsError('InvalidAction', `Could not find operation ${String(form.get('Action'))}`);
      }
      answer = sts.assumeRole(form, auth[1] ?? '');
    } catch (error) {
      const e = error instanceof StsError ? error : new StsError('InternalFailure', 'An internal error occurred.', 500);
      status = e.status;
      answer = stsErrorXml(e);
    }
    faults.record({ ...entry, status });
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(answer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(req.headers.authorization ?? ''),
    );
    if (
      req.method === 'POST' &&
      req.headers['x-amz-target'] === undefined &&
      String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ) {
      handleSts(res, Buffer.concat(chunks).toString('utf8'), credential);
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix = '', operationName = ''] = target.split('.');
    const service = services[prefix];
    const operation = service?.operations[operationName];
    let body: AwsBody = {};
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    const fail = (error: AwsError, entry: Omit<CloudSimLogEntry, 'at' | 'status'>) => {
      faults.record({ ...entry, status: error.status });
      send(error.status, { __type: error.type, message: error.message });
    };
    const entry = {
      service: service?.scope ?? prefix,
      operation: operationName,
      target: '',
      write: operation?.write ?? false,
    };
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new AwsError('UnknownOperationException', '', 404);
      if (!service || !operation) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
      if (!credential)
        throw new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 403);
      if (credential[2] !== region || credential[3] !== service.scope) {
        throw new AwsError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region and service ${service.scope}.`,
          403,
        );
      }
      checkCaller(req, credential[1] ?? '', service.scope, operationName);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new AwsError('SerializationException', 'Content type must be application/x-amz-json-1.1');
      }
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as AwsBody;
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      entry.target = operation.target(body);
    } catch (error) {
      fail(error as AwsError, entry);
      return;
    }
    if (faults.knobs().latencyMs > 0) await sleep(faults.knobs().latencyMs);
    const fault = faults.before();
    if (fault === 'throttled') {
      faults.record({ ...entry, status: 400, fault });
      send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      return;
    }
    if (fault === 'error500') {
      faults.record({ ...entry, status: 500, fault });
      send(500, { __type: service.serverError, message: 'An error occurred on the server side.' });
      return;
    }
    try {
      const result = operation.run(body);
      if (operation.write && faults.loseResponse()) {
        faults.record({ ...entry, status: 500, fault: 'lostResponse' });
        send(500, { __type: service.serverError, message: 'An error occurred on the server side.' });
        return;
      }
      faults.record({ ...entry, status: 200 });
      send(200, result);
    } catch (error) {
      if (error instanceof AwsError) fail(error, entry);
      else fail(new AwsError(service.serverError, 'An error occurred on the server side.', 500), entry);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    region,
    accountId,
    /** Every request: service, operation, the addressed name, write or read, status and injected fault. */
    requestLog: faults.log,
    clearLog: faults.clearLog,
    setKnobs: faults.setKnobs,
    /** The simulated state, for tests to check what a sync left behind. */
    secrets: sm.secrets,
    parameters: ssm.parameters,
    certificates: acm.certificates,
    /** IAM roles STS lets callers assume, and the temporary credentials it issued. */
    roles: sts.roles,
    sessions: sts.sessions,
    /** Long-term access key ids allowed only to call STS (the three services refuse them). */
    sourceOnlyKeys,
    env: (): Record<string, string> => ({ SYNC_AWS_ENDPOINT: endpoint }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RunningAwsSim = Awaited<ReturnType<typeof startAwsSim>>;
