/**
 * Response and request types of the API, inferred from the very zod schemas the API parses its responses
 * through. Type-only imports: zod and the schemas stay out of the bundle.
 */
import type { z } from 'zod';
import type * as audit from '../../shared/audit/audit-schemas';
import type * as auth from '../../shared/auth/auth-schemas';
import type { errorSchema } from '../../shared/http/error-schema';
import type { licenseSchema } from '../../shared/license/license-schemas';
import type * as notifyApi from '../../shared/notify/notify-api-schemas';
import type * as notifyConfig from '../../shared/notify/notify-config-schemas';
import type * as notifySettings from '../../shared/notify/notify-settings';
import type * as portability from '../../shared/portability/portability-schemas';
import type * as scan from '../../shared/scan/scan-schemas';
import type * as deadLetters from '../../shared/system/dead-letter-schemas';
import type { Parsed } from './schema-types';

type Audit = Parsed<typeof audit>;
type Auth = Parsed<typeof auth>;
type Notify = Parsed<typeof notifyApi> & Parsed<typeof notifyConfig> & Parsed<typeof notifySettings>;
type Portability = Parsed<typeof portability>;
type Scan = Parsed<typeof scan>;
type DeadLetters = Parsed<typeof deadLetters>;

export type ErrorBody = z.infer<typeof errorSchema>;
export type Me = Auth['me'];
export type Role = Me['roles'][number];
export type License = z.infer<typeof licenseSchema>;

export type Stats = Scan['stats'];
export type ExpiringItem = Scan['expiringItem'];
export type ExpiringItemsPage = Scan['expiringItemsResponse'];
export type AssetsPage = Scan['assetsResponse'];
export type Severity = ExpiringItem['severity'];
export type ItemType = ExpiringItem['itemType'];
export type PermissionStatus = Scan['permissionStatus'];
export type DiscoveryVaults = Scan['discoveryVaultsResponse'];
export type DiscoveryScan = Scan['discoveryScan'];
export type DiscoveryScanDetail = Scan['discoveryScanDetail'];
export type DiscoveryScans = Scan['discoveryScansResponse'];
export type DiscoveryStart = Scan['discoveryStartResponse'];

export type Thresholds = Notify['thresholds'];
export type GeneralSettings = Notify['generalSettings'];
export type ReminderModes = Notify['reminderModes'];
export type ReminderMode = ReminderModes['warning'];
export type RouteView = Notify['routeView'];
/** `GET /api/routes` (inline schema in notify-routes). */
export type RouteList = { routes: RouteView[] };
export type ChannelView = Notify['channelView'];
export type WebhookConfigView = Notify['webhookConfigView'];
/** `POST /api/webhook-config` answers the channel plus, once, a secret it generated (inline schema in notify-routes). */
export type SavedChannel = ChannelView & { generatedSecret?: string };
export type TestResult = Notify['testResult'];
export type EmailConfigView = Notify['emailConfigView'];

export type AuditEntry = Audit['auditEntry'];
export type AuditPage = Audit['auditListResponse'];
export type AuditStats = Audit['auditStats'];
export type AuditExport = Audit['auditExportResponse'];
export type AuditOutcome = AuditEntry['outcome'];

export type ApiKeyList = Auth['apiKeyList'];
export type CreatedApiKey = Auth['createdApiKey'];

export type ConfigDocument = Portability['configDocument'];
export type ImportResult = Portability['importResult'];

export type DeadLetterList = DeadLetters['deadLetterList'];
export type DeadLetterEntity = DeadLetters['deadLetterEntity'];
export type DeadLetterReplayResult = DeadLetters['deadLetterReplayResult'];
