import { useEffect, useState } from 'preact/hooks';
import { Link, Route, Switch, useLocation } from 'wouter-preact';
import { get, messageOf, whenTrialExpired } from './api';
import type { License, Me } from './api-types';
import { ErrorMessage } from './components';
import { AuditPage } from './pages/audit';
import { CompliancePage } from './pages/compliance';
import { DeadLettersPage } from './pages/dead-letters';
import { ItemsPage } from './pages/items';
import { KeysPage } from './pages/keys';
import { OverviewPage } from './pages/overview';
import { RotationPage } from './pages/rotation';
import { ScansPage } from './pages/scans';
import { SettingsPage } from './pages/settings';
import { SyncPage } from './pages/sync';
import { TrialExpiredPage } from './pages/trial-expired';
import { VaultsPage } from './pages/vaults';
import { permissionsOf, SessionContext, type Session } from './session';

/** Every page: its link in the menu (admin-only ones for admins) and its route, from one list. */
const nav = [
  { href: '/', label: 'Overview', page: OverviewPage },
  { href: '/items', label: 'Expiring items', page: ItemsPage },
  { href: '/vaults', label: 'Vaults & subscriptions', page: VaultsPage },
  { href: '/scans', label: 'Scans', page: ScansPage },
  { href: '/compliance', label: 'Compliance', page: CompliancePage },
  { href: '/rotation', label: 'Rotation', page: RotationPage },
  { href: '/sync', label: 'Sync', page: SyncPage },
  { href: '/settings', label: 'Settings', page: SettingsPage },
  { href: '/audit', label: 'Audit', page: AuditPage },
  { href: '/keys', label: 'API keys', page: KeysPage, admin: true },
  { href: '/dead-letters', label: 'Dead letters', page: DeadLettersPage, admin: true },
] as const;

function LicenseBanner({ license }: { license: License }) {
  if (!license.trialActive) return null;
  const days = license.daysRemaining ?? 0;
  return (
    <p class="banner" role="status">
      Trial: {days} {days === 1 ? 'day' : 'days'} left
      {license.trialExpiresAt ? ` (ends ${license.trialExpiresAt.slice(0, 10)})` : ''}.
    </p>
  );
}

function Shell({ session }: { session: Session }) {
  const [location] = useLocation();
  const { isAdmin } = permissionsOf(session.me);
  useEffect(() => {
    // Each page gets its own title, for tabs, history and screen readers.
    const page = nav.find((item) => item.href !== '/' && location.startsWith(item.href)) ?? nav[0];
    document.title = `${page.label} · Keyward`;
  }, [location]);
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Keyward</span>
        <nav aria-label="Main">
          <ul>
            {nav
              .filter((item) => !('admin' in item) || isAdmin)
              .map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={location === item.href ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <span class="who">
          {session.me.userName ?? session.me.userEmail ?? session.me.userId} ·{' '}
          {session.me.roles.join(', ') || 'no role'} · <a href="/.auth/logout">Sign out</a>
        </span>
      </header>
      <LicenseBanner license={session.license} />
      <main id="main">
        <Switch>
          {nav.map((item) => (
            <Route key={item.href} path={item.href} component={item.page} />
          ))}
          <Route path="/scans/:id" component={ScansPage} />
          <Route>
            <h1>Page not found</h1>
            <p>
              There is no page here. <Link href="/">Go to the overview</Link>.
            </p>
          </Route>
        </Switch>
      </main>
    </SessionContext.Provider>
  );
}

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; session: Session }
  | { kind: 'expired'; licenseUrl: string | undefined; canExport: boolean }
  | { kind: 'failed'; message: string };

/** Loads who is signed in and the license (both answer after a trial ends), then shows the app or why not. */
export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    whenTrialExpired((failure) =>
      setState((prev) => ({
        kind: 'expired',
        licenseUrl: failure.body.licenseUrl,
        canExport: prev.kind === 'ready' && permissionsOf(prev.session.me).canOperate,
      })),
    );
    Promise.all([get<Me>('/api/me'), get<License>('/api/license')])
      .then(([me, license]) => {
        const expired = license.tier === 'trial' && !license.trialActive;
        setState(
          expired
            ? { kind: 'expired', licenseUrl: undefined, canExport: permissionsOf(me).canOperate }
            : { kind: 'ready', session: { me, license } },
        );
      })
      .catch((error: unknown) => setState({ kind: 'failed', message: messageOf(error) }));
  }, []);
  if (state.kind === 'ready') return <Shell session={state.session} />;
  if (state.kind === 'expired') return <TrialExpiredPage licenseUrl={state.licenseUrl} canExport={state.canExport} />;
  return (
    <main id="main" class="solo">
      <h1>Keyward</h1>
      {state.kind === 'loading' ? <p aria-busy="true">Loading…</p> : <ErrorMessage message={state.message} />}
    </main>
  );
}
