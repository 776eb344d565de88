import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const createUi = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'infra', 'marketplace', 'createUiDefinition.json'), 'utf8'),
) as { parameters: { outputs: Record<string, string> } };

/** A v4 GUID carries 122 random bits; guid() is the only random source of the wizard's expression language. */
const GUID_BITS = 122;
const randomBits = (expression: string): number => (expression.match(/\bguid\(\)/g)?.length ?? 0) * GUID_BITS;

describe("the Marketplace wizard's generated secrets", () => {
  it.each(['notifySecretsKey'])('%s has at least 256 random bits', (name) => {
    const expression = createUi.parameters.outputs[name] ?? '';
    expect(randomBits(expression)).toBeGreaterThanOrEqual(256);
    // Nothing but GUIDs' hex: a deterministic part (uniqueString, a resource id) would add length, not entropy.
    expect(expression).not.toMatch(/uniqueString|resourceGroup|subscription|basics|steps/);
  });
});
