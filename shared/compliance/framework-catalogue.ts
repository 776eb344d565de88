import { z } from 'zod';
import asb3 from './frameworks/azure-security-benchmark-v3.json';
import cis20 from './frameworks/cis-azure-2.0.json';
import cis21 from './frameworks/cis-azure-2.1.json';
import cis30 from './frameworks/cis-azure-3.0.json';
import cis40 from './frameworks/cis-azure-4.0.json';
import cis50 from './frameworks/cis-azure-5.0.json';
import cis60 from './frameworks/cis-azure-6.0.json';
import hipaa from './frameworks/hipaa-security-rule.json';
import iso27001 from './frameworks/iso27001-2022.json';
import nist80053 from './frameworks/nist-800-53-r5.json';
import pci40 from './frameworks/pci-dss-4.0.json';
import soc2 from './frameworks/soc2-2017.json';

/**
 * How a control relates to Keyward's rules: the rules are the control's evidence (`direct`), they support it but
 * do not cover it (`supporting`), or the control is the customer's to meet (`customer`: no rule can show it).
 */
export const evidenceTypes = ['direct', 'supporting', 'customer'] as const;

export const frameworkSchema = z.object({
  id: z.string().regex(/^[a-z0-9.-]{2,60}$/),
  name: z.string().min(1),
  family: z.string().min(1),
  version: z.string().min(1),
  /** Where the control numbers come from. */
  source: z.string().min(1),
  controls: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        title: z.string().min(1),
        level: z.string().nullish(),
        evidence: z.enum(evidenceTypes),
        rules: z.array(z.string()),
      }),
    )
    .min(1),
});
export type Framework = z.infer<typeof frameworkSchema>;
export type FrameworkControl = Framework['controls'][number];

/** Shown wherever results are: Keyward collects evidence, an auditor certifies. */
export const COMPLIANCE_DISCLAIMER =
  'Compliance evidence, not certification: these results show how the scanned Azure resources meet the mapped ' +
  'controls. They do not certify compliance with any framework; controls marked "customer" need evidence Keyward ' +
  'cannot collect.';

/** Every framework, one data file per framework and version (shared/compliance/frameworks/), parsed at load. */
export const frameworks: readonly Framework[] = [
  cis20,
  cis21,
  cis30,
  cis40,
  cis50,
  cis60,
  soc2,
  iso27001,
  nist80053,
  pci40,
  hipaa,
  asb3,
].map((f) => frameworkSchema.parse(f));

export function findFramework(id: string): Framework | undefined {
  return frameworks.find((f) => f.id === id);
}

/** Framework ids each rule maps to (for the violations filter and rule listings). */
export function frameworksOfRule(ruleId: string): string[] {
  return frameworks.filter((f) => f.controls.some((c) => c.rules.includes(ruleId))).map((f) => f.id);
}
