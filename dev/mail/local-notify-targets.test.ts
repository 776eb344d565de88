import nodemailer from 'nodemailer';
import { signWebhook } from '../../shared/notify/webhook-signature';
import { startLocalNotifyTargets } from './local-notify-targets';

describe('local notification targets (npm start)', () => {
  it('the mail sink takes STARTTLS mail and lists it; the receiver flags good and bad signatures', async () => {
    const targets = await startLocalNotifyTargets();
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: Number(targets.env.SMTP_PORT),
        requireTLS: true,
        tls: { rejectUnauthorized: false },
      });
      await transport.sendMail({
        from: 'a@keyward.local',
        to: 'b@keyward.local',
        subject: 'Hello <sink>',
        html: '<p>hi</p>',
      });
      const [mail] = await targets.mail.waitFor(1);
      expect(mail).toMatchObject({ subject: 'Hello <sink>', secure: true, to: ['b@keyward.local'] });
      const inbox = await (await fetch(targets.mail.webUrl)).text();
      expect(inbox).toContain('Hello &lt;sink&gt;');
      expect(await (await fetch(`${targets.mail.webUrl}messages/1`)).text()).toContain('<p>hi</p>');

      const url = targets.env.NOTIFY_WEBHOOK_URL ?? '';
      const secret = targets.env.NOTIFY_WEBHOOK_SECRET ?? '';
      const body = JSON.stringify({ type: 'keyward.secret_expiring', version: 1 });
      const headers = signWebhook(secret, 'msg-1', Math.floor(Date.now() / 1000), body);
      await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
      await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: body + ' ',
      });
      const deliveries = (await (await fetch(`${targets.receiver.url}/api/deliveries`)).json()) as {
        signatureValid: boolean | null;
      }[];
      expect(deliveries.map((d) => d.signatureValid)).toEqual([true, false]);
      expect(await (await fetch(`${targets.receiver.url}/`)).text()).toContain('✘ INVALID');
    } finally {
      await targets.stop();
    }
  });
});
