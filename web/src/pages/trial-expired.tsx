/** What everyone sees once the trial has ended: a clear page, not a spinner. Export still works (admins). */
export function TrialExpiredPage({ licenseUrl }: { licenseUrl: string | undefined }) {
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
      <p>
        Administrators can still download the configuration from <a href="/api/export">/api/export</a>.{' '}
        <a href="/.auth/logout">Sign out</a>
      </p>
    </main>
  );
}
