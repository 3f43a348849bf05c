/**
 * Keeps one trigger from reporting a change twice when n8n runs its poll twice in one process.
 *
 * n8n polls with one poll context per activation of a workflow (n8n-core ActiveWorkflows /
 * PollTriggerExecutor: the context is made once and called on every Poll Times tick), and the
 * context's static data is that activation's memory. Two ways to poll twice:
 * - Overlapping polls of one activation: two Poll Times entries due at the same second, or a poll
 *   still running when the next is due. They share the static data, so both would compare the
 *   fleet with the same old state. The later one returns nothing at once: the running one
 *   reports what changed (if it fails, the next poll catches up).
 * - An old activation that keeps polling after a newer one started: n8n issue #35251 (a poller
 *   left registered after `n8n import:workflow` on a running instance and re-activation). Each
 *   activation has its own copy of the static data, so both would report every change. The
 *   activation whose first poll came last is the current one; the others return nothing, even a
 *   poll of theirs already running (checked again before it keeps its result).
 *
 * Across processes (n8n restarted, another main instance) nothing is shared: there the state n8n
 * saved with the last reported poll decides, and each event's EventId lets a workflow drop one
 * it has seen.
 */

/**
 * By trigger, the current poll context (the latest to start polling), held weakly: a
 * deactivated workflow's context is not kept alive by this map.
 */
const current = new Map<string, WeakRef<object>>();
const seen = new WeakSet<object>();
const running = new WeakSet<object>();

/** Whose poll it is: n8n's poll context, and the workflow and node it belongs to. */
export interface PollOwner {
	context: object;
	workflowId: string;
	nodeId: string;
}

const keyOf = (owner: PollOwner) => `${owner.workflowId}\u0000${owner.nodeId}`;

/** Whether this context is the current one of its trigger. */
export function isCurrent(owner: PollOwner): boolean {
	return current.get(keyOf(owner))?.deref() === owner.context;
}

/**
 * Runs `poll` unless another poll of the same context is running or a newer activation of the
 * same trigger has polled; then returns null without calling it. A context polling for the
 * first time becomes its trigger's current one.
 */
export async function guardPoll<T>(owner: PollOwner, poll: () => Promise<T>): Promise<T | null> {
	const { context } = owner;
	if (!seen.has(context)) {
		seen.add(context);
		current.set(keyOf(owner), new WeakRef(context));
	}
	if (!isCurrent(owner) || running.has(context)) return null;
	running.add(context);
	try {
		return await poll();
	} finally {
		running.delete(context);
	}
}
