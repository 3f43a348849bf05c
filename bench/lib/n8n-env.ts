/**
 * Import this first, before anything that loads n8n-core: n8n-core's
 * InstanceSettings reads these when first loaded and would otherwise write into
 * the home folder (the same settings as test/setup/env.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-alibaba-ecs-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'bench-encryption-key';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));

/**
 * Stops n8n-core's SSHClientsManager, whose 60 s timer (started by every node
 * execution) would keep the process alive (see test/setup/after-env.ts).
 */
export async function shutdownN8n(): Promise<void> {
	const { Container } = await import('@n8n/di');
	const { SSHClientsManager } = await import('n8n-core/dist/execution-engine/ssh-clients-manager');
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
}
