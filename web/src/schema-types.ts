import type { z } from 'zod';

/**
 * What each zod schema a module exports parses to, by the schema's name without "Schema": for
 * `import type * as schemas from '…/rotation-schemas'`, `Parsed<typeof schemas>['history']` is
 * `z.infer<typeof historySchema>`. A feature's API types then follow its schemas with no alias to keep up.
 */
export type Parsed<M> = {
  [
    K in keyof M as M[K] extends z.ZodType ? (K extends `${infer Name}Schema` ? Name : never) : never
  ]: M[K] extends z.ZodType ? z.output<M[K]> : never;
};
