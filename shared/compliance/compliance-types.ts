import type { z } from 'zod';
import type {
  customRuleInputSchema,
  customRuleSchema,
  frameworkDetailSchema,
  frameworkSummarySchema,
  ruleSettingsSchema,
  ruleTestResponseSchema,
  ruleUpdateSchema,
  ruleViewSchema,
  scoreResponseSchema,
  violationSchema,
  violationsQuerySchema,
  waiverSchema,
} from './compliance-schemas';

export type RuleSettings = z.infer<typeof ruleSettingsSchema>;
export type CustomRuleInput = z.input<typeof customRuleInputSchema>;
export type NewCustomRule = z.infer<typeof customRuleInputSchema>;
export type CustomRule = z.infer<typeof customRuleSchema>;
export type RuleUpdate = z.infer<typeof ruleUpdateSchema>;
export type RuleView = z.infer<typeof ruleViewSchema>;
export type RuleTestResponse = z.infer<typeof ruleTestResponseSchema>;
export type Violation = z.infer<typeof violationSchema>;
export type Waiver = z.infer<typeof waiverSchema>;
export type ViolationsQuery = z.infer<typeof violationsQuerySchema>;
export type ScoreResponse = z.infer<typeof scoreResponseSchema>;
export type FrameworkSummary = z.infer<typeof frameworkSummarySchema>;
export type FrameworkDetail = z.infer<typeof frameworkDetailSchema>;
