import { ExportConfigButton } from './settings-portability';

/** What everyone sees once the trial has ended: a clear page, not a spinner. The configuration export still works. */
export function TrialExpiredPage({ licenseUrl, canExport }: { licenseUrl: string | undefined; canExport: boolean }) {
  return (
    <main id="main" class="solo">
      <h1>Your Keyward trial has ended</h1>
      <p>
        The 14-day trial is over, so scans, notifications and the dashboard are paused. Your data is kept: subscribe to
        a paid plan to continue where you left off.
      </p>
      {licenseUrl ? (
        <p>
          <a class="button" href={licenseUrl}>
            Choose a plan
          </a>
        </p>
      ) : null}
      {canExport ? (
        <p>
          Your configuration stays yours: <ExportConfigButton />
        </p>
      ) : null}
      <p>
        If you cannot subscribe yourself, ask the person who installed Keyward. <a href="/.auth/logout">Sign out</a>
      </p>
    </main>
  );
}
