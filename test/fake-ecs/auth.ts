/**
 * Who sent a request and whether to believe it: signature (V3 or V1, see signature.ts), then
 * the clock (±15 min), the nonce (no replays), and the STS security token.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors';
import type { Params } from './params';
import { ACS3_ALGORITHM, verifyAcs3, verifyRpc, type Param, type VerifyResult } from './signature';
import type { StsSessions } from './sts';

export type SignatureScheme = 'ACS3-HMAC-SHA256' | 'HMAC-SHA1' | 'none';

export interface AuthRequest {
	method: string;
	path: string;
	/** Decoded query parameters, in wire order. */
	query: Param[];
	/** Decoded form-body parameters (empty unless the body is a form). */
	form: Param[];
	/** Query and form merged. */
	params: Params;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export interface AuthResult {
	scheme: SignatureScheme;
	signatureValid: boolean;
	action: string;
	version: string;
	accessKeyId?: string;
	securityToken?: string;
	/** Set when the request must be refused. */
	error?: ApiError;
}

const MAX_SKEW_MS = 15 * 60_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
	const v = headers[name];
	return Array.isArray(v) ? v.join(',') : v;
};

export function detectScheme(req: AuthRequest): SignatureScheme {
	if (header(req.headers, 'authorization')?.trim().startsWith(`${ACS3_ALGORITHM} `))
		return ACS3_ALGORITHM;
	if (req.params.Signature !== undefined) return 'HMAC-SHA1';
	return 'none';
}

/** Remembers nonces long enough to cover the whole accepted clock window. */
class NonceCache {
	private readonly seen = new Map<string, number>();

	/** False if the nonce was already used. */
	use(key: string, now: number): boolean {
		for (const [k, expiry] of this.seen) {
			if (expiry > now) break;
			this.seen.delete(k);
		}
		if (this.seen.has(key)) return false;
		this.seen.set(key, now + 2 * MAX_SKEW_MS);
		return true;
	}

	clear(): void {
		this.seen.clear();
	}
}

export class Authenticator {
	private readonly nonces = new NonceCache();

	constructor(
		private readonly accessKeys: Readonly<Record<string, string>>,
		private readonly sessions: StsSessions,
		private readonly now: () => number,
	) {}

	reset(): void {
		this.nonces.clear();
	}

	authenticate(req: AuthRequest): AuthResult {
		const scheme = detectScheme(req);
		const v3 =
			scheme === ACS3_ALGORITHM ||
			(scheme === 'none' && header(req.headers, 'authorization') !== undefined);
		const result: AuthResult = {
			scheme,
			signatureValid: false,
			action: (v3 ? header(req.headers, 'x-acs-action') : req.params.Action) ?? '',
			version: (v3 ? header(req.headers, 'x-acs-version') : req.params.Version) ?? '',
			securityToken: v3 ? header(req.headers, 'x-acs-security-token') : req.params.SecurityToken,
		};
		if (!v3 && scheme === 'none') {
			result.error = new ApiError(
				400,
				'SignatureDoesNotMatch',
				'The request is not signed: it has neither an ACS3-HMAC-SHA256 Authorization header nor a Signature parameter.',
			);
			return result;
		}
		const timestamp = v3 ? header(req.headers, 'x-acs-date') : req.params.Timestamp;
		const nonce = v3 ? header(req.headers, 'x-acs-signature-nonce') : req.params.SignatureNonce;
		const names = v3 ? ['x-acs-date', 'x-acs-signature-nonce'] : ['Timestamp', 'SignatureNonce'];
		const missing = names[[timestamp, nonce].findIndex((value) => !value)];
		if (missing) {
			result.error = new ApiError(
				400,
				'IncompleteSignature',
				`The request signature does not conform to Aliyun standards. ${missing} is required.`,
			);
			return result;
		}

		const lookup = (id: string) =>
			Object.hasOwn(this.accessKeys, id)
				? this.accessKeys[id]
				: this.sessions.get(id)?.accessKeySecret;
		const verified: VerifyResult = v3
			? verifyAcs3(
					{
						method: req.method,
						path: req.path,
						query: req.query,
						headers: req.headers,
						body: req.body,
					},
					lookup,
				)
			: verifyRpc(req.method, [...req.query, ...req.form], lookup);
		result.accessKeyId = verified.accessKeyId;
		if (!verified.ok) {
			result.error = new ApiError(verified.status, verified.code, verified.message);
			return result;
		}
		result.signatureValid = true;
		result.error =
			this.checkFreshness(timestamp as string, `${verified.accessKeyId}\n${nonce}`) ??
			this.checkToken(
				verified.accessKeyId,
				result.securityToken,
				v3 ? header(req.headers, 'x-acs-accesskey-id') : undefined,
			);
		return result;
	}

	private checkFreshness(timestamp: string, nonceKey: string): ApiError | undefined {
		const now = this.now();
		const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
		if (Number.isNaN(at)) {
			return new ApiError(
				400,
				'InvalidTimeStamp.Format',
				`Specified time stamp or date value is not well formatted: ${timestamp}. Use UTC yyyy-MM-ddTHH:mm:ssZ.`,
			);
		}
		if (Math.abs(now - at) > MAX_SKEW_MS) {
			return new ApiError(
				400,
				'InvalidTimeStamp.Expired',
				`Specified time stamp or date value is expired: ${timestamp} is more than 15 minutes from the server time.`,
			);
		}
		if (!this.nonces.use(nonceKey, now)) {
			return new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
		}
		return undefined;
	}

	private checkToken(
		accessKeyId: string,
		token: string | undefined,
		declaredKeyId: string | undefined,
	): ApiError | undefined {
		const session = this.sessions.get(accessKeyId);
		const mismatch = () =>
			new ApiError(
				400,
				'InvalidSecurityToken.MismatchWithAccessKey',
				'The Security Token does not match the AccessKey ID.',
			);
		if (!session) return token ? mismatch() : undefined;
		if (!token)
			return new ApiError(
				400,
				'MissingSecurityToken',
				'SecurityToken is mandatory for this AccessKey ID (an STS key).',
			);
		if (
			token !== session.securityToken ||
			(declaredKeyId !== undefined && declaredKeyId !== accessKeyId)
		)
			return mismatch();
		if (this.now() >= session.expiresAt)
			return new ApiError(
				400,
				'InvalidSecurityToken.Expired',
				'Specified SecurityToken is expired.',
			);
		return undefined;
	}
}
