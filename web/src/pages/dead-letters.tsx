import { useState } from 'preact/hooks';
import { messageOf, post } from '../api';
import type { DeadLetterEntity, DeadLetterList, DeadLetterReplayResult } from '../api-types';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { useSession } from '../session';
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
  const name = nameOf(entity);
  return (
    <table>
      <caption>
        Newest dead letters of {name}
        {entity.count > entity.messages.length ? ` (${entity.messages.length} of ${countText(entity)})` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Message id</th>
          <th scope="col">Reason</th>
          <th scope="col">Description</th>
          <th scope="col">Enqueued</th>
          <th scope="col">Deliveries</th>
        </tr>
      </thead>
      <tbody>
        {entity.messages.map((m) => (
          <tr key={m.messageId}>
            <td class="mono">{m.messageId}</td>
            <td>{m.reason ?? '—'}</td>
            <td>{m.description ?? '—'}</td>
            <td>{formatDate(m.enqueuedAt)}</td>
            <td class="num">{m.deliveryCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Dead letters of every queue and subscription (admins only): count, newest messages, and a replay per entity. */
export function DeadLettersPage() {
  const { isAdmin } = useSession();
  const list = useApi<DeadLetterList>(isAdmin ? '/api/system/dead-letters' : null);
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  if (!isAdmin) {
    return (
      <>
        <h1>Dead letters</h1>
        <p class="notice">Only an admin can see and replay dead letters.</p>
      </>
    );
  }
  const replay = async (entity: DeadLetterEntity): Promise<void> => {
    const name = nameOf(entity);
    setBusy(name);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await post<DeadLetterReplayResult>(replayPath(entity), {});
      const left = result.skipped > 0 ? `; ${result.skipped} stay dead-lettered after a failure` : '';
      setDone(`Replayed ${result.replayed} ${result.replayed === 1 ? 'message' : 'messages'} of ${name}${left}.`);
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      <h1>Dead letters</h1>
      <p>
        Messages Service Bus gave up on: a worker refused them on every delivery, or dead-lettered them itself. Replay
        sends up to 10 of an entity's dead letters back, oldest first, as copies whose message id ends in ~replay; it is
        audited.
      </p>
      <Notice message={done} />
      <ErrorMessage message={error} />
      <Show load={list} label="Dead letters">
        {(data) => (
          <>
            <section aria-labelledby="entities-title">
              <h2 id="entities-title">Queues and subscriptions</h2>
              <table>
                <caption class="sr-only">Dead letters per queue and subscription</caption>
                <thead>
                  <tr>
                    <th scope="col">Queue or subscription</th>
                    <th scope="col">Dead letters</th>
                    <th scope="col">Replay</th>
                  </tr>
                </thead>
                <tbody>
                  {data.entities.map((entity) => {
                    const name = nameOf(entity);
                    return (
                      <tr key={name} data-testid={`dead-letters-${name}`}>
                        <td class="mono">{name}</td>
                        <td class="num">{countText(entity)}</td>
                        <td>
                          <button
                            type="button"
                            disabled={entity.count === 0 || busy !== undefined}
                            onClick={() => void replay(entity)}
                          >
                            Replay<span class="sr-only"> {name}</span>
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            {data.entities.some((e) => e.messages.length > 0) ? (
              <section aria-labelledby="newest-title">
                <h2 id="newest-title">Newest dead letters</h2>
                {data.entities
                  .filter((e) => e.messages.length > 0)
                  .map((entity) => (
                    <NewestMessages key={nameOf(entity)} entity={entity} />
                  ))}
              </section>
            ) : (
              <p>No dead letters.</p>
            )}
          </>
        )}
      </Show>
    </>
  );
}
