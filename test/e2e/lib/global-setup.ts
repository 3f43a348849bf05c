/**
 * jest globalSetup of the e2e suite: installs every selected n8n line before any test runs (a
 * cold install takes minutes; warm it returns in about a second), so that test timeouts only
 * measure the tests. N8N_E2E_LINES=id,id selects lines; N8N_E2E_NO_INSTALL=1 forbids installs.
 */
import { ensureLine, selectedLineIds } from './lines';

export default async function globalSetup(): Promise<void> {
	for (const id of selectedLineIds()) {
		const started = Date.now();
		const line = ensureLine(id);
		process.stderr.write(
			`[e2e] ${id}: n8n ${line.n8n} on node ${line.nodeVersion} (${((Date.now() - started) / 1000).toFixed(1)} s) ${line.dir}\n`,
		);
	}
}
