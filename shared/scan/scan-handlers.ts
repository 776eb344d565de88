import { badRequest, notFound } from '../http/http-errors';
import type { GroupHandlers } from '../http/register-routes';
import type { scanRoutes } from './scan-routes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const q = (): typeof import('./scan-queries') => require('./scan-queries');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const start = (): typeof import('./scan-service') => require('./scan-service');

/** Table Storage continuation tokens are base64 JSON naming the next partition and row. */
function isTableToken(token: string): boolean {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { nextPartitionKey?: unknown };
    return typeof parsed.nextPartitionKey === 'string';
  } catch {
    return false;
  }
}

/** The scan and inventory API: each handler calls one query or service of the scan (loaded on first call). */
export const scanHandlers: GroupHandlers<typeof scanRoutes> = {
  postTrigger: async ({ runtime, ids }) => {
    const { scan, started } = await start().startScan(runtime.scan(), {
      trigger: 'manual',
      mode: 'full',
      correlationId: ids.correlationId,
    });
    return {
      status: 202,
      body: {
        message: started ? 'Scan triggered' : 'Scan already running',
        correlationId: scan.correlationId,
        scanId: scan.scanId,
      },
    };
  },
  getStats: async ({ runtime }) => ({ status: 200, body: await q().getStats(runtime.scan()) }),
  getScans: async ({ runtime }) => ({ status: 200, body: await q().getScanHistory(runtime.scan()) }),
  getExpiringItems: async ({ runtime, query }) => ({
    status: 200,
    body: await q().getExpiringItems(runtime.scan(), query),
  }),
  getSubscriptions: async ({ runtime }) => ({ status: 200, body: await q().getSubscriptions(runtime.scan()) }),
  getPermissionStatus: async ({ runtime }) => ({ status: 200, body: await q().getPermissionStatus(runtime.scan()) }),
  postDiscoveryScan: async ({ runtime, body, ids }) => {
    const { scan, started } = await start().startScan(runtime.scan(), {
      trigger: 'discovery',
      mode: body.mode,
      ...(body.subscriptions ? { subscriptions: body.subscriptions } : {}),
      correlationId: ids.correlationId,
    });
    return { status: 202, body: { scanId: scan.scanId, status: scan.status, started, mode: scan.mode } };
  },
  getDiscoveryScans: async ({ runtime, query }) => ({
    status: 200,
    body: await q().listDiscoveryScans(runtime.scan(), query.limit, query.offset),
  }),
  getDiscoveryScan: async ({ runtime, params }) => {
    const d = runtime.scan();
    const scan = await d.scans.getScan(params.id);
    if (!scan) throw notFound('No scan with that id.');
    return {
      status: 200,
      body: { ...(await q().discoveryScan(d, scan)), units: await d.scans.listUnits(scan.scanId) },
    };
  },
  getDiscoveryAssets: async ({ runtime, query }) => {
    if (query.continuationToken && !isTableToken(query.continuationToken)) {
      throw badRequest('Invalid continuationToken.', [
        { field: 'query.continuationToken', message: 'Not a token this API issued' },
      ]);
    }
    const d = runtime.scan();
    const page = await d.inventory.query({
      ...(query.type ? { type: query.type } : {}),
      ...(query.status ? { severity: query.status } : {}),
      ...(query.vault ? { vault: query.vault } : {}),
      ...(query.subscription ? { subscription: query.subscription } : {}),
      limit: query.limit,
      ...(query.continuationToken ? { continuationToken: query.continuationToken } : {}),
    });
    const now = d.clock.now();
    return {
      status: 200,
      body: {
        assets: page.items.map((i) => q().toAsset(i, now)),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
  },
  getDiscoveryAsset: async ({ runtime, params }) => {
    const d = runtime.scan();
    const item = await d.inventory.get(params.id);
    if (!item || item.excluded) throw notFound('No asset with that id.');
    return { status: 200, body: { ...item, ...q().toAsset(item, d.clock.now()) } };
  },
  getDiscoveryVaults: async ({ runtime }) => ({ status: 200, body: await q().getDiscoveryVaults(runtime.scan()) }),
};
