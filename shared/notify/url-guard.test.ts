import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../time/clock';
import { RedirectRefusedError, sendGuarded } from './outbound-http';
import { checkOutboundUrl, UrlRefusedError, type RefusalReason, type Resolver } from './url-guard';

const production = { localMode: false };
const local = { localMode: true };

/** A resolver with a fixed zone, so a public-looking name can answer with any address. */
const zone: Record<string, string[]> = {
  'hooks.example.com': ['52.85.10.20'],
  'public.example.net': ['8.8.8.8'],
  'internal.example.com': ['10.1.2.3'],
  'rebind.example.com': ['8.8.4.4', '192.168.0.10'],
  'metadata.example.com': ['169.254.169.254'],
  'ula.example.com': ['fd12:3456::1'],
  'localhost.example.com': ['127.0.0.1'],
};
const resolver: Resolver = async (host) => {
  const answers = zone[host];
  if (!answers) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function reason(url: string, policy = production): Promise<RefusalReason | 'allowed'> {
  try {
    await checkOutboundUrl(url, policy, resolver);
    return 'allowed';
  } catch (error) {
    if (error instanceof UrlRefusedError) return error.reason;
    throw error;
  }
}

describe('outbound URL guard (save time)', () => {
  it.each([
    ['http://public.example.net/hook', 'scheme_not_allowed'],
    ['ftp://public.example.net/hook', 'scheme_not_allowed'],
    ['https://user:pw@public.example.net/hook', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
    ['https://no-such-host.example.org/', 'unresolvable_host'],
    ['https://127.0.0.1/', 'loopback_address'],
    ['https://127.8.9.10/', 'loopback_address'],
    ['https://[::1]/', 'loopback_address'],
    ['https://localhost.example.com/', 'loopback_address'],
    ['https://10.0.0.1/', 'private_address'],
    ['https://172.16.5.4/', 'private_address'],
    ['https://172.31.255.255/', 'private_address'],
    ['https://192.168.1.1/', 'private_address'],
    ['https://100.64.0.1/', 'private_address'],
    ['https://[fd12:3456::1]/', 'private_address'],
    ['https://[fc00::1]/', 'private_address'],
    ['https://ula.example.com/', 'private_address'],
    ['https://internal.example.com/', 'private_address'],
    ['https://rebind.example.com/', 'private_address'],
    ['https://169.254.10.10/', 'link_local_address'],
    ['https://[fe80::1]/', 'link_local_address'],
    ['https://169.254.169.254/metadata/instance', 'metadata_address'],
    ['https://[fd00:ec2::254]/', 'metadata_address'],
    ['https://[fd00:0ec2:0000::0254]/', 'metadata_address'],
    ['https://168.63.129.16/', 'metadata_address'],
    ['https://metadata.example.com/', 'metadata_address'],
    ['https://[::ffff:10.0.0.1]/', 'private_address'],
    ['https://[::ffff:169.254.169.254]/', 'metadata_address'],
    ['https://[::ffff:127.0.0.1]/', 'loopback_address'],
    ['https://0.0.0.0/', 'non_public_address'],
    ['https://203.0.113.10/', 'non_public_address'],
    ['https://224.0.0.1/', 'non_public_address'],
    ['https://[64:ff9b::a00:1]/', 'non_public_address'],
  ])('refuses %s (%s)', async (url, expected) => {
    expect(await reason(url)).toBe(expected);
  });

  it('allows public https endpoints', async () => {
    expect(await reason('https://hooks.example.com/services/T000/B000/XXXX')).toBe('allowed');
    expect(await reason('https://8.8.8.8/')).toBe('allowed');
  });

  it('local mode: http and https only to loopback; private and metadata stay refused', async () => {
    expect(await reason('http://127.0.0.1:8025/hook', local)).toBe('allowed');
    expect(await reason('http://[::1]:8025/hook', local)).toBe('allowed');
    expect(await reason('http://public.example.net/hook', local)).toBe('scheme_not_allowed');
    expect(await reason('http://10.0.0.1/hook', local)).toBe('private_address');
    expect(await reason('http://169.254.169.254/', local)).toBe('metadata_address');
    expect(await reason('https://hooks.example.com/x', local)).toBe('allowed');
  });

  it('the refusal message never contains the URL', async () => {
    await expect(checkOutboundUrl('https://10.0.0.1/secret-token-abc', production, resolver)).rejects.toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('secret-token-abc') }),
    );
  });
});

describe('outbound URL guard (send time, real HTTP server on loopback)', () => {
  let server: http.Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      const redirects: Record<string, [number, string]> = {
        '/to-metadata': [307, 'http://169.254.169.254/latest/meta-data/'],
        '/to-private-name': [308, 'https://internal.example.com/'],
        '/found': [302, '/final'],
        '/to-final': [307, '/final'],
      };
      const redirect = redirects[req.url ?? ''];
      if (redirect) {
        res.writeHead(redirect[0], { location: redirect[1] }).end();
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${req.method} ${body}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (url: string, policy = local) =>
    sendGuarded({ url, body: 'payload' }, { policy, resolver, clock: systemClock });

  it('follows a 307 to an allowed address, keeping method and body', async () => {
    await expect(send(`${base}/to-final`)).resolves.toMatchObject({ status: 200, body: 'got POST payload' });
  });

  it('refuses a redirect to the metadata address and to a name that resolves privately', async () => {
    await expect(send(`${base}/to-metadata`)).rejects.toMatchObject({ reason: 'metadata_address' });
    await expect(send(`${base}/to-private-name`)).rejects.toMatchObject({ reason: 'private_address' });
  });

  it('does not follow a 302 for a POST', async () => {
    await expect(send(`${base}/found`)).rejects.toBeInstanceOf(RedirectRefusedError);
    expect(hits).not.toContain('/final-after-302');
  });

  it('checks again at send time: loopback is refused outside local mode, before any request is made', async () => {
    const before = hits.length;
    await expect(send(`${base}/to-final`, production)).rejects.toMatchObject({ reason: 'scheme_not_allowed' });
    await expect(
      sendGuarded({ url: 'https://localhost.example.com:1/' }, { policy: production, resolver, clock: systemClock }),
    ).rejects.toMatchObject({
      reason: 'loopback_address',
    });
    expect(hits.length).toBe(before);
  });
});
