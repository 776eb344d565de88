/** Types of the rotation API, inferred from the schemas it answers with (type-only: nothing reaches the bundle). */
import type { z } from 'zod';
import type {
  historySchema,
  inventorySchema,
  recordListSchema,
  recordSchema,
  rotationSchema,
} from '../../../shared/rotation/rotation-schemas';

export type RotationInventory = z.infer<typeof inventorySchema>;
export type RotationRecordView = z.infer<typeof recordSchema>;
export type RotationRecordList = z.infer<typeof recordListSchema>;
export type RotationHistory = z.infer<typeof historySchema>;
export type RotationView = z.infer<typeof rotationSchema>;
