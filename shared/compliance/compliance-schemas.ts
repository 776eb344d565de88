import { z } from 'zod';
import { customScopes, scopes } from './compliance-facts';
import { CEL_LIMITS } from './compliance-cel';
import { evidenceTypes } from './framework-catalogue';
import { outcomes, ruleSeverities } from './compliance-rule-types';

const iso = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const evidence = z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]));
const ruleId = z
  .string()
  .trim()
  .regex(/^(KW-[A-Z]+-\d{3}|CUSTOM-[0-9a-f]{12})$/, 'a rule id like KW-KV-001 or CUSTOM-…');
export const violationStatuses = ['open', 'waived', 'resolved'] as const;

export const frameworkRefSchema = z.object({
  framework: z.string().trim().min(1).max(60),
  control: z.string().trim().min(1).max(40),
});

/** A built-in rule's admin settings. */
export const ruleSettingsSchema = z.object({
  enabled: z.boolean(),
  params: z.record(z.string().max(40), z.union([z.number().int(), z.string().max(200)])),
});

export const customRuleInputSchema = z.strictObject({
  scope: z.enum(customScopes),
  condition: z.string().max(CEL_LIMITS.maxLength * 2),
  severity: z.enum(ruleSeverities),
  title: z.string().trim().min(3).max(200),
  remediation: z.string().trim().max(2000).default(''),
  frameworks: z.array(frameworkRefSchema).max(20).default([]),
  enabled: z.boolean().default(true),
});

export const customRuleSchema = customRuleInputSchema.extend({
  id: ruleId,
  createdAt: iso,
  updatedAt: iso,
});

/** PUT body: built-ins take `enabled` and `params`; custom rules any of their fields. */
export const ruleUpdateSchema = z.strictObject({
  enabled: z.boolean().optional(),
  params: z.record(z.string().max(40), z.union([z.number().int(), z.string().max(200)])).optional(),
  scope: z.enum(customScopes).optional(),
  condition: z
    .string()
    .max(CEL_LIMITS.maxLength * 2)
    .optional(),
  severity: z.enum(ruleSeverities).optional(),
  title: z.string().trim().min(3).max(200).optional(),
  remediation: z.string().trim().max(2000).optional(),
  frameworks: z.array(frameworkRefSchema).max(20).optional(),
});

export const ruleIdParamsSchema = z.object({ id: ruleId });

const ruleRunSchema = z.object({
  passed: count,
  failed: count,
  waived: count,
  notEvaluated: count,
  budgetExceeded: z.boolean(),
});

export const ruleViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['builtIn', 'custom']),
  title: z.string(),
  severity: z.enum(ruleSeverities),
  scopes: z.array(z.enum(scopes)),
  rationale: z.string(),
  remediation: z.object({ portal: z.string(), cli: z.string() }),
  evidence: z.array(z.string()),
  params: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      type: z.enum(['int', 'list']),
      default: z.union([z.number(), z.string()]),
      value: z.union([z.number(), z.string()]),
      min: z.number().optional(),
      max: z.number().optional(),
    }),
  ),
  enabled: z.boolean(),
  retired: z.boolean(),
  condition: z.string().nullable(),
  frameworks: z.array(frameworkRefSchema),
  lastRun: ruleRunSchema.nullable(),
});

export const rulesResponseSchema = z.object({ rules: z.array(ruleViewSchema) });

export const ruleTestBodySchema = z.strictObject({
  scope: z.enum(customScopes),
  condition: z.string().max(CEL_LIMITS.maxLength * 2),
  /** Matches returned (the counts cover everything). */
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const resourceSchema = z.object({
  scope: z.enum(scopes),
  key: z.string(),
  name: z.string(),
  vaultName: z.string(),
  subscriptionId: z.string(),
});

export const ruleTestResponseSchema = z.object({
  counts: z.object({ passed: count, failed: count, notEvaluated: count }),
  matches: z.array(z.object({ resource: resourceSchema, outcome: z.enum(outcomes), evidence })),
  budgetExceeded: z.boolean(),
  timing: z.object({ compileMs: z.number().nonnegative(), evaluateMs: z.number().nonnegative() }),
  scanId: z.string().nullable(),
});

export const waiverSchema = z.object({
  reason: z.string(),
  expiresAt: iso,
  waivedBy: z.string(),
  waivedAt: iso,
});

export const violationSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleTitle: z.string(),
  severity: z.enum(ruleSeverities),
  resource: resourceSchema,
  status: z.enum(violationStatuses),
  firstSeen: iso,
  lastSeen: iso,
  resolvedAt: iso.nullable(),
  evidence,
  waiver: waiverSchema.nullable(),
  frameworks: z.array(z.string()),
});

export const violationsQuerySchema = z.object({
  severity: z.enum(ruleSeverities).optional(),
  framework: z.string().trim().max(60).optional(),
  rule: ruleId.optional(),
  vault: z.string().trim().max(100).optional(),
  subscription: z.string().trim().max(100).optional(),
  status: z.enum(violationStatuses).default('open'),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  continuationToken: z.string().max(2000).optional(),
});

export const violationsResponseSchema = z.object({
  violations: z.array(violationSchema),
  continuationToken: z.string().nullable(),
  disclaimer: z.string(),
});

export const violationIdParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });

export const waiveBodySchema = z.strictObject({
  reason: z.string().trim().min(3).max(500),
  expiresAt: iso,
});

const severityCounts = z.object({ passed: count, failed: count, waived: count, notEvaluated: count });

export const frameworkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  version: z.string(),
  score: z.number().min(0).max(100).nullable(),
  controls: z.object({ passed: count, failed: count, notEvaluated: count, customer: count, total: count }),
});

export const scoreResponseSchema = z.object({
  scanId: z.string().nullable(),
  evaluatedAt: iso.nullable(),
  score: z.number().min(0).max(100).nullable(),
  passed: count,
  failed: count,
  waived: count,
  notEvaluated: count,
  total: count,
  bySeverity: z.record(z.enum(ruleSeverities), severityCounts),
  frameworks: z.array(frameworkSummarySchema),
  trend: z.array(z.object({ scanId: z.string(), at: iso, score: z.number().nullable() })),
  disclaimer: z.string(),
});

export const frameworksResponseSchema = z.object({
  frameworks: z.array(frameworkSummarySchema),
  disclaimer: z.string(),
});

export const controlStatuses = ['passed', 'failed', 'notEvaluated', 'customer'] as const;

export const frameworkDetailSchema = frameworkSummarySchema.extend({
  source: z.string(),
  disclaimer: z.string(),
  scanId: z.string().nullable(),
  controlDetails: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      level: z.string().nullable(),
      evidenceType: z.enum(evidenceTypes),
      status: z.enum(controlStatuses),
      rules: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          severity: z.enum(ruleSeverities),
          enabled: z.boolean(),
          result: ruleRunSchema.nullable(),
        }),
      ),
    }),
  ),
});

export const frameworkIdParamsSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]{2,60}$/),
});

export const evidenceQuerySchema = z.object({ format: z.enum(['json', 'pdf']).default('json') });
