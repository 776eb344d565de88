import { slackPayload, teamsPayload } from './channel-payloads';
import { escapeTeams } from './chat-markup';
import type { DeliveryMessage, NotifyEvent } from './notify-schemas';

/** An app registration whose display name (anyone who owns it can set it) tries Slack and Teams markup. */
const HOSTILE = 'Pay <!channel> <https://evil.example|click me> [login](https://evil.example) & co';

const event = (name: string): NotifyEvent => ({
  key: 'k',
  action: 'trigger',
  reason: 'entered',
  alertType: 'secret_expiring',
  level: 'critical',
  levels: ['critical'],
  item: {
    id: 'directory~app~1',
    scope: 'directory',
    kind: 'appSecret',
    name,
    vaultName: '<!here> vault',
    subscriptionId: 'sub',
    subscriptionName: 'sub',
    expiresOn: '2026-11-25T00:00:00.000Z',
    severity: 'critical',
    daysRemaining: 3,
    tags: {},
  },
});

const message = (over: Partial<DeliveryMessage> = {}): DeliveryMessage => ({
  v: 1,
  deliveryKey: 'd-1',
  channel: 'slack',
  destination: { kind: 'channel', channel: 'slack' },
  alertType: 'secret_expiring',
  teamName: '<!subteam^S1> team',
  scanId: 'scan-1',
  createdAt: '2026-11-22T08:00:00.000Z',
  events: [event(HOSTILE)],
  test: false,
  ...over,
});

const alertMessage = message({
  alertType: 'rotation_failed',
  events: [],
  alert: {
    subject: 'rotation of <!channel> failed',
    severity: 'critical',
    facts: { '<b>app</b>': HOSTILE, count: 2 },
  },
});

/** Every string a chat client renders as markup, however deep (a MessageCard's `summary` is plain text). */
const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, v]) => (key === 'summary' ? [] : strings(v)))
        : [];

describe('Slack mrkdwn: estate text is escaped', () => {
  it.each([
    ['an item list', message()],
    ['a raised alert (subject and facts)', alertMessage],
  ])('%s: no <, > or raw & reaches Slack, so <!channel> and <https://x|y> stay text', (_, msg) => {
    const text = strings(slackPayload(msg));
    for (const s of text) {
      expect(s).not.toMatch(/[<>]/);
      expect(s).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(text.join('\n')).toContain('&lt;!channel&gt;');
  });

  it('the escaped text keeps every character (Slack shows it as written)', () => {
    const body = slackPayload(message()) as { attachments: { text: string; fields: { value: string }[] }[] };
    const decoded = body.attachments[0]?.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(decoded).toContain(HOSTILE);
    expect(decoded).toContain('<!here> vault');
    expect(body.attachments[0]?.fields[0]?.value).toBe('&lt;!subteam^S1&gt; team');
  });
});

describe('Teams markdown: estate text is escaped', () => {
  it.each(['workflows', 'messagecard'] as const)('%s: no link, autolink, mention or HTML survives', (format) => {
    for (const msg of [message(), alertMessage]) {
      const text = strings(teamsPayload(msg, format)).filter((s) => !s.startsWith('http'));
      for (const s of text) {
        // Every markup character that is present is preceded by a backslash, Keyward's own "(critical)" included.
        expect(s).not.toMatch(/(^|[^\\])[<>[\]*_`]/);
        expect(s).not.toMatch(/(^|[^\\])\]\(/);
      }
      expect(text.join('\n')).toContain('\\[login\\]\\(https://evil.example\\)');
    }
  });

  it('names keep their text; ordinary names are unchanged', () => {
    expect(escapeTeams('[login](https://x)')).toBe('\\[login\\]\\(https://x\\)');
    expect(escapeTeams('<https://x|y>')).toBe('\\<https://x\\|y\\>');
    expect(escapeTeams('- item\n1. two')).toBe('\\- item\n1\\. two');
    expect(escapeTeams('db-password v2.1')).toBe('db-password v2.1');
  });
});
