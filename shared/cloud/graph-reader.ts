import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy, TlsSettings } from '@azure/core-rest-pipeline';

export interface GraphReaderOptions {
  /** Graph root without the version, e.g. https://graph.microsoft.com. */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly additionalPolicies?: readonly { policy: PipelinePolicy; position: 'perRetry' }[];
  readonly tlsOptions?: TlsSettings;
  /** The process's shared HTTP client (its keep-alive connections); a new one when absent. */
  readonly httpClient?: HttpClient;
}

/** Thrown for a non-2xx Graph answer; carries Graph's error code, never the body text. */
export class GraphError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
  ) {
    super(`Graph answered ${statusCode} ${code}`);
    this.name = 'GraphError';
  }
}

export interface GraphReader {
  /** Every object of a collection, following `@odata.nextLink` (`path` like `/v1.0/applications?$select=…`). */
  listAll<T>(path: string): Promise<T[]>;
  /**
   * One request at normal priority (rotation's reads and credential writes), the JSON answer or GraphError. The
   * body may hold a secret (addPassword's answer): callers keep it in memory and never log it.
   */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/**
 * A read-only Microsoft Graph client on the Azure SDK pipeline: the same credential, retry (429 with Retry-After)
 * and per-attempt policies as the other clients, and `x-ms-throttle-priority: low` because a scan is background work.
 */
export function createGraphReader(options: GraphReaderOptions): GraphReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
  const pipeline = core.createPipelineFromOptions({
    ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
  });
  pipeline.addPolicy(
    core.bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: `${options.endpoint}/.default` }),
  );
  for (const { policy } of options.additionalPolicies ?? []) pipeline.addPolicy(policy, { phase: 'Retry' });
  const client = options.httpClient ?? core.createDefaultHttpClient();

  async function get(
    url: string,
    method: 'GET' | 'POST' = 'GET',
    payload?: unknown,
    priority = 'low',
  ): Promise<Record<string, unknown>> {
    const request = core.createPipelineRequest({
      url,
      method,
      headers: core.createHttpHeaders({
        accept: 'application/json',
        'x-ms-throttle-priority': priority,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      }),
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      ...(options.tlsOptions ? { tlsSettings: options.tlsOptions } : {}),
    });
    const response = await pipeline.sendRequest(client, request);
    const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    if (response.status < 200 || response.status >= 300) {
      const error = body.error as { code?: unknown } | undefined;
      throw new GraphError(response.status, typeof error?.code === 'string' ? error.code : 'unknown');
    }
    return body;
  }

  return {
    async listAll<T>(path: string): Promise<T[]> {
      const out: T[] = [];
      let next: string | undefined = `${options.endpoint}${path}`;
      while (next) {
        const body = await get(next);
        out.push(...((body.value as T[] | undefined) ?? []));
        const link = body['@odata.nextLink'];
        next = typeof link === 'string' ? link : undefined;
      }
      return out;
    },
    request: (method, path, body) => get(`${options.endpoint}${path}`, method, body, 'normal'),
  };
}
