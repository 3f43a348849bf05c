import { InputError } from '../helpers/validation';

export interface EndpointOverride {
	/** Host and optional port, e.g. "ecs-vpc.cn-hangzhou.aliyuncs.com" or "127.0.0.1:8080". */
	host: string;
	protocol: 'HTTP' | 'HTTPS';
}

function isLoopback(hostname: string): boolean {
	const bare = hostname.replace(/^\[|\]$/g, '');
	return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * Parses the credential's optional custom endpoint. Accepts "https://host[:port]"
 * or a bare host; plain "http://" only for loopback hosts (a local test endpoint),
 * so that signed requests and STS tokens never cross a network unencrypted.
 * Returns undefined when the field is empty: the SDK then picks the public
 * endpoint of each item's region.
 */
export function parseEndpoint(value: unknown, field = 'Endpoint'): EndpointOverride | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') {
		throw new InputError(
			field,
			`${field} in the credential must be text such as https://ecs-vpc.cn-hangzhou.aliyuncs.com`,
		);
	}
	const raw = value.trim();
	if (raw === '') return undefined;

	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		throw new InputError(
			field,
			`${field} "${raw}" in the credential is not a valid URL`,
			'Use a form such as https://ecs-vpc.cn-hangzhou.aliyuncs.com',
		);
	}
	const problems: string[] = [];
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		problems.push('it must start with https://');
	if (url.username || url.password) problems.push('it must not contain a user name or password');
	if (url.pathname !== '/' || url.search || url.hash)
		problems.push('it must be a host only, without a path, query or fragment');
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		problems.push(
			'plain http:// is only allowed for a local endpoint (127.0.0.1, ::1, localhost); use https://',
		);
	}
	if (problems.length > 0) {
		throw new InputError(
			field,
			`${field} "${raw}" in the credential is not usable: ${problems.join('; ')}`,
		);
	}
	return { host: url.host, protocol: url.protocol === 'http:' ? 'HTTP' : 'HTTPS' };
}
