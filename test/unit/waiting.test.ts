/**
 * The waiting loop's schedule and bounds, on a virtual clock: when it polls, how often at most,
 * that it polls once more exactly when the wait ends, and that a cancelled execution stops it.
 */
import {
	pollDelayMs,
	pollUntil,
	pollsWithin,
	realClock,
	WaitCancelledError,
	type WaitClock,
} from '../../nodes/AlibabaEcs/helpers/waiting';

/** A clock whose sleeps pass at once, in virtual time; `pollCost` is how long each poll takes. */
function virtualClock(): WaitClock & { time: number } {
	const clock = {
		time: 0,
		now: () => clock.time,
		sleep: async (ms: number, signal?: AbortSignal) => {
			if (signal?.aborted) throw new WaitCancelledError();
			clock.time += ms;
		},
	};
	return clock;
}

/** Polls until `doneAt` (virtual ms), recording when each poll happened. */
async function pollTimes(maxWaitMs: number, doneAt = Infinity, pollCost = 0) {
	const clock = virtualClock();
	const at: number[] = [];
	const outcome = await pollUntil(
		async () => {
			at.push(clock.time);
			clock.time += pollCost;
			return clock.time;
		},
		(time) => time >= doneAt,
		{ maxWaitMs, clock },
	);
	return { at, outcome };
}

describe('the polling schedule', () => {
	it('polls 1, 2, 4, 6, 10, 14, 22, 30, 45, 60 s after the start, then every 30 s', async () => {
		const { at } = await pollTimes(150_000);
		expect(at.map((ms) => ms / 1000)).toEqual([1, 2, 4, 6, 10, 14, 22, 30, 45, 60, 90, 120, 150]);
		expect(pollDelayMs(1)).toBe(1_000);
		expect(pollDelayMs(500)).toBe(30_000);
	});

	it('a 10-minute wait costs at most 28 polls, an hour 128, a day 2,888: the bound is pollsWithin', async () => {
		for (const [seconds, bound] of [
			[600, 28],
			[3_600, 128],
			[86_400, 2_888],
			[1, 1],
			[3, 3],
		]) {
			expect(pollsWithin(seconds * 1000)).toBe(bound);
			const { outcome } = await pollTimes(seconds * 1000);
			expect(outcome).toMatchObject({ done: false, polls: bound });
		}
	});

	it('polls once more exactly when the wait ends, so a run finishing just before is seen', async () => {
		const { at, outcome } = await pollTimes(50_000, 49_000);
		expect(at.slice(-2)).toEqual([45_000, 50_000]);
		expect(outcome).toMatchObject({ done: true, polls: 10, waitedMs: 50_000 });
	});

	it('with checkAtOnce, polls at the start too, then on the same schedule', async () => {
		const clock = virtualClock();
		const at: number[] = [];
		const outcome = await pollUntil(
			async () => at.push(clock.time),
			() => false,
			{ maxWaitMs: 10_000, clock, checkAtOnce: true },
		);
		expect(at).toEqual([0, 1_000, 2_000, 4_000, 6_000, 10_000]);
		expect(outcome.polls).toBe(pollsWithin(10_000) + 1);
	});

	it('stops as soon as the result is done', async () => {
		const { outcome } = await pollTimes(600_000, 5_000);
		expect(outcome).toMatchObject({ done: true, polls: 4, last: 6_000 });
	});

	it('slow polls only make fewer polls', async () => {
		const { outcome } = await pollTimes(600_000, Infinity, 3_000);
		expect(outcome.polls).toBeLessThanOrEqual(pollsWithin(600_000));
		expect(outcome.waitedMs).toBeGreaterThanOrEqual(600_000);
	});
});

describe('cancellation', () => {
	it('the real clock rejects a sleep when the signal aborts, and clears its timer', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const sleeping = realClock.sleep(60_000, controller.signal);
		setTimeout(() => controller.abort(), 20);
		await expect(sleeping).rejects.toBeInstanceOf(WaitCancelledError);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('an aborted execution stops the loop before the next poll', async () => {
		const controller = new AbortController();
		const clock = virtualClock();
		let polls = 0;
		const waiting = pollUntil(
			async () => {
				polls++;
				if (polls === 2) controller.abort();
				return polls;
			},
			() => false,
			{ maxWaitMs: 600_000, signal: controller.signal, clock },
		);
		await expect(waiting).rejects.toBeInstanceOf(WaitCancelledError);
		expect(polls).toBe(2);
	});
});
