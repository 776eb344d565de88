import { isIP } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import type { StoredEmailConfig } from './notify-config-store';
import { DeliveryError } from './delivery-errors';
import type { RenderedEmail } from './email-render';
import { checkOutboundHost, UrlRefusedError, type Resolver, type UrlPolicy } from './url-guard';

/** Sends one rendered email; throws DeliveryError. */
export interface EmailTransport {
  readonly provider: 'acs' | 'smtp';
  send(to: readonly string[], email: RenderedEmail): Promise<void>;
}

/** The ACS message for a rendered email (exported so its shape is tested without a service). */
export function acsMessage(
  sender: string,
  to: readonly string[],
  email: RenderedEmail,
): import('@azure/communication-email').EmailMessage {
  return {
    senderAddress: sender,
    content: { subject: email.subject, plainText: email.text, html: email.html },
    recipients: { to: to.map((address) => ({ address })) },
  };
}

const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;

/**
 * Azure Communication Services email, with a connection string or (preferred in Azure) the endpoint and the
 * managed identity. The SDK is loaded on first use to keep cold starts light.
 */
export function createAcsTransport(options: {
  connectionString?: string;
  endpoint?: string;
  credential?: TokenCredential;
  sender: string;
}): EmailTransport {
  let client: import('@azure/communication-email').EmailClient | undefined;
  const getClient = (): import('@azure/communication-email').EmailClient => {
    if (!client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { EmailClient } = require('@azure/communication-email') as typeof import('@azure/communication-email');
      if (options.connectionString) client = new EmailClient(options.connectionString);
      else if (options.endpoint && options.credential) client = new EmailClient(options.endpoint, options.credential);
      else throw new DeliveryError('ACS is not configured', false);
    }
    return client;
  };
  return {
    provider: 'acs',
    async send(to, email) {
      try {
        const poller = await getClient().beginSend(acsMessage(options.sender, to, email));
        const result = await poller.pollUntilDone();
        if (result.status !== 'Succeeded') throw new DeliveryError(`ACS send ended ${result.status}`, true);
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const status = statusOf(error);
        const retryable = status === undefined || status === 429 || status >= 500;
        throw new DeliveryError(`ACS send failed${status ? ` (HTTP ${status})` : ''}`, retryable);
      }
    },
  };
}

/**
 * SMTP through nodemailer: `none` is an unauthenticated relay (port 25, no TLS), `starttls` upgrades on 587 and
 * refuses to send in clear, `tls` is implicit TLS on 465. `localMode` accepts the local sink's self-signed cert.
 *
 * The host passes the webhooks' outbound guard when each message is sent, and nodemailer connects to the very
 * address that was checked (with the name kept for SNI and the certificate check), so an admin-set host, or a
 * name that later resolves elsewhere, cannot reach the metadata endpoint or the private network. Credentials are
 * never offered on a connection without TLS.
 */
export function createSmtpTransport(
  config: StoredEmailConfig,
  options: UrlPolicy & { readonly resolver?: Resolver },
): EmailTransport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodemailer = require('nodemailer') as typeof import('nodemailer');
  const connect = async (): Promise<import('nodemailer').Transporter> => {
    if (config.security === 'none' && (config.username || config.password))
      throw new DeliveryError('SMTP credentials are never sent without TLS (security none)', false);
    let address: string;
    try {
      const [first] = await checkOutboundHost(config.host, options, options.resolver);
      address = first?.address ?? '';
    } catch (error) {
      if (error instanceof UrlRefusedError) throw new DeliveryError(`SMTP host refused: ${error.reason}`, false);
      throw error;
    }
    const name = config.host.trim().replace(/^\[(.*)\]$/, '$1');
    const servername = isIP(name) ? undefined : name;
    return nodemailer.createTransport({
      host: address,
      port: config.port,
      secure: config.security === 'tls',
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      ...(servername ? { servername } : {}),
      ...(config.username ? { auth: { user: config.username, pass: config.password } } : {}),
      tls: { rejectUnauthorized: !options.localMode, ...(servername ? { servername } : {}) },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  };
  return {
    provider: 'smtp',
    async send(to, email) {
      const transport = await connect();
      try {
        await transport.sendMail({
          from: { name: config.fromName || 'Keyward', address: config.fromAddress },
          to: [...to],
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
      } catch (error) {
        const e = error as { code?: string; responseCode?: number };
        // 4xx replies and connection trouble are transient; 5xx and authentication failures are not.
        const retryable = e.responseCode ? e.responseCode < 500 : e.code !== 'EAUTH' && e.code !== 'EENVELOPE';
        throw new DeliveryError(
          `SMTP send failed (${[e.code, e.responseCode].filter(Boolean).join(' ') || 'error'})`,
          retryable,
        );
      } finally {
        transport.close();
      }
    },
  };
}
