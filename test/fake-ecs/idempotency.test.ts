/** ClientToken: a repeat within 24 h replays the first result without acting twice. */
import { FakeEcs, SAMPLE_INSTANCE } from './index';
import { $Ecs, ecsClient, rejectionOf, type Ecs } from './test-clients';

let clock = Date.now();
let fake: FakeEcs;
let ecs: Ecs;

beforeAll(async () => {
	fake = await FakeEcs.start({ now: () => clock });
	ecs = ecsClient(fake);
});
afterAll(() => fake.close());
beforeEach(() => {
	clock = Date.now();
	fake.reset();
});

const createActivation = (clientToken?: string, description = 'fleet') =>
	ecs.createActivation(
		new $Ecs.CreateActivationRequest({ regionId: 'cn-hangzhou', description, clientToken }),
	);
const deregister = (clientToken?: string, instanceId: string = SAMPLE_INSTANCE.InstanceId) =>
	ecs.deregisterManagedInstance(
		new $Ecs.DeregisterManagedInstanceRequest({ regionId: 'cn-hangzhou', instanceId, clientToken }),
	);

it('CreateActivation with the same token and parameters returns the first code and creates one', async () => {
	const first = await createActivation('token-1');
	const again = await createActivation('token-1');
	expect(again.body?.activationId).toBe(first.body?.activationId);
	expect(again.body?.activationCode).toBe(first.body?.activationCode);
	expect(again.body?.requestId).not.toBe(first.body?.requestId);
	expect(fake.state.listActivations()).toHaveLength(1);
	expect(fake.requests.map((r) => r.replayed ?? false)).toEqual([false, true]);
});

it('without a token, each call acts', async () => {
	await createActivation();
	await createActivation();
	expect(fake.state.listActivations()).toHaveLength(2);
});

it('the same token with other parameters is 400 IdempotentParameterMismatch and acts not', async () => {
	await createActivation('token-2', 'fleet');
	expect(await rejectionOf(createActivation('token-2', 'other fleet'))).toMatchObject({
		statusCode: 400,
		code: 'IdempotentParameterMismatch',
	});
	expect(fake.state.listActivations()).toHaveLength(1);
});

it('DeregisterManagedInstance repeated with its token answers the instance again instead of 404', async () => {
	const first = await deregister('dereg-1');
	const again = await deregister('dereg-1');
	expect(again.body?.instance?.toMap()).toEqual(first.body?.instance?.toMap());
	expect(await rejectionOf(deregister('dereg-2'))).toMatchObject({
		statusCode: 404,
		code: 'InvalidInstance.NotFound',
	});
});

it('proves a retry after a lost answer is safe: the action ran once, the retry replays it', async () => {
	fake.inject({ kind: 'dropAfterAction', action: 'DeregisterManagedInstance' });
	const lost = await rejectionOf(deregister('lost-answer'));
	expect(lost.message).toMatch(/socket hang up|ECONNRESET/);
	expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeUndefined();
	const retry = await deregister('lost-answer');
	expect(retry.body?.instance?.instanceId).toBe(SAMPLE_INSTANCE.InstanceId);
	expect(fake.requests.map((r) => [r.status, r.fault, r.replayed])).toEqual([
		[0, 'dropAfterAction', undefined],
		[200, undefined, true],
	]);
});

it('does not remember failures: the same token acts once the call can succeed', async () => {
	expect(await rejectionOf(deregister('t-404', 'mi-hz01later00001'))).toMatchObject({
		code: 'InvalidInstance.NotFound',
	});
	fake.state.addInstance({ InstanceId: 'mi-hz01later00001' });
	await expect(deregister('t-404', 'mi-hz01later00001')).resolves.toBeDefined();
	expect(fake.state.getInstance('mi-hz01later00001')).toBeUndefined();
});

it('forgets a token after 24 hours', async () => {
	await createActivation('token-3');
	// Move both clocks a day on: the fake's, and the SDK's (it signs with new Date()).
	clock += 24 * 3_600_000 + 1_000;
	jest.useFakeTimers({
		now: clock,
		doNotFake: [
			'nextTick',
			'setImmediate',
			'clearImmediate',
			'setTimeout',
			'clearTimeout',
			'setInterval',
			'clearInterval',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
	});
	try {
		await createActivation('token-3');
	} finally {
		jest.useRealTimers();
	}
	expect(fake.state.listActivations()).toHaveLength(2);
});
