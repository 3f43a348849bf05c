/**
 * ClientToken idempotency: within 24 h, the same token for the same action and parameters
 * returns the first successful result again without acting twice; other parameters → 400
 * IdempotentParameterMismatch.
 */
import { ApiError, invalidParam } from './errors';
import type { Params } from './params';

const TTL_MS = 24 * 3_600_000;
/** V1 common parameters: they differ on every retry and are not part of the request's meaning. */
const NOT_COMPARED = new Set([
	'ClientToken',
	'AccessKeyId',
	'Signature',
	'SignatureMethod',
	'SignatureVersion',
	'SignatureNonce',
	'SignatureType',
	'Timestamp',
	'Format',
	'Version',
	'Action',
	'SecurityToken',
]);

interface Remembered {
	fingerprint: string;
	body: Record<string, unknown>;
	at: number;
}

function fingerprint(params: Params): string {
	return JSON.stringify(
		Object.keys(params)
			.filter((k) => !NOT_COMPARED.has(k))
			.sort()
			.map((k) => [k, params[k]]),
	);
}

export function readClientToken(params: Params): string | undefined {
	const token = params.ClientToken;
	if (token === undefined || token === '') return undefined;
	if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) {
		throw invalidParam(
			'ClientToken',
			'It can contain only ASCII characters and be up to 64 characters long.',
		);
	}
	return token;
}

export class IdempotencyStore {
	private readonly entries = new Map<string, Remembered>();

	/** The remembered body for a repeat, undefined for a first call; throws on a parameter mismatch. */
	replay(
		action: string,
		token: string,
		params: Params,
		now: number,
	): Record<string, unknown> | undefined {
		const entry = this.entries.get(`${action}\n${token}`);
		if (!entry || now - entry.at > TTL_MS) return undefined;
		if (entry.fingerprint !== fingerprint(params)) {
			throw new ApiError(
				400,
				'IdempotentParameterMismatch',
				'The specified ClientToken was already used with different parameters.',
			);
		}
		return entry.body;
	}

	remember(
		action: string,
		token: string,
		params: Params,
		body: Record<string, unknown>,
		now: number,
	): void {
		this.entries.set(`${action}\n${token}`, { fingerprint: fingerprint(params), body, at: now });
		if (this.entries.size % 1024 === 0) {
			for (const [key, e] of this.entries) if (now - e.at > TTL_MS) this.entries.delete(key);
		}
	}

	clear(): void {
		this.entries.clear();
	}
}
