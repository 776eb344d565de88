/**
 * The audit action catalogue: every change of state Keyward records, as `<area>.<object>.<event>` in the style of
 * CertifyClouds' catalogue. A new action is added here first; `auditActionDescriptions` then fails to compile
 * until it is described.
 */
export const auditActions = [
  'settings.updated',
  'settings.thresholds.updated',
  'route.created',
  'route.updated',
  'route.deleted',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'channel.tested',
  'apiKey.created',
  'apiKey.regenerated',
  'apiKey.revoked',
  'role.assigned',
  'role.removed',
  'role.invitationClaimed',
  'discovery.scan.started',
  'discovery.scan.completed',
  'discovery.scan.failed',
  'discovery.vault.error',
  'notification.sent',
  'notification.failed',
  'snooze.created',
  'snooze.removed',
  'alertRule.created',
  'alertRule.updated',
  'alertRule.deleted',
  'config.exported',
  'config.imported',
  'audit.exported',
  'license.trialStarted',
  'license.activated',
  'license.tierChanged',
  'license.trialExpired',
  'rotation.started',
  'rotation.completed',
  'rotation.failed',
  'sync.started',
  'sync.completed',
  'sync.failed',
  'system.deadLetters.replayed',
] as const;

export type AuditAction = (typeof auditActions)[number];

export const auditActionDescriptions: Record<AuditAction, string> = {
  'settings.updated': 'General settings changed (details: setting, old and new value).',
  'settings.thresholds.updated': 'Expiry thresholds or reminder modes changed (old and new values).',
  'route.created': 'A notification route was added.',
  'route.updated': 'A notification route was changed.',
  'route.deleted': 'A notification route was removed.',
  'channel.created': 'A notification channel was added (never its URL or secret).',
  'channel.updated': 'A notification channel was changed or enabled/disabled.',
  'channel.deleted': 'A notification channel was removed.',
  'channel.tested': 'A test notification was sent through a channel.',
  'apiKey.created': 'An API key was created (its id, never its value).',
  'apiKey.regenerated': 'An API key was regenerated; the old value stopped working.',
  'apiKey.revoked': 'An API key was revoked.',
  'role.assigned': 'A role was granted to a principal.',
  'role.removed': 'A role was taken from a principal.',
  'role.invitationClaimed':
    'An e-mail invitation (role assignment or KEYWARD_ADMINS) was bound to the object id that first signed in with it.',
  'discovery.scan.started': 'A scan started (trigger, subscriptions).',
  'discovery.scan.completed': 'A scan finished (vaults, items, counts per severity, duration).',
  'discovery.scan.failed': 'A scan failed or timed out.',
  'discovery.vault.error': 'One vault could not be read during a scan.',
  'notification.sent': 'A notification was delivered (channel type and target, never a URL).',
  'notification.failed': 'A notification could not be delivered.',
  'snooze.created': 'An item was snoozed or acknowledged.',
  'snooze.removed': 'A snooze was lifted.',
  'alertRule.created': 'An alert rule was added (never its webhook URL or PagerDuty key).',
  'alertRule.updated': 'An alert rule was changed or enabled/disabled.',
  'alertRule.deleted': 'An alert rule was removed.',
  'config.exported': 'The configuration was exported (section counts; the document holds no secret).',
  'config.imported':
    'A configuration import: written before it is applied (the planned changes); a failure entry follows if applying fails.',
  'audit.exported': 'The audit trail was exported (range, rows, CSV SHA-256).',
  'license.trialStarted':
    'The 14-day trial started (recorded once, at the first run of anything in a trial deployment).',
  'license.activated': 'A license or Marketplace plan was activated.',
  'license.tierChanged': 'The license tier changed.',
  'license.trialExpired': 'The trial expired: the app locked paid features and stopped scheduled work.',
  'rotation.started': 'A credential rotation started.',
  'rotation.completed': 'A credential rotation finished (new key id and expiry, never the value).',
  'rotation.failed': 'A credential rotation failed (error, rollback status).',
  'sync.started': 'A secret sync to another cloud started.',
  'sync.completed': 'A secret sync finished.',
  'sync.failed': 'A secret sync failed.',
  'system.deadLetters.replayed':
    'Dead-lettered messages were sent back to their queue or topic (counts and message ids, never a body).',
};

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
