import type { AzureSimOptions } from '../../dev/azure-sim/azure-sim';
import { startScanStack, type ScanStack } from '../scan/scan-stack';

export interface ComplianceStack extends ScanStack {
  /** Triggers a scan and waits until its compliance evaluation is served by the score endpoint. */
  scanAndEvaluate(): Promise<{ scanId: string; completedAt: string }>;
  send(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export async function startComplianceStack(
  sim: AzureSimOptions,
  env: Record<string, string> = {},
): Promise<ComplianceStack> {
  const s = await startScanStack(sim, { KEYWARD_RATE_LIMIT_EXPENSIVE: '100000', ...env });
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${s.stack.url}${path}`, {
      method,
      headers: { cookie: s.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  return Object.assign(s, {
    send,
    async scanAndEvaluate() {
      const trigger = await s.post<{ scanId: string }>('/api/trigger');
      const scan = await s.waitForScan(trigger.body.scanId);
      const until = Date.now() + 60_000;
      for (;;) {
        const score = await s.get<{ scanId: string | null }>('/api/compliance/score');
        if (score.scanId === scan.scanId) return { scanId: scan.scanId, completedAt: scan.completedAt ?? '' };
        if (Date.now() > until)
          throw new Error(`compliance not evaluated for ${scan.scanId}\n${s.stack.host.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  });
}
