import type { QueueKey } from '../config/queues';
import type { ChannelType } from './notify-schemas';

/** The queue of each channel (kept light: the function registrations import it at start-up). */
export const channelQueues: Record<ChannelType, QueueKey> = {
  email: 'notifyEmail',
  slack: 'notifySlack',
  teams: 'notifyTeams',
  pagerduty: 'notifyPagerduty',
  servicenow: 'notifyServicenow',
  webhook: 'notifyWebhook',
};
