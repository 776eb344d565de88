import type { Clock } from '../time/clock';
import {
  detectTeamsFormat,
  pagerDutyAlertPayload,
  pagerDutyPayload,
  serviceNowIncident,
  slackPayload,
  teamsPayload,
  webhookPayload,
} from './channel-payloads';
import { DeliveryError, errorForStatus, networkError } from './delivery-errors';
import type { EmailTransport } from './email-transports';
import { renderEmail } from './email-render';
import type { DeliveryMessage } from './notify-schemas';
import type { Target } from './notify-targets';
import { RedirectRefusedError, sendGuarded } from './outbound-http';
import { UrlRefusedError, type Resolver, type UrlPolicy } from './url-guard';
import { signWebhook } from './webhook-signature';

export interface SenderDeps {
  readonly policy: UrlPolicy;
  readonly clock: Clock;
  readonly resolver?: Resolver;
  readonly pagerDutyUrl: string;
  /** Overrides the whole-delivery deadline of outbound-http (tests use a short one). */
  readonly deadlineMs?: number;
  /** The email transport in use now (ACS or SMTP), or null when none is configured. */
  readonly email: () => Promise<EmailTransport | null>;
}

/** Sends one delivery to its resolved target; throws DeliveryError (retryable or not) on failure. */
export type SendDelivery = (message: DeliveryMessage, target: Target) => Promise<void>;

async function postJson(
  deps: SenderDeps & { readonly correlation?: Readonly<Record<string, string>> },
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  let response;
  try {
    const base = { 'content-type': 'application/json', 'user-agent': 'Keyward-Notify/1', ...deps.correlation };
    response = await sendGuarded(
      { url, body, headers: { ...base, ...headers } },
      {
        policy: deps.policy,
        clock: deps.clock,
        ...(deps.resolver ? { resolver: deps.resolver } : {}),
        ...(deps.deadlineMs ? { deadlineMs: deps.deadlineMs } : {}),
      },
    );
  } catch (error) {
    if (error instanceof UrlRefusedError) throw new DeliveryError(error.message, false);
    if (error instanceof RedirectRefusedError) throw new DeliveryError(error.message, false);
    throw networkError(error);
  }
  if (response.status < 200 || response.status >= 300)
    throw errorForStatus(response.status, response.retryAfterSeconds);
}

export function createSender(senderDeps: SenderDeps): SendDelivery {
  return async (message, target) => {
    // Receivers (and whoever reads their logs) can follow a delivery back to the scan or request that caused it.
    const deps = message.correlationId
      ? { ...senderDeps, correlation: { 'x-correlation-id': message.correlationId } }
      : senderDeps;
    switch (target.channel) {
      case 'email': {
        const transport = await deps.email();
        if (!transport) throw new DeliveryError('No email provider is configured', false);
        await transport.send(target.to, renderEmail(message));
        return;
      }
      case 'slack':
        return postJson(deps, target.url, JSON.stringify(slackPayload(message)));
      case 'teams': {
        const format = target.format === 'auto' ? detectTeamsFormat(target.url) : target.format;
        return postJson(deps, target.url, JSON.stringify(teamsPayload(message, format)));
      }
      case 'pagerduty': {
        if (message.alert) {
          return postJson(deps, deps.pagerDutyUrl, JSON.stringify(pagerDutyAlertPayload(target.routingKey, message)));
        }
        // The dispatcher puts exactly one event (and the level to trigger or resolve) in a PagerDuty delivery.
        for (const event of message.events) {
          await postJson(
            deps,
            deps.pagerDutyUrl,
            JSON.stringify(pagerDutyPayload(target.routingKey, message, event, event.level)),
          );
        }
        return;
      }
      case 'servicenow': {
        const auth = Buffer.from(`${target.username}:${target.password}`).toString('base64');
        const url = new URL('/api/now/table/incident', target.instanceUrl).toString();
        return postJson(deps, url, JSON.stringify(serviceNowIncident(message)), {
          authorization: `Basic ${auth}`,
          accept: 'application/json',
        });
      }
      case 'webhook': {
        const body = JSON.stringify(webhookPayload(message));
        const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
        return postJson(deps, target.url, body, signWebhook(target.secret, message.deliveryKey, timestamp, body));
      }
    }
  };
}
