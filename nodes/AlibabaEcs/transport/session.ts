import { currentHttpScope } from './http';

/** What STS AssumeRole returns (`@alicloud/credentials` Session): temporary keys and their end. */
export interface AssumedSession {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	/** ISO 8601 UTC, e.g. "2026-01-01T12:00:00Z" (AssumeRole's Credentials.Expiration). */
	expiration: string;
}

/** The credentials the SDK signs with (`@alicloud/credentials` Credentials). */
export interface SigningCredentials {
	readonly accessKeyId: string;
	readonly accessKeySecret: string;
	readonly securityToken: string;
	readonly providerName: string;
}

interface Current {
	credentials: SigningCredentials;
	/** Epoch ms after which the session is renewed before use. */
	renewAt: number;
}

/** A session is renewed this long before it expires, or after half its life if that is sooner. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The assumed-role session of one credential, shared by all its requests: a
 * `@alicloud/credentials` CredentialsProvider (getCredentials, getProviderName) handed to the
 * SDK as `new Credential(null, provider)`.
 *
 * AssumeRole is called when no usable session is held, once however many requests ask at
 * the same time (they all wait for that one call), and again before the session expires
 * (5 minutes before, or after half its life for short sessions). The SDK's own provider
 * does neither: concurrent requests each call AssumeRole when the session is stale, and it
 * treats any session within 15 minutes of expiry as stale, so a 900-second session (the
 * shortest STS issues) was assumed anew for every request.
 *
 * A session ECS rejects (revoked, expired early by clock skew) is dropped with `reject`,
 * naming the credentials that were rejected, so that many rejections of the same session
 * cause one renewal, not one each.
 */
export class AssumedRoleProvider {
	private current: Current | undefined;

	private renewal: Promise<Current> | undefined;

	constructor(
		/** Calls STS AssumeRole once. */
		private readonly assumeRole: () => Promise<AssumedSession>,
		private readonly providerName: string,
		private readonly now: () => number = Date.now,
	) {}

	getProviderName(): string {
		return this.providerName;
	}

	/** Valid credentials, assuming the role first if needed; notes them in the HTTP scope. */
	async getCredentials(): Promise<SigningCredentials> {
		let current = this.current;
		if (!current || this.now() >= current.renewAt) current = await this.renew();
		const scope = currentHttpScope();
		if (scope) scope.session = current.credentials;
		return current.credentials;
	}

	/** Drops the session if `credentials` (the ones a rejected request used) are still current. */
	reject(credentials: object | undefined): void {
		if (credentials !== undefined && this.current?.credentials === credentials) {
			this.current = undefined;
		}
	}

	private renew(): Promise<Current> {
		this.renewal ??= (async () => {
			try {
				const session = await this.assumeRole();
				const issuedAt = this.now();
				const expiresAt = Date.parse(session.expiration);
				const life = Number.isFinite(expiresAt) ? Math.max(0, expiresAt - issuedAt) : 0;
				const current: Current = {
					credentials: {
						accessKeyId: session.accessKeyId,
						accessKeySecret: session.accessKeySecret,
						securityToken: session.securityToken,
						providerName: this.providerName,
					},
					renewAt: issuedAt + life - Math.min(RENEW_BEFORE_EXPIRY_MS, life / 2),
				};
				this.current = current;
				return current;
			} finally {
				this.renewal = undefined;
			}
		})();
		return this.renewal;
	}
}
