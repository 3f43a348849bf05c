/**
 * Alibaba Cloud request signatures, implemented independently of the SDK (node:crypto only):
 * V3 `ACS3-HMAC-SHA256` (what the ECS SDK sends) and the RPC V1 `HMAC-SHA1` scheme (what
 * `@alicloud/credentials` uses for STS AssumeRole). Pure functions; no I/O, no clock.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A decoded query or form parameter, in wire order. */
export type Param = [name: string, value: string];
export type SecretLookup = (accessKeyId: string) => string | undefined;

export type VerifyResult =
	| { ok: true; accessKeyId: string; stringToSign: string }
	| {
			ok: false;
			status: number;
			code: string;
			message: string;
			accessKeyId?: string;
			stringToSign?: string;
	  };

/** RFC 3986: everything but `A-Za-z0-9-_.~` is %XX (upper-case hex, UTF-8); space is %20. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

/** Splits `a=1&b=%20x` into decoded pairs. `+` means space, as in form encoding. */
export function parseParams(raw: string): Param[] {
	const pairs: Param[] = [];
	if (!raw) return pairs;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const name = eq < 0 ? part : part.slice(0, eq);
		const value = eq < 0 ? '' : part.slice(eq + 1);
		pairs.push([decodeComponent(name), decodeComponent(value)]);
	}
	return pairs;
}

function decodeComponent(s: string): string {
	const plain = s.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(plain);
	} catch {
		return plain; // malformed %-escape: keep it literal; the signature will not match
	}
}

