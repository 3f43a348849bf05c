// Runs jest with the fake endpoint's test CA trusted. Node reads
// NODE_EXTRA_CA_CERTS only at start-up, and the SDK's STS client (AssumeRole,
// always HTTPS) accepts no CA option, so the variable must be set before jest
// starts: this wrapper does that on every platform.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, NODE_EXTRA_CA_CERTS: join(root, 'test/fake-ecs/tls/ca.pem') },
});
process.exit(result.status ?? 1);
