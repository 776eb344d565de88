import { z } from 'zod';
import { defineRoute } from '../http/route-spec';

/**
 * The dashboard: one catch-all that serves the built single-page app (dist/web). In Azure, literal segments
 * beat a catch-all, and the local host ranks routes the same way, so /api/*, /docs, /redoc, /openapi.json and
 * /.auth/* keep their own handlers; a path under those prefixes that has no handler is still answered as an
 * API 404 here, never with the app. Anonymous at the pipeline and trial-exempt, because the page itself
 * decides: no session → the EasyAuth sign-in, an expired trial → the app shows its expired-trial page.
 */
export const webRoutes = {
  getDashboard: defineRoute({
    operationId: 'getDashboard',
    method: 'GET',
    path: '/{*path}',
    summary: 'The dashboard (single-page app and its assets)',
    tag: 'Dashboard',
    access: 'anonymous',
    trialExempt: true,
    minTier: 'trial',
    rateLimit: 'read',
    kind: 'asset',
    hidden: true,
    params: z.object({ path: z.string().max(2048).optional() }),
    // Client routes carry their own state in the query (`/items?severity=critical`); the app reads it, not us.
    query: z.record(z.string(), z.string()),
    responses: {
      200: { description: 'A page or asset.' },
      302: { description: 'Not signed in: to the EasyAuth sign-in, coming back here.' },
      404: { description: 'No such asset.' },
    },
    // A missing file is a 404 for every caller, signed in or not.
    sample: { params: { path: 'missing-asset.js' }, status: 404 },
  }),
};
