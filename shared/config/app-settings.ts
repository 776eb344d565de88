/**
 * The one list of app settings Keyward reads. `local.settings.sample.json`, the Bicep app settings and the
 * consistency test all derive from or are checked against this table, so a setting cannot be read in code
 * without being declared here (and therefore deployed).
 */
export interface AppSettingSpec {
  /** What the setting controls, for the README and the sample file. */
  readonly description: string;
  /** A value that works for `npm start` on a laptop; `''` where the local runtime fills it in itself. */
  readonly local: string;
  /** Default used when the setting is absent; `undefined` means "required". */
  readonly default?: string;
  /** A secret (connection string, key): never logged, never returned by an API. */
  readonly secret?: boolean;
}

export const appSettings = {
  FUNCTIONS_WORKER_RUNTIME: { description: 'Functions language worker.', local: 'node', default: 'node' },
  AzureWebJobsStorage: {
    description:
      'Storage connection string (local). In Azure the identity-based AzureWebJobsStorage__accountName is used instead.',
    local: 'UseDevelopmentStorage=true',
    default: '',
    secret: true,
  },
  AzureWebJobsStorage__accountName: {
    description: 'Storage account name for identity-based connections (Azure).',
    local: '',
    default: '',
  },
  ServiceBusConnection: {
    description:
      'Service Bus connection string (local emulator). In Azure the identity-based ServiceBusConnection__fullyQualifiedNamespace is used instead.',
    local:
      'Endpoint=sb://localhost:5672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;',
    default: '',
    secret: true,
  },
  ServiceBusConnection__fullyQualifiedNamespace: {
    description: 'Service Bus namespace host name for identity-based connections (Azure).',
    local: '',
    default: '',
  },
  AZURE_CLIENT_ID: {
    description: 'Client id of the user-assigned managed identity the app uses for Azure APIs.',
    local: '',
    default: '',
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    description:
      'Application Insights connection string: when set, traces and metrics go there through the Azure Monitor OpenTelemetry distro, authenticated with the managed identity (AZURE_CLIENT_ID; the resource refuses instrumentation-key auth). Empty: nothing is sent.',
    local: '',
    default: '',
    secret: true,
  },
  KEYWARD_TIER: {
    description: 'License tier set by the Marketplace plan: trial, professional or enterprise.',
    local: 'trial',
    default: 'trial',
  },
  AZURE_TENANT_ID: {
    description:
      'Entra tenant id the app runs in; shown by GET /api/identity. Only signed-in users whose tenant id claim is this tenant are accepted (empty: none). Locally, the tenant the local sign-in issues users from.',
    local: '00000000-0000-0000-0000-00000000cafe',
    default: '',
  },
  KEYWARD_ADMINS: {
    description:
      'Bootstrap admins: comma-separated object ids (of AZURE_TENANT_ID) or emails that always hold the admin role, so a fresh install has an admin. An email is bound to the object id of the first user who signs in with it, and never matched by email again.',
    local: '',
    default: '',
  },
  KEYWARD_LICENSE_URL: {
    description: 'Where the trial-expired answer sends users to buy a plan.',
    local: 'https://azuremarketplace.microsoft.com/marketplace/apps?search=keyward',
    default: 'https://azuremarketplace.microsoft.com/marketplace/apps?search=keyward',
  },
  KEYWARD_MAX_BODY_BYTES: {
    description: 'Largest accepted HTTP request body in bytes; larger bodies get 413.',
    local: '65536',
    default: '65536',
  },
  KEYWARD_RATE_LIMIT_READ: {
    description: 'Requests per minute per caller (per instance) for read routes; above it 429 + Retry-After.',
    local: '600',
    default: '600',
  },
  KEYWARD_RATE_LIMIT_WRITE: {
    description: 'Requests per minute per caller (per instance) for write routes.',
    local: '120',
    default: '120',
  },
  KEYWARD_RATE_LIMIT_EXPENSIVE: {
    description: 'Requests per minute per caller (per instance) for expensive routes (scan triggers, exports).',
    local: '10',
    default: '10',
  },
  KEYWARD_HEALTH_TIMEOUT_MS: {
    description: 'Time limit for each dependency check of GET /api/health.',
    local: '3000',
    default: '3000',
  },
  AUDIT_SIGNING_KEY_ID: {
    description:
      "Versionless identifier (https://<vault>/keys/<name>) of the Key Vault key that signs audit export manifests and chain checkpoints (RS256 or ES256). The app may only sign with it (Key Vault Crypto User on that key); the private key never leaves Key Vault. Locally the stack creates it in the simulator's Keyward vault and sets this.",
    local: '',
  },
  AUDIT_STORAGE_ACCOUNT_NAME: {
    description:
      'Storage account holding audit exports and checkpoints (Azure): a locked immutability policy that the app, with Blob Data Contributor on its container only, cannot delete or change. Empty: the AzureWebJobsStorage account (local).',
    local: '',
    default: '',
  },
  KEYWARD_ARM_ENDPOINT: {
    description: 'Azure Resource Manager endpoint (the local Azure simulator sets its own).',
    local: '',
    default: 'https://management.azure.com',
  },
  KEYWARD_GRAPH_ENDPOINT: {
    description: 'Microsoft Graph endpoint, without the version path (the local Azure simulator sets its own).',
    local: '',
    default: 'https://graph.microsoft.com',
  },
  KEYWARD_AUTHORITY_HOST: {
    description:
      'Entra ID authority host whose token endpoint rotation verifies new credentials at (the local Azure simulator sets its own).',
    local: '',
    default: 'https://login.microsoftonline.com',
  },
  KEYWARD_AZURE_SIMULATOR: {
    description:
      'true only against the local Azure simulator: Key Vault clients then accept vaults outside vault.azure.net (disableChallengeResourceVerification).',
    local: '',
    default: 'false',
  },
  SCAN_SCHEDULE: {
    description: 'NCRONTAB schedule of the automatic scan (six fields, UTC).',
    local: '0 0 6 * * *',
    default: '0 0 6 * * *',
  },
  SCAN_VAULT_REQUESTS_PER_10S: {
    description: 'Key Vault requests the scan may send to one vault per 10 s (10% of the documented 4,000).',
    local: '400',
    default: '400',
  },
  SCAN_SUBSCRIPTION_REQUESTS_PER_10S: {
    description:
      'Key Vault requests the scan may send to the vaults of one subscription per 10 s (10% of 20,000), counted across every instance of the app.',
    local: '2000',
    default: '2000',
  },
  SCAN_ARM_READS_PER_10S: {
    description:
      'ARM read requests the scan may send per subscription per 10 s (10% of the 25/s refill), counted across every instance of the app.',
    local: '25',
    default: '25',
  },
  SCAN_VAULT_CONCURRENCY: {
    description: 'Vaults one instance scans at the same time.',
    local: '16',
    default: '16',
  },
  SCAN_ITEM_DETAILS: {
    description:
      'true: read issuer/subject of new certificate versions and type/size of new key versions (one metadata GET each); false: list operations only.',
    local: 'true',
    default: 'true',
  },
  SCAN_POSTURE: {
    description:
      'true: collect what the compliance rules need beyond the inventory (vault properties, diagnostic settings, Defender plan, key rotation policies, app owners); false: skip it (those rules then give "not evaluated").',
    local: 'true',
    default: 'true',
  },
  SCAN_DELTA_MAX_AGE_HOURS: {
    description: 'A delta scan rescans only vaults without a successful scan in this many hours.',
    local: '24',
    default: '24',
  },
  ROTATION_SCHEDULE: {
    description:
      'NCRONTAB schedule of the rotation timer (six fields, UTC): enqueues due automatic rotations and overlap removals, raises rotation_overdue.',
    local: '0 */15 * * * *',
    default: '0 */15 * * * *',
  },
  ROTATION_VERIFY_ATTEMPTS: {
    description:
      'Token requests made with a new credential before rotation gives up on it (Entra publishes no propagation SLA; 10 over about 2 minutes).',
    local: '10',
    default: '10',
  },
  ROTATION_VERIFY_BACKOFF_MS: {
    description: 'First wait between verification attempts in ms; each wait grows by half, capped at 30 s.',
    local: '1500',
    default: '1500',
  },
  KEYWARD_LOCAL_MODE: {
    description:
      'true only on a laptop: notification URLs may then use http to a loopback address (the local mail sink and webhook receiver). Never true in Azure.',
    local: 'true',
    default: 'false',
  },
  KEYWARD_VAULT_URI: {
    description:
      "URI of the sync credentials vault (infra/modules/sync-credentials-vault.bicep). Sync provider credentials (AWS secret access keys, GCP service-account keys) are stored there as secrets, one per sync config; tables keep only the secret's name and version. Empty: sync configs that need credentials are refused.",
    local: '',
    default: '',
  },
  SYNC_AWS_ENDPOINT: {
    description:
      "Endpoint of the AWS APIs the sync calls (Secrets Manager, SSM, ACM, and STS for a role to assume). Empty in Azure: the SDK uses the region's endpoints. Required in local mode (the AWS simulator), so a laptop never reaches real AWS.",
    local: '',
    default: '',
  },
  SYNC_GCP_ENDPOINT: {
    description:
      "Endpoint (URL) of the GCP APIs the sync calls (Secret Manager, Certificate Manager). Empty in Azure: the clients use Google's endpoints. Required in local mode (the GCP simulator).",
    local: '',
    default: '',
  },
  SYNC_SCHEDULE: {
    description: 'NCRONTAB schedule of the sync timer, which plans every enabled sync config (six fields, UTC).',
    local: '0 */15 * * * *',
    default: '0 */15 * * * *',
  },
  SYNC_RETRIES_PER_MINUTE: {
    description:
      'Retries of throttled or failed provider calls one instance may make per provider per minute; past it a message waits for its next delivery.',
    local: '120',
    default: '120',
  },
  NOTIFY_SECRETS_KEY: {
    description:
      "AES-256-GCM key (base64, 32 bytes) that encrypts channel secrets (webhook URLs, SMTP password, signing secrets) in Table Storage. In Azure a Key Vault reference to a secret in Keyward's own vault. The local value is a fixed development key.",
    local: 'a2V5d2FyZC1sb2NhbC1ub3RpZnktc2VjcmV0cy1rZXk=',
    secret: true,
  },
  WARNING_THRESHOLD_DAYS: {
    description:
      'Warning threshold in days chosen at install (Marketplace UI); the app-setting fallback of warningDays until an admin sets thresholds with POST /api/thresholds.',
    local: '30',
    default: '30',
  },
  NOTIFY_DEFAULT_EMAIL: {
    description: 'Default notification recipients (comma-separated) until an admin sets them in Settings.',
    local: 'security@keyward.local',
    default: '',
  },
  NOTIFY_OWNER_DOMAINS: {
    description:
      'E-mail domains (comma-separated, e.g. contoso.com) whose addresses an owner tag on a vault may add to its ' +
      "route's recipients. Empty (the default) means owner tags add nobody: anyone with Tag Contributor on a vault " +
      'writes its tags, so without this list a tag could send expiry details to any outside address.',
    local: 'contoso.com',
    default: '',
  },
  NOTIFY_RETRY_BASE_SECONDS: {
    description:
      'First retry delay of a failed delivery; doubles per attempt (a Retry-After answer wins), capped by NOTIFY_RETRY_MAX_SECONDS.',
    local: '2',
    default: '5',
  },
  NOTIFY_RETRY_MAX_SECONDS: {
    description: "Longest wait before a delivery retry; kept under the notify queues' lock duration.",
    local: '30',
    default: '60',
  },
  SMTP_HOST: {
    description: 'SMTP server for email when ACS is not configured (preset; Settings may override).',
    local: '',
    default: '',
  },
  SMTP_PORT: {
    description: 'SMTP port: 25 for a relay, 587 for STARTTLS, 465 for implicit TLS.',
    local: '',
    default: '587',
  },
  SMTP_SECURITY: {
    description: 'SMTP transport security: none (relay), starttls or tls.',
    local: 'none',
    default: 'starttls',
  },
  SMTP_USERNAME: {
    description: 'SMTP user (empty for an unauthenticated relay).',
    local: '',
    default: '',
    secret: true,
  },
  SMTP_PASSWORD: { description: 'SMTP password.', local: '', default: '', secret: true },
  SMTP_FROM_EMAIL: {
    description: 'Sender address of notification email.',
    local: 'keyward@keyward.local',
    default: '',
  },
  ACS_CONNECTION_STRING: {
    description:
      'Azure Communication Services connection string (alternative to ACS_ENDPOINT with the managed identity).',
    local: '',
    default: '',
    secret: true,
  },
  ACS_ENDPOINT: {
    description: 'Azure Communication Services endpoint; used with the managed identity.',
    local: '',
    default: '',
  },
  ACS_SENDER_ADDRESS: { description: 'ACS sender, e.g. DoNotReply@<domain>.azurecomm.net.', local: '', default: '' },
  NOTIFY_WEBHOOK_URL: {
    description: 'Presets the generic signed webhook channel (the local run points it at the webhook receiver).',
    local: '',
    default: '',
    secret: true,
  },
  NOTIFY_WEBHOOK_SECRET: {
    description: 'Standard Webhooks signing secret (whsec_<base64>) for NOTIFY_WEBHOOK_URL.',
    local: '',
    default: '',
    secret: true,
  },
  NOTIFY_DIGEST_SCHEDULE: {
    description:
      'NCRONTAB (UTC) of the digest timer: alert rules in digest mode send what they collected since the last one.',
    local: '0 0 8 * * *',
    default: '0 0 8 * * *',
  },
  PAGERDUTY_EVENTS_URL: {
    description: 'PagerDuty Events API v2 endpoint (changed only for tests and the local run).',
    local: 'https://events.pagerduty.com/v2/enqueue',
    default: 'https://events.pagerduty.com/v2/enqueue',
  },
} as const satisfies Record<string, AppSettingSpec>;

export type AppSettingName = keyof typeof appSettings;

/** Reads an app setting from the process environment, falling back to its declared default. */
export function readAppSetting(name: AppSettingName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  const spec: AppSettingSpec = appSettings[name];
  if (spec.default === undefined) throw new Error(`App setting ${name} is required but not set`);
  return spec.default;
}

/** The declared local values (what `npm start`, the test stacks and the benchmarks run with), empty ones left out. */
export function localSettingValues(): Record<string, string> {
  const entries = Object.entries(appSettings as Record<string, AppSettingSpec>);
  return Object.fromEntries(entries.filter(([, spec]) => spec.local !== '').map(([name, spec]) => [name, spec.local]));
}
