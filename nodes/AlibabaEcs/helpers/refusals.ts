/**
 * Failures that are neither bad input of one item (InputError) nor one failed call (EcsError):
 * the router turns them into n8n errors with the message as it is and the hint as description.
 */
export class ExplainedError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'ExplainedError';
	}
}

/**
 * A whole node run refused before any request, e.g. by Max Deregistrations Per Run. Without
 * continue-on-fail the node stops with it; with it, every item gets it as its error item (never
 * passed through as if it had succeeded).
 */
export class RunRefusedError extends ExplainedError {
	constructor(message: string, hint?: string) {
		super(message, hint);
		this.name = 'RunRefusedError';
	}
}

/** A listing over several regions of which some failed: no partial list is output. */
export class RegionsFailedError extends ExplainedError {
	constructor(message: string, hint?: string) {
		super(message, hint);
		this.name = 'RegionsFailedError';
	}
}
