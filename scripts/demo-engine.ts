/**
 * The main job, in-process: starts the bundled fake ECS endpoint, runs the
 * example "deregister" workflow through n8n's real engine with this package
 * loaded from dist/ (run `npm run build` first), and prints the output items.
 *
 *   npm run demo:engine
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function main(): Promise<void> {
	// n8n-core reads these when first loaded: keep its files out of the home folder.
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-alibaba-ecs-demo-'));
	process.env.N8N_ENCRYPTION_KEY ??= 'demo-encryption-key';
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_LOG_LEVEL ??= 'silent';

	const { FakeEcs, SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } = await import(
		'../test/fake-ecs'
	);
	const { EngineHarness } = await import('../test/engine/harness');
	const { workflowFixture, FIXTURE_CREDENTIAL_ID } = await import('../test/engine/fixtures');

	const fake = await FakeEcs.start();
	fake.state.addInstance({
		InstanceId: 'mi-bj0demo00001',
		RegionId: 'cn-beijing',
		InstanceName: 'build-agent-07',
	});
	try {
		const harness = await EngineHarness.create();
		harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: fake.url,
		});
		const input = [
			{ region: 'cn-hangzhou', instanceId: SAMPLE_INSTANCE.InstanceId },
			{ region: 'cn-beijing', instanceId: 'mi-bj0demo00001' },
			{ region: 'cn-beijing', instanceId: 'mi-bj0demo00001' },
		];
		process.stderr.write(
			`Fake ECS endpoint on ${fake.url}; deregistering ${input.length} items (the last one is already gone):\n`,
		);
		const result = await harness.run(workflowFixture('deregister-continue-regular'), input);
		process.stdout.write(`${JSON.stringify(result.json('Deregister'), null, 2)}\n`);
		const unsigned = fake.requests.filter((r) => !r.signatureValid).length;
		process.stderr.write(
			`${fake.requests.length} requests reached the fake endpoint; ${unsigned} had an invalid signature. Run status: ${result.run.status}\n`,
		);
		if (result.run.status !== 'success' || unsigned > 0) process.exitCode = 1;
	} finally {
		await fake.close();
		const { Container } = await import('@n8n/di');
		const { SSHClientsManager } = await import(
			'n8n-core/dist/execution-engine/ssh-clients-manager'
		);
		if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
