import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettings, type AppSettingSpec } from '../../shared/config/app-settings';
import { queueList } from '../../shared/config/queues';
import { topicList } from '../../shared/config/topics';
import { buildTemplate, findBicep, GET_BICEP_HINT } from '../../infra/bicep-cli';
import { renderAppSettingsJson, renderQueuesJson, renderTopicsJson } from '../../infra/infra-config';
import {
  createdObjectKeys,
  entityNamesInCode,
  moduleTemplate,
  quotedStrings,
  settingsReadByCode,
  variable,
  type ArmTemplate,
} from './infra-template';

// One list of settings, queues and topics: the code, the catalogue (shared/config), local.settings.sample.json, the
// JSON files the Bicep loads and the compiled Bicep must all name the same settings, queues and topics.
// The real Bicep CLI takes several seconds per build on a shared 2-core machine.
jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');
const productionRoots = [join(root, 'functions'), join(root, 'shared')];
const catalogue = appSettings as Record<string, AppSettingSpec>;
const catalogueNames = Object.keys(catalogue).sort();

/** Environment variables production code reads that are not app settings, each with why. */
const NOT_APP_SETTINGS: Record<string, string> = {
  KEYWARD_AUDIT_HMAC_KEY: 'read by the offline keyward-verify-audit CLI a customer runs, never by the Function App',
};

/** Settings the Functions host or App Service reads (the Bicep may set them; the code never reads them). */
const PLATFORM_SETTING =
  /^(APPLICATIONINSIGHTS_[A-Z_]+|FUNCTIONS_EXTENSION_VERSION|WEBSITE_RUN_FROM_PACKAGE|MICROSOFT_PROVIDER_AUTHENTICATION_SECRET|[A-Za-z]+__(credential|clientId))$/;

describe('app settings: code ↔ catalogue ↔ local.settings.sample.json', () => {
  const read = settingsReadByCode(productionRoots);
  const sample = (JSON.parse(readFileSync(join(root, 'local.settings.sample.json'), 'utf8')) as { Values: object })
    .Values;

  it('finds the settings production code reads (the scan works)', () => {
    expect(read.has('KEYWARD_TIER')).toBe(true);
  });

  it('declares every setting the code reads in the catalogue', () => {
    const undeclared = [...read.keys()].filter((name) => !(name in catalogue) && !(name in NOT_APP_SETTINGS));
    expect(undeclared.map((name) => `${name} (read in ${read.get(name)?.join(', ')})`)).toEqual([]);
  });

  it('lists exactly the catalogue in local.settings.sample.json (else run `npm run settings:sample`)', () => {
    expect(Object.keys(sample).sort()).toEqual(catalogueNames);
  });
});

describe('JSON files the Bicep loads (else run `npm run infra:config`)', () => {
  it('infra/generated/app-settings.json is the catalogue', () => {
    expect(readFileSync(join(root, 'infra', 'generated', 'app-settings.json'), 'utf8')).toBe(renderAppSettingsJson());
  });

  it('infra/generated/queues.json is the queue list', () => {
    expect(readFileSync(join(root, 'infra', 'generated', 'queues.json'), 'utf8')).toBe(renderQueuesJson());
  });

  it('infra/generated/topics.json is the topic list', () => {
    expect(readFileSync(join(root, 'infra', 'generated', 'topics.json'), 'utf8')).toBe(renderTopicsJson());
  });
});

