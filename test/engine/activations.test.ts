/**
 * The activation-code lifecycle: Create, Get Many, Disable, Delete, through
 * n8n's real engine against the fake endpoint's in-memory account.
 */
import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 11 });
const hz = 'cn-hangzhou';

describe('Create', () => {
	it('outputs the ActivationId and the one-time ActivationCode, and the code really exists', async () => {
		const result = await t.harness.run(workflowFixture('activation-create'), [
			{
				region: hz,
				instanceCount: 3,
				ttl: 2,
				instanceName: 'web-dc2',
				description: 'Web servers in DC 2',
				ipAddressRange: '192.168.0.0/16',
			},
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.json('ECS');
		expect(item).toEqual({
			ActivationId: expect.any(String),
			ActivationCode: expect.any(String),
			RegionId: hz,
			RequestId: expect.any(String),
		});
		const stored = t.fake.state.getActivation(item.ActivationId as string, hz);
		expect(stored).toMatchObject({
			ActivationCode: item.ActivationCode,
			InstanceCount: 3,
			TimeToLiveInHours: 2,
			InstanceName: 'web-dc2',
			Description: 'Web servers in DC 2',
			IpAddressRange: '192.168.0.0/16',
		});
		expect(t.fake.requests[0].params.ClientToken).toMatch(/^[0-9a-f]{48}$/);
		// The code is a secret: it is in the output item, and nowhere in n8n's logs.
		expect(t.harness.logger.lines.join('\n')).not.toContain(item.ActivationCode as string);
	});

	it('creates one code per input item, even for identical items', async () => {
		const result = await t.harness.run(workflowFixture('activation-create'), [
			{ region: hz },
			{ region: hz },
		]);
		const ids = result.json('ECS').map((item) => item.ActivationId);
		expect(new Set(ids).size).toBe(2);
		expect(t.fake.state.listActivations(hz)).toHaveLength(2);
	});

	it.each([
		[
			{ instanceCount: 0 },
			/^Item 0: Instance Count must be a whole number from 1 to 1000, but got number 0$/,
		],
		[{ instanceCount: 1001 }, /^Item 0: Instance Count must be a whole number from 1 to 1000/],
		[{ instanceCount: 2.5 }, /^Item 0: Instance Count must be a whole number/],
		[{ ttl: 0 }, /^Item 0: Time to Live \(Hours\) must be a whole number from 1/],
		[{ instanceName: '1web' }, /^Item 0: Instance Name "1web" must start with a letter$/],
		[{ instanceName: 'w' }, /^Item 0: Instance Name must be 2 to 50 characters long/],
		[
			{ description: 'd'.repeat(101) },
			/^Item 0: Description must be 1 to 100 characters long, but has 101$/,
		],
		[
			{ ipAddressRange: '192.168.0.0/33' },
			/^Item 0: IP Address Range "192\.168\.0\.0\/33" is not an IP address or CIDR block$/,
		],
		[
			{ ipAddressRange: 'example.com' },
			/^Item 0: IP Address Range "example\.com" is not an IP address/,
		],
	])('refuses %j before any request', async (extra, message) => {
		const result = await t.harness.run(workflowFixture('activation-create'), [
			{ region: hz, ...extra },
		]);
		expect(result.error?.message).toMatch(message);
		expect(t.fake.requests).toEqual([]);
	});

	it('accepts IPv6 ranges', async () => {
		const result = await t.harness.run(workflowFixture('activation-create'), [
			{ region: hz, ipAddressRange: '2001:db8::/32' },
		]);
		expect(result.error).toBeUndefined();
	});
});

describe('Get Many', () => {
	it('lists codes with numbers and booleans typed, and never the code itself', async () => {
		t.fake.state.addActivation({ RegionId: hz, InstanceName: 'alpha', InstanceCount: 5 });
		const result = await t.harness.run(workflowFixture('activation-get-many'), [{ region: hz }]);
		const [item] = result.json('ECS');
		expect(item).toMatchObject({
			InstanceName: 'alpha',
			InstanceCount: 5,
			RegisteredCount: 0,
			DeregisteredCount: 0,
			Disabled: false,
			TimeToLiveInHours: expect.any(Number),
		});
		expect(item.ActivationCode).toBeUndefined();
		expect(item.RegionId).toBe(hz);
	});

	it('pages through more than 50 codes', async () => {
		for (let i = 0; i < 75; i++)
			t.fake.state.addActivation({ RegionId: 'cn-beijing', InstanceName: `batch-${i}` });
		const result = await t.harness.run(workflowFixture('activation-get-many'), [
			{ region: 'cn-beijing' },
		]);
		const ids = result.json('ECS').map((i) => i.ActivationId);
		expect(new Set(ids).size).toBe(75);
		expect(t.fake.requests).toHaveLength(2);
	});
});

describe('Disable and Delete', () => {
	it('disables a code: it stays listed as Disabled', async () => {
		const activation = t.fake.state.addActivation({ RegionId: hz });
		const result = await t.harness.run(workflowFixture('activation-disable'), [
			{ region: hz, activationId: activation.ActivationId },
		]);
		expect(result.json('ECS')[0]).toMatchObject({
			ActivationId: activation.ActivationId,
			Disabled: true,
			RegionId: hz,
			RequestId: expect.any(String),
		});
		expect(t.fake.state.getActivation(activation.ActivationId, hz)?.Disabled).toBe(true);
	});

	it('deletes an unused code, and explains why a used one cannot be deleted', async () => {
		const unused = t.fake.state.addActivation({ RegionId: hz });
		const used = t.fake.state.addActivation({ RegionId: hz });
		t.fake.state.addInstance({ RegionId: hz, ActivationId: used.ActivationId });

		const result = await t.harness.run(workflowFixture('activation-delete'), [
			{ region: hz, activationId: unused.ActivationId },
			{ region: hz, activationId: used.ActivationId },
		]);
		const [deleted, refused] = result.items('ECS');
		expect(deleted.json).toMatchObject({ ActivationId: unused.ActivationId, RegionId: hz });
		expect(Object.keys(deleted.json)[0]).toBe('ActivationId');
		expect(Object.keys(deleted.json).at(-1)).toBe('RequestId');
		expect(t.fake.state.getActivation(unused.ActivationId, hz)).toBeUndefined();
		expect(refused.json.error).toMatch(
			new RegExp(
				`^Activation ${used.ActivationId} cannot be deleted: servers have been registered with it \\(ActivationId\\.InUse, request `,
			),
		);
		expect(refused.error?.description).toMatch(/Disable it instead/);
		expect(t.fake.state.getActivation(used.ActivationId, hz)).toBeDefined();
	});

	it('reports an unknown activation code as not found in the region', async () => {
		const result = await t.harness.run(workflowFixture('activation-disable'), [
			{ region: hz, activationId: '4ECEEE12-56F1-4FBC-9AB1-000000000000' },
		]);
		expect(result.error?.message).toMatch(
			/^Activation 4ECEEE12-56F1-4FBC-9AB1-000000000000 was not found in region cn-hangzhou \(ActivationId\.NotFound, /,
		);
	});

	it('refuses an instance ID given as activation ID', async () => {
		const result = await t.harness.run(workflowFixture('activation-disable'), [
			{ region: hz, activationId: 'mi-hz01axdfas0001' },
		]);
		expect(result.error?.message).toBe(
			'Item 0: Activation ID "mi-hz01axdfas0001" is a managed instance ID, not an activation ID',
		);
		expect(t.fake.requests).toEqual([]);
	});
});
