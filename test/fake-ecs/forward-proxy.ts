/**
 * A real forward proxy on 127.0.0.1 for proxy tests: the npm package `proxy` (TooTallNate's
 * proxy-agents, the proxy its https-proxy-agent is tested against). It tunnels CONNECT and
 * forwards plain-HTTP requests; this wrapper records what it was asked and can demand
 * Basic credentials (407 Proxy Authentication Required otherwise).
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { createProxy } from 'proxy';

export interface ProxyRequest {
	/** CONNECT (a tunnel, for https://) or the method of a forwarded plain-HTTP request. */
	method: string;
	/** host:port for CONNECT, the absolute URL otherwise. */
	target: string;
	/** The Proxy-Authorization header it came with, if any. */
	authorization?: string;
}

export class ForwardProxy {
	readonly requests: ProxyRequest[] = [];

	private readonly sockets = new Set<Socket>();

	private constructor(
		private readonly server: http.Server,
		readonly port: number,
	) {
		// Tunnels are not HTTP connections the server tracks: close() ends them itself.
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
	}

	/** Starts a proxy; with `credentials`, only requests carrying them (Basic) are served. */
	static async start(credentials?: { user: string; password: string }): Promise<ForwardProxy> {
		const server = createProxy(http.createServer());
		const expected = credentials
			? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
			: undefined;
		if (expected) server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
		const port = await new Promise<number>((resolve) =>
			server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
		);
		const proxy = new ForwardProxy(server, port);
		const record = (req: http.IncomingMessage) =>
			proxy.requests.push({
				method: req.method ?? '',
				target: req.url ?? '',
				authorization: req.headers['proxy-authorization'],
			});
		server.prependListener('connect', record);
		server.prependListener('request', record);
		return proxy;
	}

	/** `http://127.0.0.1:PORT`, or with user and password in it. */
	url(credentials?: { user: string; password: string }): string {
		const auth = credentials
			? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
			: '';
		return `http://${auth}127.0.0.1:${this.port}`;
	}

	/** The CONNECT targets asked for, in order. */
	get tunnels(): string[] {
		return this.requests.filter((r) => r.method === 'CONNECT').map((r) => r.target);
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}
}
