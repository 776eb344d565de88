import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi-document';
import { openApiPath } from './route-spec';

const run = promisify(execFile);

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument(apiRoutes, '1.2.3');

  it('has one operation per visible route, with its operation id, and the pipeline errors', () => {
    for (const route of apiRoutes.filter((r) => !r.hidden)) {
      const operation = document.paths?.[openApiPath(route)]?.[route.method.toLowerCase() as 'get'];
      expect(operation?.operationId).toBe(route.operationId);
      const statuses = Object.keys(operation?.responses ?? {});
      if (route.access !== 'anonymous') expect(statuses).toContain('401');
      if (!route.trialExempt) expect(statuses).toContain('402');
      if (route.body) expect(statuses).toEqual(expect.arrayContaining(['400', '413']));
    }
    expect(document.info.version).toBe('1.2.3');
  });

  it('passes @redocly/cli lint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyward-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document, null, 2));
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const result = await run(process.execPath, [cli, 'lint', file, '--format', 'stylish'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((error: { stdout: string; stderr: string; code: number }) => error);
      expect({ code: 'code' in result ? result.code : 0, out: result.stdout + result.stderr }).toMatchObject({
        code: 0,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
