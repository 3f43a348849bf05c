/**
 * 10,000 input items through the engine against the fake endpoint, with
 * transient faults sprinkled in and some bad or unknown IDs: exactly 10,000
 * outputs, each paired to its input, every valid instance deregistered once.
 */
import type { Fault } from '../fake-ecs';
import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const ITEMS = 10_000;
const region = 'ap-southeast-1';

let requests = 0;
const sprinkled: Fault[] = [
	{ kind: 'error', status: 500, code: 'InternalError.Dispatch' },
	{ kind: 'reset' },
	{ kind: 'html', status: 502 },
	{ kind: 'error', status: 400, code: 'Throttling.User', retryAfterSeconds: 0.05 },
	{ kind: 'dropAfterAction' },
	{ kind: 'empty', status: 200 },
];

const t = useEngine({
	seed: 17,
	maxRecordedRequests: 50,
	// Every 97th request, the next one meets a transient fault.
	onRequest: () => {
		requests++;
		if (requests % 97 === 0) t.fake.inject(sprinkled[(requests / 97) % sprinkled.length]);
	},
});

it(`turns ${ITEMS} input items into exactly ${ITEMS} paired outputs`, async () => {
	const instances = t.fake.state.addInstances(ITEMS, { RegionId: region });
	const input = instances.map((instance, index) => {
		if (index % 1000 === 1) return { region, instanceId: `i-notmanaged${index}` }; // refused before sending
		if (index % 1000 === 2) return { region, instanceId: `mi-unknown${index}` }; // NotFound
		return { region, instanceId: instance.InstanceId };
	});
	input[0] = { ...input[0], maxAttempts: 5, timeout: 2000 } as (typeof input)[number];

	let peakRss = 0;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
	const started = Date.now();
	const result = await t.harness.run(workflowFixture('deregister-fast-timeout'), input);
	clearInterval(sampler);

	const items = result.items('ECS');
	expect(items).toHaveLength(ITEMS);
	expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
		input.map((_, i) => i),
	);
	const failures = items.flatMap((item, i) => (item.json.error ? [[i, item.json.error]] : []));
	expect(failures).toHaveLength(20);
	for (const [i, message] of failures) {
		if ((i as number) % 1000 === 1)
			expect(message).toMatch(/^Item \d+: Instance ID "i-notmanaged\d+" is an ECS instance ID/);
		else
			expect(message).toMatch(
				/^Managed instance mi-unknown\d+ was not found in region ap-southeast-1 \(InvalidInstance\.NotFound/,
			);
	}
	items.forEach((item, i) => {
		if (!item.json.error) expect(item.json.InstanceId).toBe(input[i].instanceId);
	});
	// Every instance that was asked for is gone; the 20 whose items had a bad or unknown ID remain.
	const untouched = instances
		.filter((_, i) => i % 1000 === 1 || i % 1000 === 2)
		.map((i) => i.InstanceId);
	expect(
		t.fake.state
			.listInstances(region)
			.map((i) => i.InstanceId)
			.sort(),
	).toEqual(untouched.sort());
	expect(requests).toBeGreaterThan(ITEMS - 10);

	process.stdout.write(
		`load: ${ITEMS} items in ${Date.now() - started} ms, ${requests} requests, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB\n`,
	);
}, 180_000);
