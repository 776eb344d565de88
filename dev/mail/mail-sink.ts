import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink received. */
export interface ReceivedMail {
  readonly id: number;
  readonly receivedAt: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The session was upgraded with STARTTLS (or was implicit TLS). */
  readonly secure: boolean;
  /** The SMTP user that authenticated, if any (never the password). */
  readonly user: string | null;
}

export interface MailSinkOptions {
  /** SMTP port; 0 (default) picks a free one. */
  readonly smtpPort?: number;
  /** Web inbox port; 0 (default) picks a free one. */
  readonly webPort?: number;
  /** Offer STARTTLS (smtp-server's built-in self-signed certificate). Default true. */
  readonly startTls?: boolean;
  /** Require these credentials; without them any client may send (a relay). */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Messages kept in memory, oldest dropped first. */
  readonly keep?: number;
}

export interface RunningMailSink {
  readonly smtpPort: number;
  readonly webPort: number;
  /** The web inbox, e.g. http://127.0.0.1:1080/. */
  readonly webUrl: string;
  messages(): readonly ReceivedMail[];
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  stop(): Promise<void>;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * A local SMTP sink with a small web inbox, built on nodemailer's `smtp-server` and `mailparser` (the same
 * maintainers as the nodemailer client the app uses; pure JavaScript, nothing downloaded at install).
 * Everything stays in memory and binds to 127.0.0.1 only.
 */
export async function startMailSink(options: MailSinkOptions = {}): Promise<RunningMailSink> {
  const mails: ReceivedMail[] = [];
  const keep = options.keep ?? 500;
  const waiters = new Set<() => void>();
  let nextId = 1;

  const smtp = new SMTPServer({
    banner: 'Keyward local mail sink',
    authOptional: !options.auth,
    disabledCommands: options.startTls === false ? ['STARTTLS'] : [],
    // Authentication over a clear connection is allowed here only because the sink listens on loopback.
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && (auth.username !== options.auth.user || auth.password !== options.auth.pass)) {
        callback(new Error('Invalid username or password'));
        return;
      }
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const address = (value: unknown): string =>
            typeof value === 'object' && value !== null && 'address' in value ? String(value.address) : '';
          mails.push({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            from: address(session.envelope.mailFrom),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            secure: session.secure,
            user: typeof session.user === 'string' && session.user ? session.user : null,
          });
          if (mails.length > keep) mails.splice(0, mails.length - keep);
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, '127.0.0.1', () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/messages\/(\d+)$/.exec(url.pathname);
    if (url.pathname === '/api/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mails));
      return;
    }
    if (match) {
      const mail = mails.find((m) => m.id === Number(match[1]));
      if (!mail) {
        res.writeHead(404).end('not found');
        return;
      }
      // The message's own HTML, sandboxed: no scripts, no requests out.
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        })
        .end(mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
      return;
    }
    const rows = [...mails]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}" target="view">${escapeHtml(m.subject)}</a></td><td>${m.secure ? 'TLS' : 'plain'}</td></tr>`,
      )
      .join('');
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'",
      })
      .end(
        `<!doctype html><title>Keyward mail sink</title><body style="font-family:sans-serif;margin:1em">` +
          `<h1 style="font-size:18px">Keyward local mail sink — ${mails.length} message(s) (SMTP 127.0.0.1:${smtpPort})</h1>` +
          `<table border="1" cellspacing="0" cellpadding="4"><tr><th>Received</th><th>To</th><th>Subject</th><th>Transport</th></tr>${rows}</table>` +
          `<iframe name="view" style="width:100%;height:60vh;border:1px solid #ccc;margin-top:1em"></iframe></body>`,
      );
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(options.webPort ?? 0, '127.0.0.1', () => resolve());
  });
  const webPort = (web.address() as AddressInfo).port;

  return {
    smtpPort,
    webPort,
    webUrl: `http://127.0.0.1:${webPort}/`,
    messages: () => [...mails],
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (mails.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve([...mails]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`mail sink: ${mails.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      web.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => web.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}
