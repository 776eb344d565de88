import type { z } from 'zod';
import type * as schemas from '../../../shared/sync/sync-schemas';
import type { Parsed } from '../schema-types';

/** The sync API's types by schema name (`SyncApi['dryRun']`), inferred from the schemas it answers with. */
export type SyncApi = Parsed<typeof schemas>;
export type SyncConfig = SyncApi['configView'];
/** What the config form sends: the schema's input, before its defaults apply. */
export type SyncConfigInput = z.input<typeof schemas.configInputSchema>;
