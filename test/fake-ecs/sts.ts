/** Temporary credentials issued by the fake STS AssumeRole, looked up when ECS requests arrive. */
import { randomBytes } from 'node:crypto';

export interface RoleConfig {
	/** If set, AssumeRole must carry exactly this ExternalId (the role's trust policy condition). */
	externalId?: string;
	/** Upper bound for DurationSeconds (STS default 3600). */
	maxSessionDuration?: number;
}

export interface StsSession {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	/** Epoch ms. */
	expiresAt: number;
	roleArn: string;
	roleSessionName: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
	const bytes = randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
	return out;
}

export class StsSessions {
	private readonly byKey = new Map<string, StsSession>();

	issue(roleArn: string, roleSessionName: string, expiresAt: number): StsSession {
		const session: StsSession = {
			accessKeyId: `STS.${randomAlnum(25)}`,
			accessKeySecret: randomAlnum(44),
			securityToken: `CAIS${randomBytes(240).toString('base64')}`,
			expiresAt,
			roleArn,
			roleSessionName,
		};
		this.byKey.set(session.accessKeyId, session);
		return session;
	}

	get(accessKeyId: string): StsSession | undefined {
		return this.byKey.get(accessKeyId);
	}

	/** Ends every session issued so far at `at` (epoch ms): ECS then answers InvalidSecurityToken.Expired. */
	expireAll(at: number): void {
		for (const session of this.byKey.values()) session.expiresAt = Math.min(session.expiresAt, at);
	}

	list(): StsSession[] {
		return [...this.byKey.values()];
	}

	clear(): void {
		this.byKey.clear();
	}
}
