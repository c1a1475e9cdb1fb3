import { performance } from 'perf_hooks';
import { ReasonCode, RouterError } from './errors';

/** The part of the Lambda context the router reads: how long the invocation may still run. */
export interface InvocationTime {
  getRemainingTimeInMillis(): number;
}

/**
 * Time kept back from the invocation's remaining time, so the router answers and writes its
 * identity-chain record before Lambda stops the function.
 */
export const ANSWER_MARGIN_MS = 1000;

/** How long after the deadline a request that ignores its signal is ended anyway; well inside the margin. */
const RACE_GRACE_MS = 100;

/** A request's time when no Lambda context says otherwise (local runs): under API Gateway's 29 s. */
export const DEFAULT_BUDGET_MS = 28000;

/** The monotonic clock and timers a deadline runs on; tests pass ones they move by hand. */
export interface DeadlineTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Real time: `performance.now` and unreferenced timers, so a pending deadline never keeps the process alive. */
export const REAL_TIMERS: DeadlineTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * The time one request has. Every outbound call is aborted by `signal` when it passes, and
 * `race` ends the request then even if a call ignores its signal. Measured with a monotonic
 * clock, not the router's (which tests move by hand).
 */
export class Deadline {
  /** The deadline of an invocation: its remaining time less the answer margin. */
  public static forInvocation(context?: InvocationTime, marginMs = ANSWER_MARGIN_MS, timers: DeadlineTimers = REAL_TIMERS): Deadline {
    const budget = context ? context.getRemainingTimeInMillis() - marginMs : DEFAULT_BUDGET_MS;
    return new Deadline(Math.max(0, Math.floor(budget)), timers);
  }

  /** Aborts when the deadline passes. */
  public readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: unknown;
  private readonly endsAt: number;

  constructor(public readonly budgetMs: number, private readonly timers: DeadlineTimers = REAL_TIMERS) {
    this.endsAt = timers.now() + budgetMs;
    this.signal = this.controller.signal;
    this.timer = timers.setTimeout(() => this.controller.abort(), budgetMs);
  }

  /** Milliseconds left, never negative. */
  public remainingMs(): number {
    return Math.max(0, this.endsAt - this.timers.now());
  }

  /** The error a request ends with when its deadline passes while it waits for `what`. */
  public timeout(what: string): RouterError {
    return new RouterError(ReasonCode.UPSTREAM_TIMEOUT,
      `${what} did not answer within the ${this.budgetMs} ms the request had; the request was ended so that it could be answered and logged.`);
  }

  /**
   * `work`'s result, or `timeout(what())` shortly after the deadline, whichever comes first. The
   * grace lets a step that honours the signal end with its own, more precise error; the race is
   * for a step that does not. `what` is read when the race ends, so it can name the step the
   * request was waiting in.
   */
  public race<T>(work: Promise<T>, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => reject(this.timeout(what())), this.remainingMs() + RACE_GRACE_MS);
      work.then(resolve, reject).finally(() => this.timers.clearTimeout(timer));
    });
  }

  /** Stops the timer once the request is answered. */
  public close(): void {
    this.timers.clearTimeout(this.timer);
  }
}

/**
 * One call that concurrent requests share (a Vault login, a credential read). Each waits with
 * its own deadline; the call itself is aborted when the last request waiting for it has given up,
 * so it never runs past every deadline that wanted it.
 */
export class SharedCall<T> {
  private waiting = 0;
  private settled = false;
  private readonly controller = new AbortController();
  private readonly result: Promise<T>;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    this.result = run(this.controller.signal).finally(() => {
      this.settled = true;
    });
    // Nobody may be waiting when it fails; that is not an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** The call's result, or `deadline.timeout(what)` as soon as the deadline passes. */
  public join(deadline: Deadline, what: string): Promise<T> {
    if (deadline.signal.aborted) return Promise.reject(deadline.timeout(what));
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        deadline.signal.removeEventListener('abort', onDeadline);
        this.waiting--;
        if (this.waiting === 0 && !this.settled) this.controller.abort();
      };
      const onDeadline = () => {
        leave();
        reject(deadline.timeout(what));
      };
      deadline.signal.addEventListener('abort', onDeadline, { once: true });
      this.result.then(
        (value) => { if (!deadline.signal.aborted) { leave(); resolve(value); } },
        (error) => { if (!deadline.signal.aborted) { leave(); reject(error); } },
      );
    });
  }
}
