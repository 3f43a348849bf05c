import { type EcsAction, type EcsParams, ECS_ACTIONS } from './client';
import { EcsError } from './errors';
import { neverSent, refusedBeforeActing } from './retry';

/**
 * Exactly-once writes across n8n's Retry On Fail.
 *
 * With Retry On Fail, n8n runs the node again, with all its input items, when a try throws,
 * or (On Error: Continue) when the first output item is an error item (n8n-core
 * WorkflowExecute's retry loop around runNode, 1.x and 2.x alike). It does so in the same
 * process (in queue mode: the worker running the execution) with the same execute data object
 * and run index. Without a memory, the next try sends every write again: a Delete that
 * succeeded is then reported "not found", and a Create whose parameters changed (an
 * expression such as {{ $now }}) gets another ClientToken and creates a second code.
 *
 * So, for a node with Retry On Fail, the router keeps a journal per node run of each item's
 * writes (actions whose ECS_ACTIONS safety is not 'read'), numbered in the order the item
 * makes them:
 * - done: a later try reports the first result again and sends nothing;
 * - unknown (sent, and the answer lost: timeout, cut connection, unreadable answer, 5xx): a
 *   later try sends the first try's request again as it was (the same parameters and
 *   ClientToken, whatever the expressions evaluate to now), so a ClientToken write gets the
 *   first result back; a write that is not safe to repeat ('unsafe': no token) first asks
 *   its `reconcile` read whether the first request took effect, and without one is not sent
 *   again at all (WriteNotRepeatedError);
 * - a refusal that certainly came before anything was done (an API error below 500, a
 *   connection never made) is forgotten: the next try sends afresh.
 * Within one try, the transport's own retries repeat the same request (retry.ts, ClientToken).
 *
 * Memory: only nodes with Retry On Fail keep a journal; it hangs off the node run's execute
 * data object (a WeakMap key), so it goes when n8n lets go of the execution. One entry per
 * write per item: a copy of the result (small JSON), or the request's parameters.
 */
type Entry = { state: 'done'; result: unknown } | { state: 'unknown'; params: EcsParams };

/** Whether the API may have carried out a request that failed this way. */
export function mayHaveActed(error: unknown): boolean {
	if (!(error instanceof EcsError)) return true; // e.g. an answer that did not parse
	if (neverSent(error) || refusedBeforeActing(error)) return false;
	// An API error below 500 is a refusal; a 5xx, a timeout, a cut connection or an
	// unreadable answer may have come after the action.
	return error.kind !== 'api' || (error.details.statusCode ?? 500) >= 500;
}

/**
 * An unsafe write (no ClientToken, no reconcile read) whose earlier request may have been
 * carried out: it is not sent again, so that it cannot act twice.
 */
export class WriteNotRepeatedError extends Error {
	constructor(readonly action: EcsAction) {
		super(
			`${action} was not sent again: the request of an earlier try may have been carried out (its answer was lost). Check its effect before running it again.`,
		);
		this.name = 'WriteNotRepeatedError';
	}
}

/** Sends one write: the request as given (parameters with any ClientToken). */
export type SendWrite<T> = (params: EcsParams) => Promise<T>;

/** The journal of one node run (all its tries). */
export class WriteJournal {
	private readonly entries = new Map<string, Entry>();

	/** One item's writes in one try, numbered per action in the order they are made. */
	forItem(itemIndex: number): ItemWrites {
		return new ItemWrites(this.entries, itemIndex);
	}
}

export class ItemWrites {
	private readonly made = new Map<EcsAction, number>();

	constructor(
		private readonly entries: Map<string, Entry>,
		private readonly itemIndex: number,
	) {}

	/**
	 * Performs one write at most once per node run (see above): `send` sends it, `reconcile`
	 * (for 'unsafe' actions) reads whether an earlier send whose answer was lost took effect,
	 * returning the result to report, or undefined to send the write again.
	 */
	async perform<T>(
		action: EcsAction,
		params: EcsParams,
		send: SendWrite<T>,
		reconcile?: () => Promise<T | undefined>,
	): Promise<T> {
		const count = (this.made.get(action) ?? 0) + 1;
		this.made.set(action, count);
		const key = `${this.itemIndex} ${action} ${count}`;
		const earlier = this.entries.get(key);
		if (earlier?.state === 'done') return structuredClone(earlier.result) as T;

		let request = params;
		if (earlier?.state === 'unknown') {
			request = earlier.params;
			if (ECS_ACTIONS[action] === 'unsafe') {
				if (!reconcile) throw new WriteNotRepeatedError(action);
				const settled = await reconcile();
				if (settled !== undefined) {
					this.entries.set(key, { state: 'done', result: structuredClone(settled) });
					return settled;
				}
			}
		}
		this.entries.set(key, { state: 'unknown', params: request });
		try {
			const result = await send(request);
			this.entries.set(key, { state: 'done', result: structuredClone(result) });
			return result;
		} catch (error) {
			if (!mayHaveActed(error)) this.entries.delete(key);
			throw error;
		}
	}
}

const journals = new WeakMap<object, WriteJournal>();

/**
 * The journal of the node run that `runKey` (the execute data n8n hands every try of one
 * node run, IExecuteFunctions.getExecuteData()) stands for.
 */
export function journalFor(runKey: object): WriteJournal {
	let journal = journals.get(runKey);
	if (!journal) {
		journal = new WriteJournal();
		journals.set(runKey, journal);
	}
	return journal;
}
