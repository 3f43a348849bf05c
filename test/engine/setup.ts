/** Shared test setup: one fake ECS endpoint and one engine harness per test file. */
import {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	type FakeEcsOptions,
} from '../fake-ecs';
import { FIXTURE_CREDENTIAL_ID } from './fixtures';
import { EngineHarness, type HarnessOptions, type RunResult } from './harness';

export interface EngineTestContext {
	fake: FakeEcs;
	harness: EngineHarness;
}

/**
 * Starts the fake and the harness before the file's tests and closes the fake
 * after them; before each test the fake is reset and the fixture credential
 * points at it. Every request must have carried a valid signature, unless a
 * test says otherwise by clearing fake.requests.
 */
export function useEngine(
	options: FakeEcsOptions = {},
	harnessOptions: HarnessOptions = {},
): EngineTestContext {
	const context = {} as EngineTestContext;
	beforeAll(async () => {
		context.fake = await FakeEcs.start(options);
		context.harness = await EngineHarness.create(harnessOptions);
	});
	afterAll(async () => {
		await context.fake.close();
	});
	beforeEach(() => {
		context.fake.reset();
		context.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: context.fake.url,
		});
	});
	afterEach(() => {
		expect(context.fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
		expectNoSecretIn(context);
	});
	return context;
}

/**
 * Secret hygiene, after every engine test: no AccessKey secret, STS token or
 * secret, or activation code appears in any output item, error, description or
 * log line of the test's runs, except a new ActivationCode in the output of
 * Create, where it belongs.
 */
function expectNoSecretIn({ fake, harness }: EngineTestContext): void {
	const runs = harness.takeRuns();
	const secrets = new Set<string>([TEST_ACCESS_KEY_SECRET, ...harness.credentialsHelper.secrets]);
	for (const session of fake.sts.list()) {
		secrets.add(session.accessKeySecret);
		secrets.add(session.securityToken);
	}
	for (const activation of fake.state.listActivations()) secrets.add(activation.ActivationCode);
	for (const run of runs) {
		for (const item of Object.values(run.run.data.resultData.runData).flat()) {
			for (const output of item.data?.main?.flat() ?? []) {
				const code = output?.json.ActivationCode;
				if (typeof code === 'string') secrets.add(code);
			}
		}
	}
	for (const run of runs) {
		const text = run.everything(['ActivationCode']);
		const leaked = [...secrets].filter((secret) => text.includes(secret));
		expect(leaked).toEqual([]);
	}
	for (const text of harness.takePollOutputs()) {
		expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
	}
	expectNoCommandSecretIn(fake, runs);
}

/** Tokens a test plants in command content or output to check that they stay where they belong. */
export const COMMAND_SECRET = /\bSECRET_[A-Za-z0-9]{8,}\b/g;

/**
 * Command content and output can hold secrets: they belong in output items (Output) and in the
 * node's own parameters and input, never in a log line or an error's message or description.
 * The first line of an output may appear in an error message, so tests plant their
 * SECRET_… tokens further down.
 */
function expectNoCommandSecretIn(fake: FakeEcs, runs: RunResult[]): void {
	const planted = new Set(
		fake.assistant.texts().flatMap((text) => text.match(COMMAND_SECRET) ?? []),
	);
	if (planted.size === 0) return;
	for (const run of runs) {
		const text = run.everything(['ActivationCode', 'Output', 'parameters', 'script', 'content']);
		expect([...planted].filter((secret) => text.includes(secret))).toEqual([]);
	}
}
