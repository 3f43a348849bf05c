/**
 * The HTTP layer under the Alibaba Cloud SDK, for this package's own calls.
 *
 * The SDK sends every request with the `httpx` module (`@darabonba/typescript`'s doAction for
 * ECS, `@alicloud/credentials`' providers/http.js for STS AssumeRole) over httpx's private
 * keep-alive agent. It offers no way in for an agent: `Config`/`RuntimeOptions` have
 * `httpProxy`, `httpsProxy` and `noProxy` fields, but doAction (1.0.5) never reads them
 * (aliyun/alibabacloud-typescript-sdk#5, "proxy 无效"), and it hands `connectTimeout` to
 * `http.request({ timeout })`, where it becomes an idle limit for the whole exchange.
 *
 * So `hookHttpx` wraps httpx's `request` function once. The wrapper acts only inside an
 * {@link HttpScope} (an AsyncLocalStorage context this package opens around each attempt of
 * each call); every other caller of the same httpx module, e.g. another installed package
 * using the SDK, gets the original function's behaviour unchanged. Inside a scope it
 * - picks the agent (direct, or through the proxy n8n's own requests use; see proxy.ts),
 * - applies the scope's bounds: `connectTimeoutMs` for connecting (in the agent) and
 *   `timeoutMs` for the answer, from the moment the connection stands to its last byte
 *   (httpx's `readTimeout`); httpx's idle limit is set past both so that it never decides,
 * - observes the call's own API request (the one with an `x-acs-action` header, as every
 *   request of `@alicloud/openapi-core` has; STS AssumeRole from `@alicloud/credentials` names
 *   its action in the query instead): that it left, and its answer's status line, retry hint
 *   and request ID, all of which the SDK drops for an error page that is not JSON (a bare
 *   SyntaxError) and partly for JSON errors too (a ClientError has no headers).
 * The SDK's own code, signing included, runs unchanged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent, IncomingMessage } from 'node:http';

import { type CallInfo, EcsError, fromSdkError, reasonPhrase } from './errors';
import { retryAfterMs } from './retry';

/** The head of the answer to a call's own API request. */
export interface HttpAnswer {
	statusCode: number;
	/** The reason phrase, e.g. "Bad Gateway" (from the answer, or the standard one). */
	statusMessage: string;
	/** From x-acs-retry-after (ms) or Retry-After (seconds or a date): how long to wait (retry.ts). */
	retryAfterMs?: number;
	/** The x-acs-request-id header, which Alibaba Cloud's gateway sets on every answer. */
	requestId?: string;
}

/** Bounds and observations for one attempt of one call. */
export interface HttpScope {
	/** Wait for the answer, in ms: from the connection standing to the answer's last byte. */
	timeoutMs: number;
	/** Connecting, in ms: TCP, a proxy's CONNECT, TLS. */
	connectTimeoutMs: number;
	/**
	 * Set when the call's own API request was handed to the HTTP client: the credential step
	 * (STS AssumeRole for a RAM role) is over, so a failure from then on is not STS's.
	 */
	started?: boolean;
	/** Set when the call's own API request was answered: the head of the answer. */
	answer?: HttpAnswer;
	/** Set when the request went through a proxy: the proxy, without credentials. */
	proxy?: string;
	/** The credentials the request was signed with, when a session provider supplied them. */
	session?: object;
}

const scopes = new AsyncLocalStorage<HttpScope>();

/** Runs `fn` with its HTTP requests (ECS and STS alike) under `scope`. */
export async function runInHttpScope<T>(scope: HttpScope, fn: () => Promise<T>): Promise<T> {
	return await scopes.run(scope, fn);
}

export function currentHttpScope(): HttpScope | undefined {
	return scopes.getStore();
}

/** Connecting to an endpoint (or to the proxy, or through it) took longer than its bound. */
export class ConnectTimeoutError extends Error {
	readonly code = 'ETIMEDOUT';

	constructor(
		/** host:port connected to. */
		readonly target: string,
		readonly timeoutMs: number,
		/** The proxy in between, if any (no credentials). */
		readonly proxy?: string,
	) {
		super(`Connecting to ${target} took more than ${timeoutMs} ms`);
		this.name = 'ConnectTimeoutError';
	}
}

/**
 * A proxy (from HTTPS_PROXY and the like) that could not be reached, or that refused to
 * open a tunnel: `statusCode` is its answer to CONNECT (407 when it wants credentials).
 */
export class ProxyError extends Error {
	constructor(
		/** The proxy as scheme://host:port: never its user name or password. */
		readonly proxy: string,
		/** host:port the tunnel was for. */
		readonly target: string,
		readonly details: { statusCode?: number; statusMessage?: string; errno?: string },
	) {
		super(
			details.statusCode === undefined
				? `The proxy ${proxy} could not be reached (${details.errno ?? 'unknown error'})`
				: `The proxy ${proxy} refused a tunnel to ${target}: HTTP ${details.statusCode}`,
		);
		this.name = 'ProxyError';
	}
}

