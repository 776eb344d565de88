import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../webhook-receiver/webhook-receiver';
import { startMailSink, type RunningMailSink } from './mail-sink';

export interface LocalNotifyTargetsOptions {
  readonly smtpPort?: number;
  readonly mailWebPort?: number;
  readonly receiverPort?: number;
}

export interface LocalNotifyTargets {
  readonly mail: RunningMailSink;
  readonly receiver: RunningWebhookReceiver;
  /** App settings that point the app's email and preset generic webhook at the two (merge into the host env). */
  readonly env: Record<string, string>;
  /** Lines for the `npm start` banner. */
  readonly banner: readonly string[];
  stop(): Promise<void>;
}

/**
 * `npm start`'s notification targets: the SMTP sink (STARTTLS offered, any credentials) and the webhook receiver
 * with a fresh signing secret, plus the settings that make the demo tenant's alerts land in them.
 */
export async function startLocalNotifyTargets(options: LocalNotifyTargetsOptions = {}): Promise<LocalNotifyTargets> {
  const secret = generateWebhookSecret();
  const mail = await startMailSink({ smtpPort: options.smtpPort ?? 0, webPort: options.mailWebPort ?? 0 });
  let receiver: RunningWebhookReceiver;
  try {
    receiver = await startWebhookReceiver({ port: options.receiverPort ?? 0, secret });
  } catch (error) {
    await mail.stop();
    throw error;
  }
  return {
    mail,
    receiver,
    env: {
      KEYWARD_LOCAL_MODE: 'true',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.smtpPort),
      SMTP_SECURITY: 'starttls',
      SMTP_FROM_EMAIL: 'keyward@keyward.local',
      NOTIFY_WEBHOOK_URL: `${receiver.url}/keyward`,
      NOTIFY_WEBHOOK_SECRET: secret,
      PAGERDUTY_EVENTS_URL: `${receiver.url}/pagerduty/v2/enqueue`,
    },
    banner: [
      `Mail inbox (SMTP 127.0.0.1:${mail.smtpPort}): ${mail.webUrl}`,
      `Webhook receiver (signed deliveries): ${receiver.url}/`,
    ],
    async stop() {
      await Promise.all([mail.stop(), receiver.stop()]);
    },
  };
}
