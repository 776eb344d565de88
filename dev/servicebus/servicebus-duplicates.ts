/**
 * Duplicate detection as Service Bus does it: only `messageId` is tracked, and an id seen within
 * the window makes a later message with that id a duplicate (accepted by the broker, then dropped).
 */
export class DuplicateDetector {
  private readonly seenUntil = new Map<string, number>();

  constructor(private readonly windowSeconds: number) {}

  /** Records the id and reports whether it was already seen inside the window. A window of 0 turns detection off. */
  isDuplicate(messageId: unknown, now: Date): boolean {
    if (messageId === undefined || messageId === null || this.windowSeconds <= 0) return false;
    const key = String(messageId);
    const until = this.seenUntil.get(key);
    if (until !== undefined && until > now.getTime()) return true;
    this.seenUntil.set(key, now.getTime() + this.windowSeconds * 1000);
    return false;
  }

  /** Forgets ids whose window has passed, so the map stays bounded. */
  forgetBefore(now: Date): void {
    for (const [id, until] of this.seenUntil) if (until <= now.getTime()) this.seenUntil.delete(id);
  }
}
