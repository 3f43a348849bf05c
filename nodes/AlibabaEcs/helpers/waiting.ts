/**
 * The one waiting loop of the node: every operation that waits for Cloud Assistant (a command
 * run, a file send) polls through pollUntil, on one bounded, documented schedule.
 *
 * Schedule: the n-th poll comes POLL_DELAYS_MS[n-1] after the previous one (1 s, 1 s, 2 s, 2 s,
 * 4 s, 4 s, 8 s, 8 s, 15 s, 15 s), then every 30 s; one last poll comes exactly when the wait
 * ends. Polls therefore happen 1, 2, 4, 6, 10, 14, 22, 30, 45, 60 s after the start, then every
 * 30 s: a quick command is seen within about a second, and a 10-minute wait costs at most 28
 * polls (pollsWithin(600_000)). With `checkAtOnce` (reading a run that may have ended long
 * ago) there is one more poll, at the start. The wait stops early when the execution is
 * cancelled (n8n's Stop button, a workflow timeout): it never outlives the execution.
 */

/** Delays before the first polls, in milliseconds; after them, STEADY_POLL_DELAY_MS. */
export const POLL_DELAYS_MS: readonly number[] = [
	1_000, 1_000, 2_000, 2_000, 4_000, 4_000, 8_000, 8_000, 15_000, 15_000,
];
export const STEADY_POLL_DELAY_MS = 30_000;

/** The delay before poll `n` (counted from 1), in milliseconds. */
export function pollDelayMs(n: number): number {
	return POLL_DELAYS_MS[n - 1] ?? STEADY_POLL_DELAY_MS;
}

/**
 * The most polls a wait of `maxWaitMs` makes: every scheduled poll before the deadline, plus
 * the one at the deadline. Each poll is one request however many instances a run has.
 */
export function pollsWithin(maxWaitMs: number): number {
	let polls = 0;
	let at = 0;
	for (;;) {
		at += pollDelayMs(polls + 1);
		if (at >= maxWaitMs) return polls + 1;
		polls++;
	}
}

/** Time and sleeping, replaceable in unit tests. */
export interface WaitClock {
	now(): number;
	/** Resolves after `ms`, or rejects with WaitCancelledError when `signal` aborts first. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wait ended because the execution was cancelled. */
export class WaitCancelledError extends Error {
	constructor() {
		super('Stopped waiting: the execution was cancelled');
		this.name = 'WaitCancelledError';
	}
}

export const realClock: WaitClock = {
	now: () => Date.now(),
	sleep: async (ms, signal) =>
		await new Promise<void>((resolve, reject) => {
			if (signal?.aborted) {
				reject(new WaitCancelledError());
				return;
			}
			const onAbort = () => {
				clearTimeout(timer);
				reject(new WaitCancelledError());
			};
			const timer = setTimeout(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			}, ms);
			signal?.addEventListener('abort', onAbort, { once: true });
		}),
};

export interface WaitOptions {
	/** How long to wait in all, in milliseconds (at least one poll happens). */
	maxWaitMs: number;
	/** n8n's execution cancel signal (IExecuteFunctions.getExecutionCancelSignal). */
	signal?: AbortSignal;
	clock?: WaitClock;
	/** Poll once at the start, before the schedule (for a run that may have ended already). */
	checkAtOnce?: boolean;
}

export interface WaitOutcome<T> {
	/** What the last poll returned. */
	last: T;
	/** Whether `isDone` accepted it (false: the wait ended first). */
	done: boolean;
	polls: number;
	waitedMs: number;
}

/**
 * Calls `poll` on the schedule above until `isDone` accepts its result or `maxWaitMs` has
 * passed. Errors from `poll` propagate (it retries transient failures itself, through the
 * transport). Throws WaitCancelledError when the execution is cancelled.
 */
export async function pollUntil<T>(
	poll: () => Promise<T>,
	isDone: (result: T) => boolean,
	options: WaitOptions,
): Promise<WaitOutcome<T>> {
	const clock = options.clock ?? realClock;
	const start = clock.now();
	const deadline = start + Math.max(0, options.maxWaitMs);
	const early = options.checkAtOnce ? 1 : 0;
	for (let polls = 1; ; polls++) {
		const remaining = deadline - clock.now();
		const delay = polls <= early ? 0 : pollDelayMs(polls - early);
		await clock.sleep(Math.max(0, Math.min(delay, remaining)), options.signal);
		if (options.signal?.aborted) throw new WaitCancelledError();
		const last = await poll();
		const waitedMs = clock.now() - start;
		if (isDone(last)) return { last, done: true, polls, waitedMs };
		if (clock.now() >= deadline) return { last, done: false, polls, waitedMs };
	}
}