/** Encoded `k=v` pairs sorted by encoded name (then value), joined with `&`. */
export function canonicalParams(params: Param[]): string {
	return params
		.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
		.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
		.map(([k, v]) => `${k}=${v}`)
		.join('&');
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------- V3: ACS3-HMAC-SHA256

export interface Acs3Request {
	method: string;
	/** The path as sent, before `?` (already percent-encoded on the wire). */
	path: string;
	/** Decoded query parameters. */
	query: Param[];
	/** Lower-cased header names, as node's IncomingMessage gives them. */
	headers: Record<string, string | string[] | undefined>;
	body: Buffer | string;
}

export interface Acs3Authorization {
	algorithm: string;
	accessKeyId: string;
	signedHeaders: string[];
	signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex`; undefined if malformed. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
	const match = /^(\S+)\s+(.*)$/.exec(header.trim());
	if (!match) return undefined;
	const fields = new Map<string, string>();
	for (const part of match[2].split(',')) {
		const eq = part.indexOf('=');
		if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
	}
	const accessKeyId = fields.get('Credential');
	const signedHeaders = fields.get('SignedHeaders');
	const signature = fields.get('Signature');
	if (!accessKeyId || !signedHeaders || !signature) return undefined;
	return { algorithm: match[1], accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

function headerValue(headers: Acs3Request['headers'], name: string): string {
	const v = headers[name];
	if (v === undefined) return '';
	return Array.isArray(v)
		? v
				.map((x) => x.trim())
				.sort()
				.join(',')
		: v.trim();
}

/** `name:trimmed-value\n` for each signed header, lower-cased and sorted. */
export function canonicalHeaders(headers: Acs3Request['headers'], signedHeaders: string[]): string {
	return signedHeaders.map((h) => `${h}:${headerValue(headers, h)}\n`).join('');
}

/** Lower-cased, sorted, de-duplicated header names (what SignedHeaders should hold). */
export function normalizeSignedHeaders(names: string[]): string[] {
	return [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))].sort(compare);
}

export function canonicalRequestAcs3(
	req: Acs3Request,
	signedHeaders: string[],
	payloadHash: string,
): string {
	const names = normalizeSignedHeaders(signedHeaders);
	return [
		req.method.toUpperCase(),
		req.path || '/',
		canonicalParams(req.query),
		canonicalHeaders(req.headers, names),
		names.join(';'),
		payloadHash,
	].join('\n');
}

export function stringToSignAcs3(canonicalRequest: string): string {
	return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function signAcs3(secret: string, stringToSign: string): string {
	return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

const signatureMismatch = (stringToSign: string, accessKeyId?: string): VerifyResult => ({
	ok: false,
	status: 400,
	code: 'SignatureDoesNotMatch',
	// The exact wording the real gateway uses; @alicloud/credentials parses it.
	message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
	accessKeyId,
	stringToSign,
});

const incomplete = (detail: string, accessKeyId?: string): VerifyResult => ({
	ok: false,
	status: 400,
	code: 'IncompleteSignature',
	message: `The request signature does not conform to Aliyun standards. ${detail}`,
	accessKeyId,
});

const keyNotFound = (accessKeyId: string): VerifyResult => ({
	ok: false,
	status: 404,
	code: 'InvalidAccessKeyId.NotFound',
	message: 'Specified access key is not found.',
	accessKeyId,
});

/**
 * Verifies a V3 request: the Authorization header's form, that `host` and every `x-acs-*`
 * header present are signed, that `x-acs-content-sha256` is the body's hash, and the HMAC.
 * Time and nonce checks are the caller's (they need a clock and memory).
 */
export function verifyAcs3(req: Acs3Request, secretLookup: SecretLookup): VerifyResult {
	const header = headerValue(req.headers, 'authorization');
	const auth = parseAcs3Authorization(header);
	if (!auth)
		return incomplete(
			'The Authorization header must be "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".',
		);
	const id = auth.accessKeyId;
	if (auth.algorithm !== ACS3_ALGORITHM)
		return incomplete(`Unsupported signature algorithm ${auth.algorithm}.`, id);

	const signed = new Set(auth.signedHeaders.map((h) => h.trim().toLowerCase()));
	const mustSign = ['host', ...Object.keys(req.headers).filter((h) => h.startsWith('x-acs-'))];
	const unsigned = mustSign.filter((h) => !signed.has(h));
	if (unsigned.length)
		return incomplete(`Header(s) ${unsigned.join(', ')} must be listed in SignedHeaders.`, id);
	const declaredHash = headerValue(req.headers, 'x-acs-content-sha256');
	if (!declaredHash) return incomplete('The x-acs-content-sha256 header is required.', id);

	const secret = secretLookup(id);
	if (secret === undefined) return keyNotFound(id);
	const payloadHash = sha256Hex(req.body);
	const stringToSign = stringToSignAcs3(canonicalRequestAcs3(req, [...signed], payloadHash));
	if (declaredHash.toLowerCase() !== payloadHash) return signatureMismatch(stringToSign, id);
	if (!safeEqual(auth.signature.toLowerCase(), signAcs3(secret, stringToSign)))
		return signatureMismatch(stringToSign, id);
	return { ok: true, accessKeyId: id, stringToSign };
}

// ---------------------------------------------------------------- V1: RPC HMAC-SHA1

/** `METHOD&%2F&` + encode(canonical params without `Signature`). */
export function stringToSignRpc(method: string, params: Param[]): string {
	const signed = params.filter(([k]) => k !== 'Signature');
	return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalParams(signed))}`;
}

export function signRpc(secret: string, stringToSign: string): string {
	return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Verifies a V1 request whose params are the union of the query and the form body. */
export function verifyRpc(
	method: string,
	params: Param[],
	secretLookup: SecretLookup,
): VerifyResult {
	const get = (name: string) => params.find(([k]) => k === name)?.[1];
	const id = get('AccessKeyId');
	const signature = get('Signature');
	if (!id) return incomplete('The AccessKeyId parameter is required.');
	if (!signature) return incomplete('The Signature parameter is required.', id);
	if (get('SignatureMethod') !== 'HMAC-SHA1')
		return incomplete('SignatureMethod must be HMAC-SHA1.', id);
	if (get('SignatureVersion') !== '1.0') return incomplete('SignatureVersion must be 1.0.', id);
	const secret = secretLookup(id);
	if (secret === undefined) return keyNotFound(id);
	const stringToSign = stringToSignRpc(method, params);
	if (!safeEqual(signature, signRpc(secret, stringToSign)))
		return signatureMismatch(stringToSign, id);
	return { ok: true, accessKeyId: id, stringToSign };
}

function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}
