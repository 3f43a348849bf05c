import { ApiError } from './errors';
import type { Exchange } from './exchange';

/**
 * Queued fault injection. A fault applies to the next requests (optionally of one action) whose
 * signature verified, `times` times (default 1), then is consumed.
 */
export type FaultKind = Fault['kind'];

interface Matching {
	/** Only requests for this API action (default: any). */
	action?: string;
	/** How many matching requests it applies to (default 1). */
	times?: number;
}

export type Fault = Matching &
	(
		| {
				kind: 'error';
				status: number;
				code: string;
				message?: string;
				/** Sent as `x-acs-retry-after` in milliseconds, the unit the SDK's retry sleeps in. */
				retryAfterSeconds?: number;
				/** Extra body fields, e.g. `{AccessDeniedDetail: {...}}`. */
				body?: Record<string, unknown>;
		  }
		/** An HTML page from a proxy in front of the API (default 502). */
		| { kind: 'html'; status?: number }
		/** Status (default 200) with an empty body. */
		| { kind: 'empty'; status?: number }
		/** 200 with truncated JSON. */
		| { kind: 'malformedJson'; status?: number }
		/** Performs the action, then answers with wrong JSON types (InvocationCount "abc", Connected "maybe"…). */
		| { kind: 'wrongTypes' }
		/** No answer for `ms`, then the connection is dropped; the action is not performed. */
		| { kind: 'hang'; ms: number }
		/** A slow API or network: nothing for `ms`, then the action is performed and answered as usual. */
		| { kind: 'slow'; ms: number }
		/** Drops the connection (TCP reset) without acting or answering. */
		| { kind: 'reset' }
		/** Performs the action (state changes, ClientToken is remembered), then drops the connection. */
		| { kind: 'dropAfterAction' }
	);

export class FaultQueue {
	private readonly queue: Array<{ fault: Fault; remaining: number }> = [];

	inject(fault: Fault): void {
		this.queue.push({ fault, remaining: fault.times ?? 1 });
	}

	/** The first queued fault for this action, consuming one use of it. */
	take(action: string): Fault | undefined {
		const index = this.queue.findIndex(
			(q) => q.fault.action === undefined || q.fault.action === action,
		);
		if (index < 0) return undefined;
		const entry = this.queue[index];
		if (--entry.remaining <= 0) this.queue.splice(index, 1);
		return entry.fault;
	}

	get pending(): number {
		return this.queue.length;
	}

	clear(): void {
		this.queue.length = 0;
	}
}

const NUMBER_FIELDS = new Set([
	'InvocationCount',
	'InstanceCount',
	'RegisteredCount',
	'DeregisteredCount',
	'TimeToLiveInHours',
	'TotalCount',
	'PageNumber',
	'PageSize',
]);
const BOOLEAN_FIELDS = new Set(['Connected', 'Disabled']);

/**
 * The body with every number field turned into "abc" and every boolean into "maybe"; where the
 * body has neither, RequestId becomes an object. Every SDK response model then fails to parse.
 */
export function withWrongTypes(body: Record<string, unknown>): Record<string, unknown> {
	let changed = false;
	const walk = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(walk);
		if (typeof value !== 'object' || value === null) return value;
		const out: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value)) {
			const wrong = NUMBER_FIELDS.has(key) ? 'abc' : BOOLEAN_FIELDS.has(key) ? 'maybe' : undefined;
			if (wrong !== undefined) changed = true;
			out[key] = wrong ?? walk(v);
		}
		return out;
	};
	const result = walk(body) as Record<string, unknown>;
	return changed ? result : { ...result, RequestId: { wrong: 'type' } };
}

export const HTML_PROXY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

/**
 * Answers a fault that pre-empts the action (true), or leaves the exchange alone for faults
 * that act first (wrongTypes, dropAfterAction: false). `timers` tracks hangs so close() can end them.
 */
export function answerFault(ex: Exchange, fault: Fault, timers: Set<NodeJS.Timeout>): boolean {
	switch (fault.kind) {
		case 'error': {
			const headers: Record<string, string> = {};
			if (fault.retryAfterSeconds !== undefined) {
				headers['x-acs-retry-after'] = String(Math.round(fault.retryAfterSeconds * 1000));
			}
			const message = fault.message ?? `Injected ${fault.code}.`;
			ex.sendError(new ApiError(fault.status, fault.code, message, fault.body), headers);
			return true;
		}
		case 'html':
			ex.send(fault.status ?? 502, HTML_PROXY_PAGE, 'text/html');
			return true;
		case 'empty':
			ex.send(fault.status ?? 200, '');
			return true;
		case 'malformedJson':
			ex.send(
				fault.status ?? 200,
				`{"RequestId":"${ex.record.requestId}","Instances":[{"InstanceId":"mi-`,
			);
			return true;
		case 'hang': {
			const timer = setTimeout(() => ex.drop(), fault.ms);
			timers.add(timer);
			ex.res.socket?.once('close', () => {
				clearTimeout(timer);
				timers.delete(timer);
				ex.finish();
			});
			return true;
		}
		case 'reset':
			ex.drop();
			return true;
		default:
			return false;
	}
}
