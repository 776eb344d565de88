import { randomBytes, randomUUID } from 'node:crypto';

/**
 * STS AssumeRole on the awsQuery protocol, as the SDK's STS client speaks it: `POST /` with a form body
 * (`Action=AssumeRole&Version=2011-06-15&RoleArn=…`), answered in XML in the `https://sts.amazonaws.com/doc/2011-06-15/`
 * namespace; errors as `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code>…`. The refusals Keyward can meet
 * (STS API reference, AssumeRole; members from the SDK's model): RoleSessionName 2–64 characters of
 * `[\w+=,.@-]`, ExternalId 2–1224 of `[\w+=,.@:/-]`, RoleArn 20–2048 characters and an IAM role's ARN,
 * DurationSeconds 900–43200 and at most the role's maximum session duration (ValidationError), an unknown role or
 * an ExternalId that is not the one the role's trust policy requires (AccessDenied, 403).
 */
export interface SimRole {
  readonly arn: string;
  /** The `sts:ExternalId` condition of the role's trust policy, if any. */
  readonly externalId?: string;
  /** The role's MaxSessionDuration (IAM's default is one hour). */
  readonly maxSessionSeconds?: number;
}

export interface SimSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly roleArn: string;
  readonly sessionName: string;
}

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const xml = (value: string): string =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsErrorXml(error: StsError): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

export function createSts(now: () => Date) {
  const roles = new Map<string, SimRole>();
  /** Issued temporary credentials by access key id (ASIA…). */
  const sessions = new Map<string, SimSession>();

  /** AssumeRole for the caller whose long-term key signed the request; returns the XML answer. */
  function assumeRole(form: URLSearchParams, callerKeyId: string): string {
    if (form.get('Version') !== '2011-06-15') {
      throw new StsError(
        'InvalidAction',
        'Could not find operation AssumeRole for version ' + String(form.get('Version')),
      );
    }
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const externalId = form.get('ExternalId');
    const durationRaw = form.get('DurationSeconds');
    if (!roleArn || !sessionName) throw new StsError('MissingParameter', 'RoleArn and RoleSessionName are required');
    if (roleArn.length < 20 || roleArn.length > 2048 || !ROLE_ARN.test(roleArn)) {
      throw new StsError('ValidationError', `${roleArn} is invalid`);
    }
    if (!SESSION_NAME.test(sessionName)) {
      throw new StsError(
        'ValidationError',
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    }
    if (externalId !== null && !EXTERNAL_ID.test(externalId)) {
      throw new StsError(
        'ValidationError',
        "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      );
    }
    const duration = durationRaw === null ? 3600 : Number(durationRaw);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      throw new StsError(
        'ValidationError',
        `1 validation error detected: Value '${durationRaw}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    }
    const role = roles.get(roleArn);
    const denied = new StsError(
      'AccessDenied',
      `User: ${callerKeyId} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
    if (!role || (role.externalId ?? null) !== externalId) throw denied;
    if (duration > (role.maxSessionSeconds ?? 3600)) {
      throw new StsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    const session: SimSession = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: new Date(now().getTime() + duration * 1000),
      roleArn,
      sessionName,
    };
    sessions.set(session.accessKeyId, session);
    const [, account = '', roleName = ''] = ROLE_ARN.exec(roleArn) ?? [];
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    return (
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${xml(roleName)}/${xml(sessionName)}</Arn>` +
      `<AssumedRoleId>${roleId}:${xml(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId>` +
      `<SecretAccessKey>${xml(session.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xml(session.sessionToken)}</SessionToken>` +
      `<Expiration>${session.expiration.toISOString()}</Expiration></Credentials>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`
    );
  }

  return { roles, sessions, assumeRole };
}
