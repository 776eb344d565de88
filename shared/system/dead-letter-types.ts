import type { z } from 'zod';
import type {
  deadLetterEntitySchema,
  deadLetterListSchema,
  deadLetterMessageSchema,
  deadLetterReplayResultSchema,
} from './dead-letter-schemas';

export type DeadLetterMessage = z.infer<typeof deadLetterMessageSchema>;
export type DeadLetterEntityView = z.infer<typeof deadLetterEntitySchema>;
export type DeadLetterList = z.infer<typeof deadLetterListSchema>;
export type DeadLetterReplayResult = z.infer<typeof deadLetterReplayResultSchema>;
