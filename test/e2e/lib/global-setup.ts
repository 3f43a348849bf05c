/**
 * jest globalSetup of the e2e suite: installs every selected n8n line before any test runs (a
 * cold install takes minutes; warm it returns in about a second), so that test timeouts only
 * measure the tests. N8N_E2E_LINES=id,id selects lines; N8N_E2E_NO_INSTALL=1 forbids installs.
 */
import * as path from 'path';

import { REPO_ROOT, ensureLine, selectedLineIds } from './lines';

const FAKE_ECS_CA = path.join(REPO_ROOT, 'test', 'fake-ecs', 'tls', 'ca.pem');

export default async function globalSetup(): Promise<void> {
	// scripts/jest.mjs (the unit/engine runner) sets NODE_EXTRA_CA_CERTS to the fake endpoint's
	// test CA, which REPLACES the machine's own extra CA: npm (installing n8n and the package)
	// then fails TLS to the registry behind a TLS-inspecting proxy, retrying for minutes. The
	// e2e tests need no such CA (their fake endpoint speaks plain http on 127.0.0.1).
	const extraCa = process.env.NODE_EXTRA_CA_CERTS;
	if (extraCa && path.resolve(extraCa) === FAKE_ECS_CA) {
		throw new Error(
			'Run the e2e tests with `npx jest -c test/e2e/jest.config.js` (or npm run test:e2e), not through scripts/jest.mjs: ' +
				'it replaces NODE_EXTRA_CA_CERTS with the fake endpoint’s test CA, and npm then cannot verify the registry.',
		);
	}
	for (const id of selectedLineIds()) {
		const started = Date.now();
		const line = ensureLine(id);
		process.stderr.write(
			`[e2e] ${id}: n8n ${line.n8n} on node ${line.nodeVersion} (${((Date.now() - started) / 1000).toFixed(1)} s) ${line.dir}\n`,
		);
	}
}
