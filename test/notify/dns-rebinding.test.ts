import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { sendGuarded } from '../../shared/notify/outbound-http';
import { checkOutboundUrl, UrlRefusedError, type Resolver } from '../../shared/notify/url-guard';
import { systemClock } from '../../shared/time/clock';

/**
 * DNS rebinding: a name that answers a public address when the URL is checked (on save) and a private one when the
 * sender connects. The check at save time cannot stop it; the guard at connect time must, before any byte leaves.
 */
describe('an endpoint whose name rebinds between the check and the connect', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('reached'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Public (a TEST-NET-free, globally routable address) on the first question, then the given address. */
  function rebinding(then: string): { resolver: Resolver; asked: () => number } {
    let calls = 0;
    const resolver: Resolver = async (): Promise<readonly LookupAddress[]> => {
      calls += 1;
      return [{ address: calls === 1 ? '93.184.215.14' : then, family: 4 }];
    };
    return { resolver, asked: () => calls };
  }

  it.each([
    ['loopback, where a local service listens', '127.0.0.1', 'loopback_address'],
    ['the cloud metadata endpoint', '169.254.169.254', 'metadata_address'],
    ['a private network address', '10.1.2.3', 'private_address'],
  ])(
    'passes the save-time check, then is refused at connect time when it turns into %s',
    async (_n, address, reason) => {
      const { resolver, asked } = rebinding(address);
      const url = `https://hooks.rebind.example:${port}/alert`;
      const policy = { localMode: false };
      // Save time: the name resolves to a public address, so the URL is accepted.
      await expect(checkOutboundUrl(url, policy, resolver)).resolves.toBeInstanceOf(URL);
      const before = connections;
      // Send time: the same name now answers the inner address; the socket's own lookup refuses it.
      const sent = sendGuarded({ url, body: '{}' }, { policy, resolver, clock: systemClock });
      await expect(sent).rejects.toBeInstanceOf(UrlRefusedError);
      await expect(sent).rejects.toMatchObject({ reason });
      expect(asked()).toBe(2);
      // Positive evidence that nothing reached the inner address: the listener saw no connection.
      expect(connections).toBe(before);
    },
  );
});
