/**
 * The engine the benchmarks run workflows in: the test harness's
 * (test/engine/harness.ts: n8n-core's WorkflowExecute, the package loaded from
 * dist/ by PackageDirectoryLoader, credentials stored encrypted and decrypted
 * per execution), keeping neither log lines nor run results. Import ./n8n-env
 * before this module.
 */
import type { INodeType } from 'n8n-workflow';

import { EngineHarness, type RunResult } from '../../test/engine/harness';
import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../../test/fake-ecs';
import { CREDENTIAL_ID } from './workflows';

export { VARIANT_PREFIX, type WorkflowJson } from '../../test/engine/harness';

export interface BenchEngineOptions {
	/** The fake endpoint the workflows' credential (CREDENTIAL_ID, the test AccessKey) points at. */
	fakeUrl?: string;
	/** More node types, by full name (the minimal node). */
	extra?: Record<string, INodeType>;
	/** A variant copy of the package, registered as `${VARIANT_PREFIX}.<name>`. */
	variantRoot?: string;
}

export async function benchEngine(options: BenchEngineOptions = {}): Promise<EngineHarness> {
	const engine = await EngineHarness.create({
		extraNodeTypes: options.extra,
		variantRoot: options.variantRoot,
		record: false,
	});
	if (options.fakeUrl) {
		engine.storeCredential(CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: options.fakeUrl,
		});
	}
	return engine;
}

/** Throws unless the run succeeded with `expected` items out of `nodeName`, none an error. */
export function expectItems(result: RunResult, nodeName: string, expected: number): void {
	const { run } = result;
	if (run.status !== 'success') {
		throw new Error(
			`Run ${run.status}: ${run.data.resultData.error?.message ?? 'no error message'}`,
		);
	}
	const items = result.items(nodeName);
	const failed = items.filter((item) => item.error || item.json.error !== undefined).length;
	if (items.length !== expected || failed > 0) {
		throw new Error(`${nodeName}: ${items.length} items (${failed} failed), expected ${expected}`);
	}
}
