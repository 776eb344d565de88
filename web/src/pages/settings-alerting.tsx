import type { GeneralSettings, ReminderMode, ReminderModes, Thresholds } from '../api-types';
import { Show } from '../components';
import { CheckField, InputField, SelectField } from '../fields';
import { useApi } from '../use-api';
import { postSettings, SettingsForm, useLoadedValue } from './settings-form';

const levels = ['warning', 'severe', 'critical'] as const;
const modes: Record<ReminderMode, string> = {
  every_scan: 'Every scan',
  daily: 'Daily',
  weekly: 'Weekly',
  once: 'Once',
};

function ThresholdsForm({ initial }: { initial: Thresholds }) {
  const [value, setValue] = useLoadedValue(initial);
  const field = (key: keyof Thresholds, label: string) => (
    <InputField
      label={label}
      type="number"
      name={key}
      min={1}
      max={3650}
      required
      value={value[key]}
      onValue={(days) => setValue({ ...value, [key]: Number(days) })}
    />
  );
  return (
    <SettingsForm
      title="Thresholds"
      id="thresholds-title"
      onSave={() => postSettings('/api/thresholds', value, 'Thresholds saved. They apply from the next scan.')}
    >
      <div class="row">
        {field('warningDays', 'Warning (days)')}
        {field('severeDays', 'Severe (days)')}
        {field('criticalDays', 'Critical (days)')}
      </div>
    </SettingsForm>
  );
}

function GeneralForm({ initial }: { initial: GeneralSettings }) {
  const [value, setValue] = useLoadedValue(initial);
  const toggle = (key: 'days30Enabled' | 'days14Enabled' | 'days7Enabled', label: string) => (
    <CheckField class="check" label={label} checked={value[key]} onValue={(on) => setValue({ ...value, [key]: on })} />
  );
  return (
    <SettingsForm
      title="Email recipients"
      id="general-title"
      onSave={() => postSettings('/api/settings', value, 'Settings saved.')}
    >
      <InputField
        label="Default notification email (comma separated)"
        type="text"
        value={value.notificationEmail}
        onValue={(notificationEmail) => setValue({ ...value, notificationEmail })}
      />
      <div class="row">
        {toggle('days30Enabled', 'Warning alerts')}
        {toggle('days14Enabled', 'Severe alerts')}
        {toggle('days7Enabled', 'Critical alerts')}
      </div>
    </SettingsForm>
  );
}

function ReminderForm({ initial }: { initial: ReminderModes }) {
  const [value, setValue] = useLoadedValue(initial);
  return (
    <SettingsForm
      title="Reminder modes"
      id="reminders-title"
      onSave={() => postSettings('/api/reminder-mode', value, 'Reminder modes saved.')}
    >
      <div class="row">
        {levels.map((level) => (
          <SelectField
            key={level}
            label={`${level[0]?.toUpperCase()}${level.slice(1)} items are reminded`}
            value={value[level]}
            options={modes}
            onValue={(mode) => setValue({ ...value, [level]: mode })}
          />
        ))}
      </div>
    </SettingsForm>
  );
}

/** Thresholds, default recipients with the per-threshold switches, and reminder modes. */
export function AlertingSettings() {
  const thresholds = useApi<Thresholds>('/api/thresholds');
  const general = useApi<GeneralSettings>('/api/settings');
  const reminders = useApi<ReminderModes>('/api/reminder-mode');
  return (
    <>
      <Show load={thresholds} label="Thresholds">
        {(t) => <ThresholdsForm initial={t} />}
      </Show>
      <Show load={general} label="Email recipients">
        {(g) => <GeneralForm initial={g} />}
      </Show>
      <Show load={reminders} label="Reminder modes">
        {(r) => <ReminderForm initial={r} />}
      </Show>
    </>
  );
}
