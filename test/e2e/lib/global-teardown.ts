/**
 * jest globalTeardown of the e2e suite: stops what a test process registered with the process
 * guard (lib/process-guard.ts) and left running, e.g. after a test failed inside its afterAll,
 * and removes the folders it registered. Normally there is nothing to do.
 */
import { reapLeftovers } from './process-guard';

export default function globalTeardown(): void {
	for (const left of reapLeftovers()) {
		process.stderr.write(
			`[e2e] globalTeardown: test process ${left.pid} left ${left.groups.length} process group(s) (${left.groups.join(', ')}) and ${left.folders.length} folder(s); stopped and removed\n`,
		);
	}
}
