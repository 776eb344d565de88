/**
 * The app entry (package.json "main"): imports every registration module, grouped by feature, then checks
 * that every route in the table got a handler. Module top levels stay light for cold start.
 */
import { apiRoutes } from '../shared/http/api-routes';
import { registerHttpHooks } from '../shared/http/http-hooks';
import { assertAllRoutesRegistered } from '../shared/http/register-routes';
import { registerCorrelationHook } from '../shared/runtime/correlation-hook';
import { runtime } from '../shared/runtime/runtime';
import { registerMalformedHook } from '../shared/system/malformed-hook';
import { registerTelemetryHooks } from '../shared/telemetry/invocation-spans';
import { startTelemetry } from '../shared/telemetry/start-telemetry';
import './audit/audit-http';
import './audit/audit-timer';
import './auth/auth-http';
import './compliance/compliance-http';
import './compliance/compliance-workers';
import './docs/docs-http';
import './notify/notify-http';
import './notify/notify-workers';
import './portability/portability-http';
import './rotation/rotation-http';
import './rotation/rotation-workers';
import './scan/scan-http';
import './scan/scan-workers';
import './sync/sync-http';
import './sync/sync-workers';
import './system/system-http';
import './web/web-http';

// Hook order matters: a hook registered later wraps the ones before it. The span hook first (the distro's own hook,
// registered by startTelemetry, binds the handler to the host's trace context after it), then the correlation id.
startTelemetry();
registerTelemetryHooks();
registerCorrelationHook();
registerHttpHooks();
registerMalformedHook(runtime);
assertAllRoutesRegistered(apiRoutes);
