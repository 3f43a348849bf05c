/**
 * transport/answers.ts: what Node's HTTP client saw of a request the transport marked with its
 * own nonce, read from Node's diagnostics channels; other requests are left alone.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NONCE_HEADER, forget, watchNewRequest } from '../../nodes/AlibabaEcs/transport/answers';

let server: http.Server;
let port: number;

beforeAll(async () => {
	server = http.createServer((_req, res) => {
		res.writeHead(429, 'Too Many Requests', {
			'x-acs-retry-after': '1500',
			'x-acs-request-id': '4ECEEE12-56F1-4FBC-9AB1-890F74942176',
			'content-type': 'text/html',
		});
		res.end('<html>slow down</html>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(headers: Record<string, string>): Promise<void> {
	return new Promise((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port, headers }, (res) => {
				res.resume();
				res.on('end', resolve);
			})
			.on('error', reject);
	});
}

it('sees the status, reason, retry hint and request ID of the request carrying its nonce', async () => {
	const nonce = watchNewRequest();
	expect(nonce).toMatch(/^[0-9a-f]{32}$/);
	await get({ [NONCE_HEADER]: nonce });
	expect(forget(nonce)).toEqual({
		started: true,
		answer: {
			statusCode: 429,
			statusMessage: 'Too Many Requests',
			retryAfterMs: 1500,
			requestId: '4ECEEE12-56F1-4FBC-9AB1-890F74942176',
		},
	});
	// forgotten: nothing is kept once read
	expect(forget(nonce)).toEqual({ started: false });
});

it('ignores requests without a watched nonce, and a request that never left is not started', async () => {
	const nonce = watchNewRequest();
	await get({ [NONCE_HEADER]: 'someone-else' });
	await get({});
	expect(forget(nonce)).toEqual({ started: false });
});

it('gives every request its own nonce', () => {
	const nonces = new Set(Array.from({ length: 100 }, () => watchNewRequest()));
	expect(nonces.size).toBe(100);
	nonces.forEach((n) => forget(n));
});
