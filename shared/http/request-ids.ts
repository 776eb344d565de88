import { randomUUID } from 'node:crypto';
import { isCorrelationId } from '../runtime/correlation';

export interface RequestIds {
  /** New for every request. */
  readonly requestId: string;
  /** The caller's x-correlation-id when it is a safe token, else the request id; ties logs across hops. */
  readonly correlationId: string;
}

export function requestIds(incomingCorrelationId: string | null): RequestIds {
  const requestId = randomUUID();
  const correlationId = isCorrelationId(incomingCorrelationId) ? incomingCorrelationId : requestId;
  return { requestId, correlationId };
}
