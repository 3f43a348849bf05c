/**
 * What the HTTP layer saw of one ECS request: whether it left at all, and the status and
 * retry hint of its answer. The SDK keeps neither for an error answer (it throws a ClientError
 * without headers, or a bare SyntaxError for a page that is not JSON), so they are observed
 * here through Node's documented HTTP diagnostics channels ("http.client.request.start",
 * "http.client.response.finish", both in Node 20), matched by the request's
 * x-acs-signature-nonce, which the transport chooses itself for every attempt. Nothing is
 * patched and no header value other than the nonce is read from the request.
 */
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

import { retryAfterMs } from './retry';

/** The signed header every ECS request carries once (ACS3: x-acs-signature-nonce). */
export const NONCE_HEADER = 'x-acs-signature-nonce';

export interface HttpAnswer {
	statusCode: number;
	/** The reason phrase, e.g. "Bad Gateway". */
	statusMessage?: string;
	/** From x-acs-retry-after (ms) or Retry-After (seconds or a date): how long to wait. */
	retryAfterMs?: number;
	/** The x-acs-request-id header, which Alibaba Cloud's gateway sets on every answer. */
	requestId?: string;
}

export interface Exchange {
	/** The request was handed to Node's HTTP client (so the credential step, STS included, is over). */
	started: boolean;
	/** The answer's head, when one came. */
	answer?: HttpAnswer;
}

const watched = new Map<string, Exchange>();
let subscribed = false;

function nonceOf(request: ClientRequest | undefined): string | undefined {
	const value = request?.getHeader?.(NONCE_HEADER);
	return typeof value === 'string' ? value : undefined;
}

/** A short header value that can be shown (a request ID), or undefined. */
function headerText(value: string | string[] | undefined): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	return text && /^[\w-]{1,64}$/.test(text) ? text : undefined;
}

function subscribeOnce(): void {
	if (subscribed) return;
	subscribed = true;
	subscribe('http.client.request.start', (message) => {
		const nonce = nonceOf((message as { request?: ClientRequest }).request);
		const exchange = nonce === undefined ? undefined : watched.get(nonce);
		if (exchange) exchange.started = true;
	});
	subscribe('http.client.response.finish', (message) => {
		const { request, response } = message as {
			request?: ClientRequest;
			response?: IncomingMessage;
		};
		const nonce = nonceOf(request);
		const exchange = nonce === undefined ? undefined : watched.get(nonce);
		if (!exchange || !response) return;
		exchange.started = true;
		exchange.answer = {
			statusCode: response.statusCode ?? 0,
			statusMessage: response.statusMessage || undefined,
			retryAfterMs: retryAfterMs(response.headers),
			requestId: headerText(response.headers['x-acs-request-id']),
		};
	});
}

/** A fresh nonce to send, watched until `forget` is called with it. */
export function watchNewRequest(): string {
	subscribeOnce();
	const nonce = randomBytes(16).toString('hex');
	watched.set(nonce, { started: false });
	return nonce;
}

/** What was seen of the request with this nonce; stops watching it. */
export function forget(nonce: string): Exchange {
	const exchange = watched.get(nonce) ?? { started: false };
	watched.delete(nonce);
	return exchange;
}
