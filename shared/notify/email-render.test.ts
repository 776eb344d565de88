import { acsMessage } from './email-transports';
import { EMAIL_MAX_ROWS, renderEmail } from './email-render';
import type { DeliveryMessage, NotifyEvent } from './notify-schemas';

// No ACS emulator exists: delivery is tested over a real SMTP server (test/notify); here the rendering and the
// message handed to @azure/communication-email are checked.
function event(name: string, days: number, level: NotifyEvent['level']): NotifyEvent {
  return {
    key: name,
    action: 'trigger',
    reason: 'entered',
    alertType: 'secret_expiring',
    level,
    levels: [level],
    item: {
      id: name,
      scope: 's',
      kind: 'certificate',
      name,
      vaultName: 'kv-<prod>',
      subscriptionId: 'sub',
      subscriptionName: 'Prod & Co',
      expiresOn: '2026-12-01T00:00:00.000Z',
      severity: level,
      daysRemaining: days,
      tags: {},
    },
  };
}

const message = (events: NotifyEvent[]): DeliveryMessage => ({
  v: 1,
  deliveryKey: 'nd-email-1',
  channel: 'email',
  destination: { kind: 'email', to: ['a@contoso.example'] },
  alertType: 'secret_expiring',
  teamName: 'Infra',
  scanId: 'scan-1',
  createdAt: '2026-11-22T08:00:00.000Z',
  events,
  test: false,
});

describe('email rendering', () => {
  it('escapes names in the HTML table and keeps them readable in text', () => {
    const email = renderEmail(message([event('<script>alert(1)</script>', 9, 'severe')]));
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('kv-&lt;prod&gt;');
    expect(email.html).toContain('Prod &amp; Co');
    expect(email.text).toContain('<script>alert(1)</script> (certificate) in kv-<prod> — severe, 9 days left');
  });

  it(`lists the ${EMAIL_MAX_ROWS} most urgent items and summarises the rest`, () => {
    const events = Array.from({ length: 60 }, (_, i) => event(`item-${i}`, 60 - i, 'warning'));
    const email = renderEmail(message(events));
    expect(email.html.match(/<tr>/g)).toHaveLength(EMAIL_MAX_ROWS + 1);
    expect(email.text).toContain('item-59');
    expect(email.text).not.toContain('item-0 ');
    expect(email.text).toContain('…and 10 more (60 in total)');
    expect(email.subject).toBe('Keyward: 60 item(s) expiring or expired (warning)');
  });

  it('builds the ACS message: sender, HTML and plain text, one recipient entry per address', () => {
    const rendered = renderEmail(message([event('db', 3, 'critical')]));
    expect(acsMessage('DoNotReply@x.azurecomm.net', ['a@contoso.example', 'b@contoso.example'], rendered)).toEqual({
      senderAddress: 'DoNotReply@x.azurecomm.net',
      content: { subject: rendered.subject, plainText: rendered.text, html: rendered.html },
      recipients: { to: [{ address: 'a@contoso.example' }, { address: 'b@contoso.example' }] },
    });
  });
});