/** The agent for one request, and the proxy it goes through (undefined: direct). */
export interface Route {
	agent: Agent;
	proxy?: string;
}

interface HttpxOptions {
	agent?: Agent;
	headers?: Record<string, unknown>;
	readTimeout?: number;
	connectTimeout?: number;
	[option: string]: unknown;
}

/** The part of the `httpx` module the wrapper replaces. */
export interface HttpxModule {
	request(url: string, options?: HttpxOptions): Promise<IncomingMessage>;
}

/**
 * Whether a request is the call's own API request: `@alicloud/openapi-core` sends the action in
 * an `x-acs-action` header (dist/client.js, every request style), the credential providers do
 * not (ram_role_arn.js sends `Action=AssumeRole` in the query).
 */
function isApiRequest(options: HttpxOptions): boolean {
	return typeof options.headers?.['x-acs-action'] === 'string';
}

/** A short header value that can be shown (a request ID), or undefined. */
function headerText(value: string | string[] | undefined): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	return text && /^[\w-]{1,64}$/.test(text) ? text : undefined;
}

/** What the answer's head tells: status line, retry hint, request ID. */
function answerHead(response: IncomingMessage): HttpAnswer {
	const statusCode = response.statusCode ?? 0;
	return {
		statusCode,
		statusMessage: reasonPhrase(statusCode, response.statusMessage),
		retryAfterMs: retryAfterMs(response.headers),
		requestId: headerText(response.headers['x-acs-request-id']),
	};
}

/** Marks this copy's wrapper (module-local: another copy of the package wraps on top, each acting in its own scopes). */
const HOOKED = Symbol('n8n-nodes-alibaba-ecs httpx hook');

/**
 * Wraps `httpx.request` once (per module instance) so that calls made inside an HttpScope use
 * `route(url)`'s agent and the scope's bounds. Throws when the module does not look like the
 * httpx the SDK is known to use, rather than silently sending without proxy and bounds.
 */
export function hookHttpx(httpx: HttpxModule, route: (url: URL) => Route): void {
	const original = httpx.request as HttpxModule['request'] & { [HOOKED]?: true };
	if (original[HOOKED]) return;
	if (typeof original !== 'function') {
		throw new Error(
			"The Alibaba Cloud SDK's HTTP module (httpx) has no request function: this SDK version is not supported",
		);
	}
	const hooked = async function (this: unknown, url: string, options: HttpxOptions = {}) {
		const scope = scopes.getStore();
		if (!scope) return await original.call(this, url, options);
		const own = isApiRequest(options);
		if (own) scope.started = true;
		const target = new URL(url);
		const { agent, proxy } = route(target);
		scope.proxy = proxy;
		const response = await original.call(this, url, {
			...options,
			agent,
			readTimeout: scope.timeoutMs,
			connectTimeout: scope.connectTimeoutMs + scope.timeoutMs,
		});
		const statusCode = response.statusCode ?? 0;
		if (proxy !== undefined && statusCode === 407) {
			// A proxy for plain-HTTP endpoints answers the request itself.
			response.destroy();
			throw new ProxyError(proxy, target.host, {
				statusCode,
				statusMessage: reasonPhrase(statusCode, response.statusMessage),
			});
		}
		if (own) scope.answer = answerHead(response);
		return response;
	};
	Object.defineProperty(hooked, HOOKED, { value: true });
	httpx.request = hooked;
}

/**
 * What failed in the HTTP layer, as an EcsError naming the proxy or the bound that applied;
 * other failures as fromSdkError sees them, with what the scope saw of the answer (the status
 * line, retry hint and request ID the SDK drops).
 */
export function fromHttpFailure(error: unknown, call: CallInfo, scope: HttpScope): EcsError {
	if (error instanceof ProxyError) {
		const { statusCode, statusMessage, errno } = error.details;
		return new EcsError(
			'proxy',
			call,
			{ proxy: error.proxy, targetHost: error.target, statusCode, statusMessage, errno },
			// not error.message: httpx appends the request URL, query included, to it
			`The proxy ${error.proxy} failed for ${error.target}`,
		);
	}
	if (error instanceof ConnectTimeoutError) {
		return new EcsError(
			'timeout',
			call,
			{
				errno: error.code,
				phase: 'connect',
				timeoutMs: error.timeoutMs,
				targetHost: error.target,
				proxy: error.proxy,
			},
			`Connecting to ${error.target} took too long`,
		);
	}
	const failure = fromSdkError(error, call, scope.answer);
	if (scope.proxy) failure.details.proxy ??= scope.proxy;
	if (failure.kind === 'timeout') {
		failure.details.phase ??= 'answer';
		failure.details.timeoutMs ??= scope.timeoutMs;
	}
	return failure;
}
