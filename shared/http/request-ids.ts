import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestIds {
  /** New for every request. */
  readonly requestId: string;
  /** The caller's x-correlation-id when it is a safe token, else the request id; ties logs across hops. */
  readonly correlationId: string;
}

export function requestIds(incomingCorrelationId: string | null): RequestIds {
  const requestId = randomUUID();
  const correlationId =
    incomingCorrelationId && SAFE_ID.test(incomingCorrelationId) ? incomingCorrelationId : requestId;
  return { requestId, correlationId };
}
