/** The sync API's types, inferred from the schemas the API parses its responses through (type-only imports). */
import type { z } from 'zod';
import type {
  configInputSchema,
  configListSchema,
  configViewSchema,
  connectionTestSchema,
  dryRunSchema,
  historyListSchema,
  recordListSchema,
  recordViewSchema,
  syncNowResultSchema,
} from '../../../shared/sync/sync-schemas';

export type SyncConfig = z.infer<typeof configViewSchema>;
export type SyncConfigList = z.infer<typeof configListSchema>;
export type SyncConfigInput = z.input<typeof configInputSchema>;
export type SyncRecord = z.infer<typeof recordViewSchema>;
export type SyncRecordList = z.infer<typeof recordListSchema>;
export type SyncHistory = z.infer<typeof historyListSchema>;
export type DryRun = z.infer<typeof dryRunSchema>;
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
export type SyncNow = z.infer<typeof syncNowResultSchema>;
