import { useSession } from '../session';
import { AlertingSettings } from './settings-alerting';
import { ChannelSettings } from './settings-channels';
import { PortabilitySettings } from './settings-portability';
import { RouteSettings } from './settings-routes';

/** Everything an admin configures without the API; readers see the same values, read-only. */
export function SettingsPage() {
  const { isAdmin } = useSession();
  return (
    <>
      <h1>Settings</h1>
      {isAdmin ? null : <p class="notice">You can view the settings; only an admin can change them.</p>}
      <AlertingSettings />
      <RouteSettings />
      <ChannelSettings />
      <PortabilitySettings />
    </>
  );
}
