/**
 * Which way a request leaves n8n: directly, or through the proxy n8n's own HTTP requests use.
 *
 * n8n (n8n-core `http-proxy.ts` in 2.8, `@n8n/backend-network` in 2.41) picks the proxy per
 * URL with `proxy-from-env`'s getProxyForUrl: HTTPS_PROXY for https:// URLs, HTTP_PROXY for
 * http://, ALL_PROXY for both, each also in lower case (the lower-case name wins), NO_PROXY
 * (host names, `.domain` suffixes, `*`, optional ports) excluding hosts; and tunnels with
 * `https-proxy-agent` (CONNECT) or forwards with `http-proxy-agent`. This module does the
 * same, with the same libraries, for the SDK's requests (ECS and STS), adding what n8n leaves
 * to the caller: a bound on connecting, and errors that name the proxy (never its password).
 * A proxy URL's user name and password (http://user:password@host:port) are sent as
 * Proxy-Authorization: Basic.
 *
 * Loaded with the SDK, on the first execution (sdk.ts), not at n8n's start-up.
 */
import type { Agent, ClientRequest } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

import { reasonPhrase } from './errors';
import { ConnectTimeoutError, ProxyError, type Route, currentHttpScope } from './http';

/** Connecting when no call settings apply (none do outside a scope; kept for safety). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function connectBound(): number {
	return currentHttpScope()?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/** A proxy URL as shown in messages: scheme, host and port, never user name or password. */
export function describeProxy(proxy: URL): string {
	return `${proxy.protocol}//${proxy.host}`;
}

/** The proxy n8n would use for `url` (see above), or undefined for a direct connection. */
export function proxyFor(url: URL): URL | undefined {
	const configured = getProxyForUrl(url.origin);
	if (!configured) return undefined;
	try {
		return new URL(configured);
	} catch {
		// Do not echo the value: it may hold a password.
		throw new ProxyError('(an unreadable proxy URL)', url.host, { errno: 'EINVALIDPROXY' });
	}
}

/** Destroys `socket` with a ConnectTimeoutError unless `event` comes within the bound. */
function boundConnecting(
	socket: Socket,
	event: 'connect' | 'secureConnect',
	target: string,
	timeoutMs: number,
	proxy?: string,
): void {
	const timer = setTimeout(
		() => socket.destroy(new ConnectTimeoutError(target, timeoutMs, proxy)),
		timeoutMs,
	);
	const done = () => clearTimeout(timer);
	socket.once(event, done);
	socket.once('close', done);
}

interface ConnectOptions {
	host?: string | null;
	port?: number | string | null;
	secureEndpoint?: boolean;
}

function targetOf(options: ConnectOptions): string {
	return `${options.host ?? 'localhost'}:${options.port ?? ''}`;
}

/** Bounds a socket a direct agent has just created (args: what createConnection got). */
function bounded<T extends Socket>(
	socket: T,
	args: unknown[],
	event: 'connect' | 'secureConnect',
): T {
	const options = args.find((arg) => typeof arg === 'object') as ConnectOptions | undefined;
	boundConnecting(socket, event, targetOf(options ?? {}), connectBound());
	return socket;
}

/** Keep-alive agents for direct connections whose connecting is bounded. */
class DirectHttpsAgent extends https.Agent {
	createConnection(...args: Parameters<https.Agent['createConnection']>) {
		return bounded(super.createConnection(...args) as TLSSocket, args, 'secureConnect');
	}
}

class DirectHttpAgent extends http.Agent {
	createConnection(...args: Parameters<http.Agent['createConnection']>) {
		return bounded(super.createConnection(...args) as Socket, args, 'connect');
	}
}

/**
 * Races a proxy agent's connect() against the bound, turns its failures into ProxyErrors,
 * and refuses a tunnel the proxy did not open (https-proxy-agent would otherwise hand the
 * proxy's own answer to the request as if the endpoint had sent it).
 */
async function connectThroughProxy(
	connect: () => Promise<Socket>,
	req: ClientRequest,
	proxy: string,
	options: ConnectOptions,
): Promise<Socket> {
	const target = targetOf(options);
	const timeoutMs = connectBound();
	let refusal: { statusCode: number; statusText?: string } | undefined;
	req.once('proxyConnect', (answer: { statusCode: number; statusText?: string }) => {
		if (answer.statusCode !== 200) refusal = answer;
	});
	let timer: NodeJS.Timeout | undefined;
	let timedOut = false;
	const pending = connect();
	try {
		const socket = await Promise.race([
			pending,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => {
					timedOut = true;
					reject(new ConnectTimeoutError(target, timeoutMs, proxy));
				}, timeoutMs);
			}),
		]);
		if (refusal) {
			socket.destroy();
			throw new ProxyError(proxy, target, {
				statusCode: refusal.statusCode,
				statusMessage: reasonPhrase(refusal.statusCode, refusal.statusText),
			});
		}
		return socket;
	} catch (error) {
		if (timedOut) pending.then((late) => late.destroy()).catch(() => undefined);
		if (error instanceof ConnectTimeoutError || error instanceof ProxyError) throw error;
		const errno = (error as { code?: unknown }).code;
		throw new ProxyError(proxy, target, { errno: typeof errno === 'string' ? errno : undefined });
	} finally {
		clearTimeout(timer);
	}
}

class BoundedHttpsProxyAgent extends HttpsProxyAgent<string> {
	constructor(
		proxy: URL,
		private readonly shown: string,
	) {
		super(proxy, { keepAlive: true });
	}

	async connect(req: ClientRequest, options: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
		return await connectThroughProxy(
			async () => await super.connect(req, options),
			req,
			this.shown,
			options,
		);
	}
}

class BoundedHttpProxyAgent extends HttpProxyAgent<string> {
	constructor(
		proxy: URL,
		private readonly shown: string,
	) {
		super(proxy, { keepAlive: true });
	}

	async connect(
		req: Parameters<HttpProxyAgent<string>['connect']>[0],
		options: Parameters<HttpProxyAgent<string>['connect']>[1],
	) {
		return await connectThroughProxy(
			async () => await super.connect(req, options),
			req,
			this.shown,
			options,
		);
	}
}

const direct = {
	https: new DirectHttpsAgent({ keepAlive: true }),
	http: new DirectHttpAgent({ keepAlive: true }),
};
/** By proxy URL and target scheme; a handful at most (one per proxy variable). */
const proxied = new Map<string, Agent>();

/**
 * The agent for a request to `url`: through the proxy n8n would use for it, or direct.
 * Agents keep connections alive and are shared by every call of the process.
 */
export function routeFor(url: URL): Route {
	const secure = url.protocol === 'https:';
	const proxy = proxyFor(url);
	if (!proxy) return { agent: secure ? direct.https : direct.http };
	const shown = describeProxy(proxy);
	const key = `${secure ? 'https' : 'http'} ${proxy.href}`;
	let agent = proxied.get(key);
	if (!agent) {
		agent = secure
			? new BoundedHttpsProxyAgent(proxy, shown)
			: new BoundedHttpProxyAgent(proxy, shown);
		proxied.set(key, agent);
	}
	return { agent, proxy: shown };
}
