import type { IDataObject } from 'n8n-workflow';

/**
 * One part of an item's result that failed while the others succeeded: a command that exited
 * non-zero on one of several instances. An operation returns it among its output objects; the
 * router turns it into an error item of that input item under continue-on-fail (the error
 * output, when the node has one) and otherwise stops the node with it.
 *
 * n8n reduces an error item's JSON to `{error: message}` (n8n-core WorkflowExecute: an item
 * with `error` gets `json = {error: error.message}`; the error output then adds the paired input
 * item's fields), so the message must say which part failed and how.
 */
export class TargetFailure {
	constructor(
		/** One line naming what failed; never more than the first line of a command's output. */
		readonly message: string,
		/** What to check or do. */
		readonly description: string,
		/** Identifying fields kept on the error's context (no command output: it may hold secrets). */
		readonly context: IDataObject,
	) {}
}
