import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { type EcsTransport, transportFor } from './client';
import { type AccessKeyCredentials, CREDENTIAL_TYPE, readCredentials } from './credentials';

export { CREDENTIAL_TYPE };
export type { AccessKeyCredentials };

/** Region used when neither the item nor the credential names one, for region-less reads. */
export const FALLBACK_REGION = 'cn-hangzhou';

interface HasCredentials {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/** The node's credential, checked, and the (shared) transport for it. Throws InputError for bad fields. */
export async function connect(
	context: HasCredentials,
): Promise<{ credentials: AccessKeyCredentials; transport: EcsTransport }> {
	const credentials = readCredentials(await context.getCredentials(CREDENTIAL_TYPE));
	return { credentials, transport: transportFor(credentials) };
}
