import type { z } from 'zod';
import type {
  configChangeSchema,
  configChannelSchema,
  configDocumentSchema,
  configRouteSchema,
  importResultSchema,
} from './portability-schemas';

export type ConfigDocument = z.infer<typeof configDocumentSchema>;
export type ConfigRoute = z.infer<typeof configRouteSchema>;
export type ConfigChannel = z.infer<typeof configChannelSchema>;
export type ConfigChange = z.infer<typeof configChangeSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
