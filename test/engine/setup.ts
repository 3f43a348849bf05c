/** Shared test setup: one fake ECS endpoint and one engine harness per test file. */
import {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	type FakeEcsOptions,
} from '../fake-ecs';
import { FIXTURE_CREDENTIAL_ID } from './fixtures';
import { EngineHarness } from './harness';

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
export function useEngine(options: FakeEcsOptions = {}): EngineTestContext {
	const context = {} as EngineTestContext;
	beforeAll(async () => {
		context.fake = await FakeEcs.start(options);
		context.harness = await EngineHarness.create();
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
	});
	return context;
}
