import type * as schemas from '../../../shared/rotation/rotation-schemas';
import type { Parsed } from '../schema-types';

/** The rotation API's types by schema name (`RotationApi['history']`), inferred from the schemas it answers with. */
export type RotationApi = Parsed<typeof schemas>;
