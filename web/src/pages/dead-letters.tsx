import { post } from '../api';
import type { DeadLetterEntity, DeadLetterList, DeadLetterReplayResult } from '../api-types';
import { AdminOnly, formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { ActionStatus, useAction } from '../use-action';
import { useApi } from '../use-api';

/** `notify-email`, or `scan-events / notify` for a subscription. */
const nameOf = (entity: DeadLetterEntity): string =>
  entity.subscription ? `${entity.queue} / ${entity.subscription}` : entity.queue;

const replayPath = (entity: DeadLetterEntity): string =>
  `/api/system/dead-letters/${encodeURIComponent(entity.queue)}/replay` +
  (entity.subscription ? `?subscription=${encodeURIComponent(entity.subscription)}` : '');

function countText(entity: DeadLetterEntity): string {
  if (entity.error) return `could not be read (${entity.error})`;
  return entity.countIsLowerBound ? `at least ${entity.count}` : String(entity.count);
}

function NewestMessages({ entity }: { entity: DeadLetterEntity }) {
  const shown = entity.messages.length;
  return (
    <DataTable
      caption={`Newest dead letters of ${nameOf(entity)}${entity.count > shown ? ` (${shown} of ${countText(entity)})` : ''}`}
      showCaption
      rows={entity.messages}
      rowKey={(m) => m.messageId}
      columns={[
        { header: 'Message id', class: 'mono', cell: (m) => m.messageId },
        { header: 'Reason', cell: (m) => m.reason ?? '—' },
        { header: 'Description', cell: (m) => m.description ?? '—' },
        { header: 'Enqueued', cell: (m) => formatDate(m.enqueuedAt) },
        { header: 'Deliveries', class: 'num', cell: (m) => m.deliveryCount },
      ]}
    />
  );
}

function DeadLetters() {
  const list = useApi<DeadLetterList>('/api/system/dead-letters');
  const replaying = useAction();
  const replay = (entity: DeadLetterEntity) =>
    replaying.run(async () => {
      const result = await post<DeadLetterReplayResult>(replayPath(entity), {});
      const left = result.skipped > 0 ? `; ${result.skipped} stay dead-lettered after a failure` : '';
      list.reload();
      return `Replayed ${result.replayed} ${result.replayed === 1 ? 'message' : 'messages'} of ${nameOf(entity)}${left}.`;
    });
  return (
    <>
      <p>
        Messages Service Bus gave up on: a worker refused them on every delivery, or dead-lettered them itself. Replay
        sends up to 10 of an entity's dead letters back, oldest first, as copies whose message id ends in ~replay; it is
        audited.
      </p>
      <ActionStatus action={replaying} />
      <Show load={list} label="Dead letters">
        {(data) => (
          <>
            <Section id="entities-title" title="Queues and subscriptions">
              <DataTable
                caption="Dead letters per queue and subscription"
                rows={data.entities}
                rowKey={nameOf}
                rowTestId={(entity) => `dead-letters-${nameOf(entity)}`}
                columns={[
                  { header: 'Queue or subscription', class: 'mono', cell: nameOf },
                  { header: 'Dead letters', class: 'num', cell: countText },
                  {
                    header: 'Replay',
                    cell: (entity) => (
                      <button
                        type="button"
                        disabled={entity.count === 0 || replaying.busy}
                        onClick={() => void replay(entity)}
                      >
                        Replay<span class="sr-only"> {nameOf(entity)}</span>
                      </button>
                    ),
                  },
                ]}
              />
            </Section>
            {data.entities.some((e) => e.messages.length > 0) ? (
              <Section id="newest-title" title="Newest dead letters">
                {data.entities
                  .filter((e) => e.messages.length > 0)
                  .map((entity) => (
                    <NewestMessages key={nameOf(entity)} entity={entity} />
                  ))}
              </Section>
            ) : (
              <p>No dead letters.</p>
            )}
          </>
        )}
      </Show>
    </>
  );
}

/** Dead letters of every queue and subscription (admins only): count, newest messages, and a replay per entity. */
export function DeadLettersPage() {
  return (
    <AdminOnly title="Dead letters" refusal="Only an admin can see and replay dead letters.">
      <DeadLetters />
    </AdminOnly>
  );
}
