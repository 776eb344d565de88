/**
 * Response and request types of the API, inferred from the very zod schemas the API parses its responses
 * through. Type-only imports: zod and the schemas stay out of the bundle.
 */
import type { z } from 'zod';
import type { auditEntrySchema, auditExportResponseSchema, auditStatsSchema } from '../../shared/audit/audit-schemas';
import type { apiKeyListSchema, createdApiKeySchema, meSchema } from '../../shared/auth/auth-schemas';
import type { errorSchema } from '../../shared/http/error-schema';
import type { licenseSchema } from '../../shared/license/license-schemas';
import type {
  channelViewSchema,
  emailConfigViewSchema,
  routeViewSchema,
  webhookConfigViewSchema,
} from '../../shared/notify/notify-config-schemas';
import type { testResultSchema } from '../../shared/notify/notify-api-schemas';
import type { configDocumentSchema, importResultSchema } from '../../shared/portability/portability-schemas';
import type { generalSettingsSchema, reminderModesSchema, thresholdsSchema } from '../../shared/notify/notify-settings';
import type {
  discoveryScanDetailSchema,
  discoveryScanSchema,
  discoveryScansResponseSchema,
  discoveryStartResponseSchema,
  discoveryVaultsResponseSchema,
  expiringItemSchema,
  expiringItemsResponseSchema,
  permissionStatusSchema,
  statsSchema,
} from '../../shared/scan/scan-schemas';
import type {
  deadLetterEntitySchema,
  deadLetterListSchema,
  deadLetterReplayResultSchema,
} from '../../shared/system/dead-letter-schemas';

export type ErrorBody = z.infer<typeof errorSchema>;
export type Me = z.infer<typeof meSchema>;
export type Role = Me['roles'][number];
export type License = z.infer<typeof licenseSchema>;

export type Stats = z.infer<typeof statsSchema>;
export type ExpiringItem = z.infer<typeof expiringItemSchema>;
export type ExpiringItemsPage = z.infer<typeof expiringItemsResponseSchema>;
export type Severity = ExpiringItem['severity'];
export type ItemType = ExpiringItem['itemType'];
export type PermissionStatus = z.infer<typeof permissionStatusSchema>;
export type DiscoveryVaults = z.infer<typeof discoveryVaultsResponseSchema>;
export type DiscoveryScan = z.infer<typeof discoveryScanSchema>;
export type DiscoveryScanDetail = z.infer<typeof discoveryScanDetailSchema>;
export type DiscoveryScans = z.infer<typeof discoveryScansResponseSchema>;
export type DiscoveryStart = z.infer<typeof discoveryStartResponseSchema>;

export type Thresholds = z.infer<typeof thresholdsSchema>;
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;
export type ReminderModes = z.infer<typeof reminderModesSchema>;
export type ReminderMode = ReminderModes['warning'];
export type RouteView = z.infer<typeof routeViewSchema>;
export type ChannelView = z.infer<typeof channelViewSchema>;
export type WebhookConfigView = z.infer<typeof webhookConfigViewSchema>;
/** `POST /api/webhook-config` answers the channel plus, once, a secret it generated (inline schema in notify-routes). */
export type SavedChannel = ChannelView & { generatedSecret?: string };
export type TestResult = z.infer<typeof testResultSchema>;
export type EmailConfigView = z.infer<typeof emailConfigViewSchema>;

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditStats = z.infer<typeof auditStatsSchema>;
export type AuditExport = z.infer<typeof auditExportResponseSchema>;
export type AuditOutcome = AuditEntry['outcome'];

export type ApiKeyList = z.infer<typeof apiKeyListSchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export type ConfigDocument = z.infer<typeof configDocumentSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;

export type DeadLetterList = z.infer<typeof deadLetterListSchema>;
export type DeadLetterEntity = z.infer<typeof deadLetterEntitySchema>;
export type DeadLetterReplayResult = z.infer<typeof deadLetterReplayResultSchema>;
