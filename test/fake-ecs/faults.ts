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
		/**
		 * An HTML page from a gateway or proxy in front of the API (default 502; 503 and 504 have
		 * their own pages), optionally with a standard Retry-After header (seconds).
		 */
		| { kind: 'html'; status?: number; retryAfterSeconds?: number }
		/**
		 * The gateway's 429 Too Many Requests, refused before the action: a JSON body with the
		 * code TooManyRequests (default), an HTML page, or no body; optionally with
		 * x-acs-retry-after (ms) or a standard Retry-After (s). The body and code are unverified
		 * (no public page shows one); the status is RFC 6585's.
		 */
		| {
				kind: 'tooManyRequests';
				body?: 'json' | 'html' | 'empty';
				retryAfterSeconds?: number;
				retryAfterHeader?: 'x-acs-retry-after' | 'retry-after';
		  }
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

const REASONS: Record<number, string> = {
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Temporarily Unavailable',
	504: 'Gateway Time-out',
};

/** The error page of Tengine (Alibaba's nginx, in front of its APIs) for a status. */
export function htmlErrorPage(status: number): string {
	const title = `${status} ${REASONS[status] ?? 'Error'}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n`;
}

export const HTML_PROXY_PAGE = htmlErrorPage(502);

/** `x-acs-retry-after` in milliseconds (what the SDKs read), or `Retry-After` in seconds. */
function retryAfterHeaders(
	seconds: number | undefined,
	header: 'x-acs-retry-after' | 'retry-after' = 'x-acs-retry-after',
): Record<string, string> {
	if (seconds === undefined) return {};
	return header === 'retry-after'
		? { 'retry-after': String(Math.round(seconds)) }
		: { 'x-acs-retry-after': String(Math.round(seconds * 1000)) };
}

/**
 * Answers a fault that pre-empts the action (true), or leaves the exchange alone for faults
 * that act first (wrongTypes, dropAfterAction: false). `timers` tracks hangs so close() can end them.
 */
export function answerFault(ex: Exchange, fault: Fault, timers: Set<NodeJS.Timeout>): boolean {
	switch (fault.kind) {
		case 'error': {
			const message = fault.message ?? `Injected ${fault.code}.`;
			ex.sendError(
				new ApiError(fault.status, fault.code, message, fault.body),
				retryAfterHeaders(fault.retryAfterSeconds),
			);
			return true;
		}
		case 'html': {
			const status = fault.status ?? 502;
			const headers = retryAfterHeaders(fault.retryAfterSeconds, 'retry-after');
			ex.send(status, htmlErrorPage(status), 'text/html', headers);
			return true;
		}
		case 'tooManyRequests': {
			const headers = retryAfterHeaders(fault.retryAfterSeconds, fault.retryAfterHeader);
			if (fault.body === 'html') ex.send(429, htmlErrorPage(429), 'text/html', headers);
			else if (fault.body === 'empty') ex.send(429, '', 'text/plain', headers);
			else ex.sendError(new ApiError(429, 'TooManyRequests', 'Too Many Requests.'), headers);
			return true;
		}
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
