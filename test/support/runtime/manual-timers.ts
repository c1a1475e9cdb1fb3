import { DeadlineTimers } from '../../../src/runtime/deadline';

/**
 * Deadline timers that move only when a test says so, so a deadline passes exactly when the
 * test has the request where it wants it, however loaded the machine is.
 */
export class ManualTimers implements DeadlineTimers {
  private current = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  public now(): number {
    return this.current;
  }

  public setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.current + Math.max(0, ms), callback });
    return id;
  }

  public clearTimeout(timer: unknown): void {
    this.pending.delete(timer as number);
  }

  /** The timers set and not yet fired or cleared. */
  public get waiting(): number {
    return this.pending.size;
  }

  /** Moves time on by `ms`, firing every timer that falls due, earliest first. */
  public advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.current = due[1].at;
      due[1].callback();
    }
    this.current = until;
  }
}
