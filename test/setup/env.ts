// Runs before anything touches n8n's DI container: n8n-core's InstanceSettings
// would otherwise create ~/.n8n in the home folder of whoever runs the tests.
// The folder lives in this run's folder (run-folder.ts), which globalTeardown removes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RUN_FOLDER_VARIABLE } from './run-folder';

process.env.N8N_USER_FOLDER = mkdtempSync(
	join(process.env[RUN_FOLDER_VARIABLE] ?? tmpdir(), 'n8n-alibaba-ecs-test-'),
);
process.env.N8N_ENCRYPTION_KEY = 'test-encryption-key-for-jest-only';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

// Tests talk to loopback only: a proxy configured on the machine (or by npm, which exports
// npm_config_*proxy to scripts) must not capture them. Proxy tests set their own.
for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY']) {
	for (const variant of [name, name.toLowerCase(), `npm_config_${name.toLowerCase()}`]) {
		delete process.env[variant];
	}
}
delete process.env.npm_config_proxy;