describe('queues and topics: code ↔ lists ↔ Service Bus emulator', () => {
  it('spells out no queue name that is missing from shared/config/queues.ts', () => {
    const listed = new Set(queueList.map((q) => q.name));
    expect([...entityNamesInCode(productionRoots, 'queueName')].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('spells out no topic name that is missing from shared/config/topics.ts', () => {
    const listed = new Set(topicList.map((t) => t.name));
    expect([...entityNamesInCode(productionRoots, 'topicName')].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('starts the local Service Bus emulator with the queue list and the topic list themselves', () => {
    const start = readFileSync(join(root, 'dev', 'start.ts'), 'utf8');
    expect(start).toMatch(/queues:\s*queueList\b/);
    expect(start).toMatch(/topics:\s*topicList\b/);
  });
});

const bicep = findBicep();
if (bicep === undefined) console.warn(`Skipping the compiled-Bicep checks. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

withBicep('compiled Bicep ↔ catalogue, queue list and topic list', () => {
  let functionApp: ArmTemplate;
  let serviceBus: ArmTemplate;

  beforeAll(() => {
    const template = JSON.parse(buildTemplate(bicep ?? '', join(root, 'azuredeploy.bicep'))) as ArmTemplate;
    functionApp = moduleTemplate(template, 'function-app');
    serviceBus = moduleTemplate(template, 'service-bus');
  });

  function deployedSettings(): { deployed: Set<string>; localOnly: Set<string>; computed: string[] } {
    const localOnly = new Set(quotedStrings(functionApp.variables?.['localOnlySettings']));
    const computed = Object.keys(variable(functionApp, 'computedSettings') as object);
    const deployed = new Set([
      ...Object.keys(variable(functionApp, 'catalogueSettings') as object).filter((name) => !localOnly.has(name)),
      ...computed,
      ...Object.keys(variable(functionApp, 'platformSettings') as object),
      ...createdObjectKeys(functionApp.variables?.['premiumSettings']),
      ...createdObjectKeys(functionApp.variables?.['authSecretSettings']),
    ]);
    return { deployed, localOnly, computed };
  }

  it('loads the catalogue, with its defaults, into the app settings', () => {
    expect(variable(functionApp, 'catalogueSettings')).toEqual(JSON.parse(renderAppSettingsJson()));
  });

  it('defines every catalogue setting in Azure, a local connection string by its identity-based form', () => {
    const { deployed, localOnly } = deployedSettings();
    const missing = catalogueNames.filter((name) => {
      if (deployed.has(name)) return false;
      if (name === 'FUNCTIONS_WORKER_RUNTIME') return !localOnly.has(name); // Flex: functionAppConfig.runtime
      return ![...deployed].some((d) => d.startsWith(`${name}__`));
    });
    expect(missing).toEqual([]);
  });

  it('gives every required setting (no default) a deployment value', () => {
    const { computed } = deployedSettings();
    const required = catalogueNames.filter((name) => catalogue[name]?.default === undefined);
    expect(required.filter((name) => !computed.includes(name))).toEqual([]);
  });

  it('sets nothing that is neither in the catalogue nor a platform setting', () => {
    const { deployed } = deployedSettings();
    expect([...deployed].filter((name) => !(name in catalogue) && !PLATFORM_SETTING.test(name))).toEqual([]);
  });

  it('creates every queue of the list, and only those, with its delivery count, lock and dedup window', () => {
    const queues = variable(serviceBus, 'queues');
    expect(queues).toEqual(queueList);
    const resource = JSON.stringify(
      serviceBus.resources.find((r) => r.type === 'Microsoft.ServiceBus/namespaces/queues'),
    );
    expect(resource).toContain("variables('queues')[copyIndex()].maxDeliveryCount");
    expect(resource).toContain("format('PT{0}S', variables('queues')[copyIndex()].lockDurationSeconds)");
    expect(resource).toContain("format('PT{0}S', variables('queues')[copyIndex()].duplicateDetectionWindowSeconds)");
    expect(resource).toContain('"requiresDuplicateDetection":true');
  });

  it('creates every topic of the list, and only those, with duplicate detection over its window', () => {
    expect(variable(serviceBus, 'topics')).toEqual(topicList);
    const resource = JSON.stringify(
      serviceBus.resources.find((r) => r.type === 'Microsoft.ServiceBus/namespaces/topics'),
    );
    expect(resource).toContain('"count":"[length(variables(\'topics\'))]"');
    expect(resource).toContain('"requiresDuplicateDetection":true');
    expect(resource).toContain("format('PT{0}S', variables('topics')[copyIndex()].duplicateDetectionWindowSeconds)");
  });

  it('creates every subscription of every topic under its topic, with its delivery count, lock and dead-lettering', () => {
    // Resource loops do not nest: the Bicep flattens (topic, subscription) pairs, each with its topic's index.
    expect(serviceBus.variables?.['subscriptions']).toBe(
      "[flatten(map(range(0, length(variables('topics'))), lambda('i', map(variables('topics')[lambdaVariables('i')]" +
        ".subscriptions, lambda('s', union(lambdaVariables('s'), createObject('topicIndex', lambdaVariables('i'))))))))]",
    );
    const resource = JSON.stringify(
      serviceBus.resources.find((r) => r.type === 'Microsoft.ServiceBus/namespaces/topics/subscriptions'),
    );
    const each = "variables('subscriptions')[copyIndex()]";
    expect(resource).toContain(`"count":"[length(variables('subscriptions'))]"`);
    expect(resource).toContain(`variables('topics')[${each}.topicIndex].name, ${each}.name`);
    expect(resource).toContain(`"maxDeliveryCount":"[${each}.maxDeliveryCount]"`);
    expect(resource).toContain(`format('PT{0}S', ${each}.lockDurationSeconds)`);
    expect(resource).toContain('"deadLetteringOnMessageExpiration":true');
  });
});
