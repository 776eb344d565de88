import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** authsettingsV2 `globalValidation`, the part of EasyAuth's configuration the local host emulates. */
export interface GlobalValidation {
  readonly requireAuthentication: boolean;
  readonly unauthenticatedClientAction: 'RedirectToLoginPage' | 'Return401' | 'Return403' | 'AllowAnonymous';
  readonly excludedPaths: readonly string[];
}

const ACTIONS = ['RedirectToLoginPage', 'Return401', 'Return403', 'AllowAnonymous'] as const;

/** Without a file, EasyAuth lets everyone through (but still strips forged identity headers). */
export const ANONYMOUS: GlobalValidation = {
  requireAuthentication: false,
  unauthenticatedClientAction: 'AllowAnonymous',
  excludedPaths: [],
};

/**
 * Reads `<appDir>/infra/authsettings.json` (or `file`), the same file the Bicep loads with
 * `loadJsonContent` into `authsettingsV2.properties.globalValidation`, so local and deployed behaviour
 * share one list.
 *
 * Keyward's own file says `requireAuthentication: false` / `AllowAnonymous` on purpose: API keys
 * (`Authorization: Bearer kw_…`) are not Entra tokens, and EasyAuth would reject them before the app saw
 * them. So EasyAuth only signs users in and injects the principal headers, and the app enforces identity
 * (session principal or API key) on every route itself.
 */
export function readAuthSettings(appDir: string, file = join(appDir, 'infra', 'authsettings.json')): GlobalValidation {
  if (!existsSync(file)) return ANONYMOUS;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof GlobalValidation, unknown>>;
  const action = raw.unauthenticatedClientAction ?? 'RedirectToLoginPage';
  if (typeof action !== 'string' || !ACTIONS.some((a) => a === action)) {
    throw new Error(`${file}: unauthenticatedClientAction must be one of ${ACTIONS.join(', ')}.`);
  }
  const excluded = raw.excludedPaths ?? [];
  if (!Array.isArray(excluded) || !excluded.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw new Error(`${file}: excludedPaths must be a list of paths starting with "/".`);
  }
  return {
    requireAuthentication: raw.requireAuthentication === true,
    unauthenticatedClientAction: action as GlobalValidation['unauthenticatedClientAction'],
    excludedPaths: excluded,
  };
}

export type GateDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'deny'; readonly status: 401 | 403 };

/**
 * What EasyAuth does with a request that carries no valid session. `RedirectToLoginPage` answers 401
 * instead of redirecting to AJAX calls (`X-Requested-With: XMLHttpRequest`), as App Service does.
 */
export function decideUnauthenticated(
  settings: GlobalValidation,
  pathAndQuery: string,
  requestedWith: string | undefined,
): GateDecision {
  const path = pathAndQuery.split('?')[0] ?? '/';
  if (!settings.requireAuthentication || isExcluded(settings.excludedPaths, path)) return { kind: 'allow' };
  switch (settings.unauthenticatedClientAction) {
    case 'AllowAnonymous':
      return { kind: 'allow' };
    case 'Return401':
      return { kind: 'deny', status: 401 };
    case 'Return403':
      return { kind: 'deny', status: 403 };
    case 'RedirectToLoginPage':
      if (requestedWith?.toLowerCase() === 'xmlhttprequest') return { kind: 'deny', status: 401 };
      return {
        kind: 'redirect',
        location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(pathAndQuery)}`,
      };
  }
}

/**
 * Excluded-path matching is undocumented (azure-docs #72954). The emulation: exact, case-insensitive,
 * trailing slash ignored; an entry ending in `/*` excludes everything below its prefix.
 */
export function isExcluded(excludedPaths: readonly string[], path: string): boolean {
  const normal = normalise(path);
  return excludedPaths.some((entry) => {
    if (entry.endsWith('/*')) {
      const prefix = normalise(entry.slice(0, -2));
      return normal === prefix || normal.startsWith(`${prefix}/`);
    }
    return normalise(entry) === normal;
  });
}

function normalise(path: string): string {
  const trimmed = path.toLowerCase().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
