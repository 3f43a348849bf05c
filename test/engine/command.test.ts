/**
 * Command (Cloud Assistant) in n8n's real engine against the fake endpoint, whose agents play
 * each run back on their own clock (test/fake-ecs/cloud-assistant.ts): Run with and without
 * waiting, per-instance items and errors, Get Results, Stop, Send File from binary data, and
 * what retries and lost answers do. Timings are real: the node's first checks come 1 and 2 s
 * after a run starts.
 */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import { workflowFixture } from './fixtures';
import type { RunResult } from './harness';
import { useEngine } from './setup';

const t = useEngine({ seedSample: false });
const REGION = 'cn-hangzhou';

/** Adds connected Linux instances (and files on them), returning their IDs. */
function addInstances(
	specs: Array<{
		connected?: boolean;
		files?: Record<string, string>;
		tags?: Record<string, string>;
	}>,
): string[] {
	return specs.map((spec, index) => {
		const instance = t.fake.state.addInstance({
			RegionId: REGION,
			InstanceName: `web-${index + 1}`,
			OsType: 'linux',
			Connected: spec.connected ?? true,
			Tags: spec.tags,
		});
		for (const [path, content] of Object.entries(spec.files ?? {})) {
			t.fake.assistant.filesOf(instance.InstanceId).set(path, {
				content: Buffer.from(content),
				owner: 'root',
				group: 'root',
				mode: '0644',
			});
		}
		return instance.InstanceId;
	});
}

const actions = () => t.fake.requests.map((r) => r.action);
const count = (action: string) => actions().filter((a) => a === action).length;

/**
 * RunCommand went out twice with one ClientToken, the second answered from the fake's memory:
 * one run, whose output the node shows.
 */
function expectOneRunSentTwice(result: RunResult): void {
	expect(result.error).toBeUndefined();
	expect(result.json('Run')).toEqual([
		expect.objectContaining({ InvocationStatus: 'Success', Output: 'once\n' }),
	]);
	const runs = t.fake.requests.filter((r) => r.action === 'RunCommand');
	expect(runs).toHaveLength(2);
	expect(runs[1].replayed).toBe(true);
	expect(runs[1].params.ClientToken).toBe(runs[0].params.ClientToken);
	expect(t.fake.assistant.list(REGION, 'command')).toHaveLength(1);
}

/** A drain-like script: its second line fails where /etc/app/ready is missing. */
const READY_SCRIPT = 'echo checking\ncat /etc/app/ready\necho SECRET_token0123456789 done';

describe('Command: Run', () => {
	it('outputs one item per instance, paired, in the given order: success, exit 1, and an offline agent', async () => {
		const [ok, broken, offline] = addInstances([
			{ files: { '/etc/app/ready': 'ready\n' } },
			{},
			{ connected: false },
		]);
		// The offline agent's command is undeliverable after 60 s on the agents' clock: 2 s here.
		t.fake.assistant.speed = 30;

		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: READY_SCRIPT, instanceIds: `${offline}, ${ok},${broken}` },
		]);

		expect(result.error).toBeUndefined();
		const items = result.items('Run');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				InstanceId: offline,
				InvocationStatus: 'Aborted',
				ExitCode: null,
				Output: '',
				ErrorCode: 'DeliveryTimeout',
				ErrorInfo: 'the command delivery has been timeout',
			}),
			expect.objectContaining({
				InstanceId: ok,
				InvocationStatus: 'Success',
				ExitCode: 0,
				Output: 'checking\nready\nSECRET_token0123456789 done\n',
				Dropped: 0,
				ErrorCode: null,
			}),
			expect.objectContaining({
				InstanceId: broken,
				InvocationStatus: 'Failed',
				ExitCode: 1,
				Output: 'checking\ncat: /etc/app/ready: No such file or directory\n',
				ErrorCode: 'ExitCodeNonzero',
			}),
		]);
		const invokeIds = new Set(items.map((i) => i.json.InvokeId));
		expect(invokeIds.size).toBe(1);
		expect([...invokeIds][0]).toMatch(/^t-hz[0-9a-f]{16}$/);
		expect(items[1].json.StartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

		const [run] = t.fake.requests.filter((r) => r.action === 'RunCommand');
		expect(run.params).toMatchObject({
			RegionId: REGION,
			Type: 'RunShellScript',
			ContentEncoding: 'Base64',
			CommandContent: Buffer.from(READY_SCRIPT).toString('base64'),
			'InstanceId.1': offline,
			'InstanceId.2': ok,
			'InstanceId.3': broken,
			Timeout: '60',
		});
		expect(run.params.ClientToken).toMatch(/^[0-9a-f]{48}$/);
		// One request per check however many instances, then one page of results.
		expect(count('RunCommand')).toBe(1);
		expect(count('DescribeInvocationResults')).toBe(1);
		expect(
			actions().every((a) =>
				['RunCommand', 'DescribeInvocations', 'DescribeInvocationResults'].includes(a),
			),
		).toBe(true);
	});

	it('Fail on Non-Zero Exit Code: failed instances become error items on the error output, the others stay', async () => {
		const [ok, broken, offline] = addInstances([
			{ files: { '/etc/app/ready': 'ready\n' } },
			{},
			{ connected: false },
		]);
		t.fake.assistant.speed = 30;

		const result = await t.harness.run(workflowFixture('command-run-error-output'), [
			{ script: READY_SCRIPT, instanceIds: [ok, broken, offline], failOnNonZero: true },
		]);

		expect(result.error).toBeUndefined();
		expect(result.json('Run', 0)).toEqual([
			expect.objectContaining({ InstanceId: ok, InvocationStatus: 'Success' }),
		]);
		const failed = result.items('Run', 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		// n8n keeps only `error` of an error item (and, after a real trigger, adds the input's fields).
		expect(failed.map((i) => i.json)).toEqual([
			{
				error: `Managed instance ${broken}: the command failed with exit code 1 (Failed, ExitCodeNonzero). Output begins: "checking"`,
			},
			{
				error: `Managed instance ${offline}: the command could not be delivered (Aborted, DeliveryTimeout).`,
			},
		]);
		expect(failed[0].error?.description).toContain('the command execution exit code is not zero');
		expect(failed[0].error?.context).toMatchObject({
			InstanceId: broken,
			ExitCode: 1,
			ErrorCode: 'ExitCodeNonzero',
		});
	});

	it('Fail on Non-Zero Exit Code without continue-on-fail stops the node, naming the first failed instance', async () => {
		const [ok, broken] = addInstances([{ files: { '/etc/app/ready': 'ready\n' } }, {}]);

		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: READY_SCRIPT, instanceIds: [ok, broken], failOnNonZero: true },
		]);

		expect(result.error?.message).toBe(
			`Managed instance ${broken}: the command failed with exit code 1 (Failed, ExitCodeNonzero). Output begins: "checking"`,
		);
		expect(result.items('Run')).toEqual([]);
	});

	it('an error shows only the first line of the output: the rest can hold secrets (see setup.ts)', async () => {
		const [id] = addInstances([{}]);
		const script = 'echo exporting credentials\necho password=SECRET_hunter2hunter2\nexit 3';
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script, instanceIds: id, failOnNonZero: true },
		]);
		expect(result.error?.message).toBe(
			`Managed instance ${id}: the command failed with exit code 3 (Failed, ExitCodeNonzero). Output begins: "exporting credentials"`,
		);
		// The scan after each test searches logs and errors for the SECRET_ token; here it is in
		// the fake's output, so a message or log line that showed more would fail this test.
		expect(t.fake.assistant.texts().join('\n')).toContain('SECRET_hunter2hunter2');
	});

	it('a run that outlives Max Wait is output with its current state, after a bounded number of checks', async () => {
		const [id] = addInstances([{}]);

		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo started\nsleep 3600', instanceIds: id, maxWait: 3, timeout: 7200 },
		]);

		expect(result.error).toBeUndefined();
		expect(result.json('Run')).toEqual([
			expect.objectContaining({
				InstanceId: id,
				InvocationStatus: 'Running',
				ExitCode: null,
				Output: 'started\n',
				FinishedTime: null,
			}),
		]);
		// Checks at 1, 2 and 3 s (the end of the wait): pollsWithin(3000).
		expect(count('DescribeInvocations')).toBe(3);
		expect(count('DescribeInvocationResults')).toBe(1);
	});

	it('with Fail on Non-Zero Exit Code, an instance still running when Max Wait ends is an error', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(workflowFixture('command-run-error-output'), [
			{ script: 'sleep 3600', instanceIds: id, maxWait: 1, timeout: 7200, failOnNonZero: true },
		]);
		expect(result.json('Run', 1)).toEqual([
			expect.objectContaining({
				error: `Managed instance ${id}: the command was still Running when Max Wait (1 s) ended`,
			}),
		]);
	});

	it('without waiting, outputs one item with the Invoke ID and the instances', async () => {
		const ids = addInstances([{}, {}]);
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo hi', instanceIds: ids.join(','), wait: false },
		]);
		expect(result.json('Run')).toEqual([
			{
				InvokeId: expect.stringMatching(/^t-/),
				CommandId: expect.stringMatching(/^c-/),
				RegionId: 'cn-hangzhou',
				InstanceIds: ids,
				RequestId: expect.any(String),
			},
		]);
		expect(actions()).toEqual(['RunCommand']);
	});

	it('reports instances that are not registered in the region per instance and runs on the others', async () => {
		const [ok] = addInstances([{}]);
		const gone = 'mi-hz0gone0000001';

		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo hi', instanceIds: [gone, ok] },
		]);

		expect(result.error).toBeUndefined();
		expect(result.json('Run')).toEqual([
			expect.objectContaining({
				InstanceId: gone,
				InvocationStatus: 'Aborted',
				ErrorCode: 'InstanceNotExists',
				ErrorInfo: expect.stringContaining(
					`not sent: ${gone} is not a managed instance of region cn-hangzhou`,
				),
			}),
			expect.objectContaining({ InstanceId: ok, InvocationStatus: 'Success', Output: 'hi\n' }),
		]);
		const runs = t.fake.requests.filter((r) => r.action === 'RunCommand');
		expect(runs.map((r) => r.status)).toEqual([404, 200]);
		expect(runs[1].params['InstanceId.1']).toBe(ok);
		expect(runs[1].params['InstanceId.2']).toBeUndefined();
		expect(count('DescribeManagedInstances')).toBe(1);
	});

	it('a lost answer to RunCommand is retried with the same ClientToken: one run', async () => {
		const [id] = addInstances([{}]);
		t.fake.inject({ kind: 'dropAfterAction', action: 'RunCommand' });

		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo once', instanceIds: id },
		]);

		expectOneRunSentTwice(result);
	});

	it("n8n's Retry On Fail after the run started does not start it again: one run, its first Invoke ID", async () => {
		const [id] = addInstances([{}]);
		// The first check fails for good (not retried by the node), so n8n runs the node again.
		t.fake.inject({
			kind: 'error',
			status: 400,
			code: 'InvalidParam.Whatever',
			action: 'DescribeInvocations',
		});

		const result = await t.harness.run(workflowFixture('command-run-retry-on-fail'), [
			{ script: 'echo once', instanceIds: id },
		]);

		expect(result.error).toBeUndefined();
		const [item] = result.json('Run');
		expect(item).toMatchObject({ InvocationStatus: 'Success', Output: 'once\n' });
		// The router's write journal (writeJournal.ts) reports the first RunCommand's answer on
		// the second try instead of sending it again; its ClientToken would have made it harmless.
		expect(t.fake.requests.filter((r) => r.action === 'RunCommand')).toHaveLength(1);
		expect(
			t.fake.requests.filter((r) => r.action === 'DescribeInvocations').length,
		).toBeGreaterThan(1);
		const runs = t.fake.assistant.list(REGION, 'command');
		expect(runs.map((r) => r.invokeId)).toEqual([item.InvokeId]);
	});

	it('copes with a run that the read side does not list at first', async () => {
		const [id] = addInstances([{}]);
		t.fake.assistant.visibilityDelayMs = 1_500;
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo late', instanceIds: id },
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('Run')).toEqual([
			expect.objectContaining({ InvocationStatus: 'Success', Output: 'late\n' }),
		]);
	});

	it('explains the daily quota', async () => {
		const [id] = addInstances([{}]);
		t.fake.assistant.dailyQuota = 0;
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo hi', instanceIds: id },
		]);
		expect(result.error?.message).toMatch(
			/^The daily quota of Cloud Assistant runs in region cn-hangzhou is used up \(Invocation\.ExceedQuota, request [0-9A-F-]{36}\)$/,
		);
		expect(result.error?.description).toContain('try again tomorrow');
		expect(count('RunCommand')).toBe(1);
	});

	it('flags truncated output as the API reports it (Dropped)', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'fill 30000', instanceIds: id },
		]);
		const [item] = result.json('Run');
		expect(item).toMatchObject({ InvocationStatus: 'Success', Dropped: 6_000 });
		expect((item.Output as string).length).toBe(24_000);
	});

	it('decodes output as UTF-8, also when the 24 KB cut splits a character', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo 维护\nfill 23991\necho 已完成', instanceIds: id },
		]);
		const [item] = result.json('Run');
		const output = item.Output as string;
		expect(output.startsWith('维护\nxxx')).toBe(true);
		// 7 + 23,991 bytes, then the cut falls inside the 3-byte "已" (2 of its bytes kept).
		expect(output.endsWith('xxx\uFFFD')).toBe(true);
		expect(item.Dropped).toBe(8);
	});

	it('fills in parameters and built-ins', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(workflowFixture('command-run-parameters'), [
			{
				script: 'echo stopping {{service}} on {{ACS::InstanceId}}',
				instanceIds: id,
				service: 'nginx',
			},
		]);
		expect(result.json('Run')).toEqual([
			expect.objectContaining({ Output: `stopping nginx on ${id}\n` }),
		]);
		const [run] = t.fake.requests.filter((r) => r.action === 'RunCommand');
		expect(run.params).toMatchObject({
			EnableParameter: 'true',
			Parameters: '{"service":"nginx"}',
		});
	});

	it('runs on the instances that have the tags', async () => {
		const [a, , c] = addInstances([
			{ tags: { role: 'web' } },
			{ tags: { role: 'db' } },
			{ tags: { role: 'web' } },
		]);
		const result = await t.harness.run(workflowFixture('command-run-by-tags'), [
			{ script: 'echo hi', tagKey: 'role', tagValue: 'web' },
		]);
		expect(result.json('Run').map((i) => i.InstanceId)).toEqual([a, c].sort());
		const [run] = t.fake.requests.filter((r) => r.action === 'RunCommand');
		expect(run.params).toMatchObject({ 'ResourceTag.1.Key': 'role', 'ResourceTag.1.Value': 'web' });
	});

	it('refuses content over 24 KB after Base64 encoding before any request, without echoing it', async () => {
		const [id] = addInstances([{}]);
		const script = `echo ${'y'.repeat(18_000)}\necho SECRET_bigcontent000`;
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script, instanceIds: id },
		]);
		expect(result.error?.message).toBe(
			'Item 0: Command Content is 24,044 bytes after Base64 encoding (parameters included); Cloud Assistant accepts at most 24,000',
		);
		expect(t.fake.requests).toEqual([]);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const [id] = addInstances([{}]);
		const started = Date.now();
		await t.harness.run(
			workflowFixture('command-run'),
			[{ script: 'sleep 3600', instanceIds: id, timeout: 7200 }],
			{ cancelAfterMs: 1_500 },
		);
		const cancelledAt = Date.now();
		expect(cancelledAt - started).toBeLessThan(5_000);
		const checksBefore = count('DescribeInvocations');
		// Without the cancel signal, checks would come 4 and 6 s after the start.
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		expect(count('DescribeInvocations')).toBe(checksBefore);
	}, 30_000);
});

describe('Command: Stop and Get Results', () => {
	it('stops a running command: Get Results then shows it Terminated with the output so far', async () => {
		const [a, b] = addInstances([{}, {}]);
		const result = await t.harness.run(workflowFixture('command-run-stop-results'), [
			{ script: 'echo working\nsleep 600\necho never', instanceIds: [a, b], timeout: 3600 },
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('Stop')).toEqual([
			{
				InvokeId: expect.stringMatching(/^t-/),
				InstanceIds: [],
				RegionId: 'cn-hangzhou',
				RequestId: expect.any(String),
			},
		]);
		const items = result.json('Get Results');
		expect(items.map((i) => [i.InstanceId, i.InvocationStatus])).toEqual(
			[a, b].sort().map((id) => [id, expect.stringMatching(/^(Terminated|Cancelled)$/)]),
		);
		for (const item of items) {
			if (item.InvocationStatus === 'Terminated') expect(item.StopTime).toEqual(expect.any(String));
			expect(item.Output).not.toContain('never');
		}
	});

	it('reads the results of one instance of an earlier run', async () => {
		const [a, b] = addInstances([{}, {}]);
		const started = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'echo {{ACS::InstanceId}}', instanceIds: [a, b] },
		]);
		const invokeId = started.json('Run')[0].InvokeId;
		t.fake.requests.length = 0;

		const result = await t.harness.run(workflowFixture('command-get-results'), [
			{ invokeId, instanceIds: b },
		]);

		expect(result.json('Get Results')).toEqual([
			expect.objectContaining({ InstanceId: b, InvocationStatus: 'Success', Output: `${b}\n` }),
		]);
		expect(t.fake.requests.map((r) => [r.action, r.params.InstanceId])).toEqual([
			['DescribeInvocationResults', b],
		]);
	});

	it('stops a run on some of its instances only', async () => {
		const [a, b] = addInstances([{}, {}]);
		const started = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'sleep 600', instanceIds: [a, b], wait: false, timeout: 3600 },
		]);
		const invokeId = started.json('Run')[0].InvokeId as string;
		const result = await t.harness.run(workflowFixture('command-stop'), [
			{ invokeId, instanceIds: b },
		]);
		expect(result.json('Stop')).toEqual([
			{
				InvokeId: invokeId,
				InstanceIds: [b],
				RegionId: 'cn-hangzhou',
				RequestId: expect.any(String),
			},
		]);
		const [stop] = t.fake.requests.filter((r) => r.action === 'StopInvocation');
		expect(stop.params).toMatchObject({ InvokeId: invokeId, 'InstanceId.1': b });
		expect(stop.params['InstanceId.2']).toBeUndefined();
		t.fake.assistant.advance(5_000);
		const states = Object.fromEntries(
			t.fake.assistant
				.views(t.fake.assistant.find(REGION, invokeId)!)
				.map((v) => [v.InstanceId, v.InvocationStatus]),
		);
		expect(states[a]).toBe('Running');
		expect(states[b]).toMatch(/^(Terminated|Cancelled)$/);
	});

	it('Stop with an unknown Invoke ID says the run was not found', async () => {
		const result = await t.harness.run(workflowFixture('command-stop'), [
			{ invokeId: 't-hz0000000000000000' },
		]);
		expect(result.error?.message).toMatch(
			/^Cloud Assistant run t-hz0000000000000000 was not found in region cn-hangzhou \(InvalidInvokeId\.NotFound, request /,
		);
		expect(result.error?.description).toContain('Check the Invoke ID and the Region ID');
	});

	it('an unknown Invoke ID is not found', async () => {
		const result = await t.harness.run(workflowFixture('command-get-results'), [
			{ invokeId: 't-hz0000000000000000' },
		]);
		expect(result.error?.message).toMatch(
			/^Cloud Assistant run t-hz0000000000000000 was not found in region cn-hangzhou/,
		);
	});
});

describe('Command: Send File', () => {
	const file = Buffer.from('listen 8080;\n# SECRET_filecontent01\n');
	const binary = (content: Buffer, fileName = 'app.conf') => ({
		data: { data: content.toString('base64'), mimeType: 'text/plain', fileName },
	});

	it('writes binary data to each instance and outputs one item per instance', async () => {
		const ids = addInstances([{}, {}]);
		const result = await t.harness.run(
			workflowFixture('command-send-file'),
			[{ instanceIds: ids, targetDir: '/etc/my-app' }],
			{ binary: [binary(file)] },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Send File');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(items.map((i) => i.json)).toEqual(
			ids.map((id) =>
				expect.objectContaining({
					InvokeId: expect.stringMatching(/^f-/),
					InstanceId: id,
					InvocationStatus: 'Success',
					Name: 'app.conf',
					TargetDir: '/etc/my-app',
				}),
			),
		);
		for (const id of ids) {
			expect(t.fake.assistant.filesOf(id).get('/etc/my-app/app.conf')).toMatchObject({
				content: file,
				mode: '0600',
			});
		}
		const [send] = t.fake.requests.filter((r) => r.action === 'SendFile');
		expect(send.params).toMatchObject({
			ContentType: 'Base64',
			Content: file.toString('base64'),
			FileMode: '0600',
		});
		expect(send.params.ClientToken).toMatch(/^[0-9a-f]{48}$/);
	});

	it('reads binary data that n8n keeps on disk (binary data mode "filesystem")', async () => {
		const [id] = addInstances([{}]);
		const service = Container.get(BinaryDataService);
		await service.init();
		const stored = await service.store(
			{ type: 'execution', workflowId: 'test-workflow', executionId: 'binary-on-disk' },
			file,
			{ mimeType: 'text/plain', fileName: 'disk.conf', data: '' },
		);
		expect(stored).toMatchObject({
			id: expect.stringMatching(/^filesystem-v2:/),
			data: 'filesystem-v2',
		});

		const result = await t.harness.run(
			workflowFixture('command-send-file'),
			[{ instanceIds: id, targetDir: '/etc/my-app' }],
			{ binary: [{ data: stored }] },
		);

		expect(result.json('Send File')).toEqual([
			expect.objectContaining({ InvocationStatus: 'Success', Name: 'disk.conf' }),
		]);
		expect(t.fake.assistant.filesOf(id).get('/etc/my-app/disk.conf')?.content).toEqual(file);
	});

	it('an existing file without Overwrite fails on that instance only', async () => {
		const [fresh, taken] = addInstances([{}, { files: { '/tmp/app.conf': 'old' } }]);
		const result = await t.harness.run(
			workflowFixture('command-send-file'),
			[{ instanceIds: [fresh, taken], targetDir: '/tmp', failOnFailed: true }],
			{ binary: [binary(file)] },
		);
		expect(result.error?.message).toBe(
			`Managed instance ${taken}: the file failed (Failed, FileAlreadyExists).`,
		);
	});

	it('refuses a file over the limit before any request', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(
			workflowFixture('command-send-file'),
			[{ instanceIds: id, targetDir: '/tmp' }],
			{ binary: [binary(Buffer.alloc(24_001, 0x41), 'big.bin')] },
		);
		expect(result.error?.message).toBe(
			'Item 0: The file is 24,001 bytes; Send File takes at most 24,000 (32,000 after Base64 encoding)',
		);
		expect(t.fake.requests).toEqual([]);
	});

	it('a missing binary field is named', async () => {
		const [id] = addInstances([{}]);
		const result = await t.harness.run(
			workflowFixture('command-send-file'),
			[{ instanceIds: id, targetDir: '/tmp', property: 'upload' }],
			{
				binary: [binary(file)],
			},
		);
		expect(result.error?.message).toMatch(/upload/);
		expect(t.fake.requests).toEqual([]);
	});

	it('sends text and a later Run reads it back', async () => {
		const [id] = addInstances([{}]);
		await t.harness.run(workflowFixture('command-send-file'), [
			{
				instanceIds: id,
				targetDir: '/opt',
				source: 'text',
				content: 'hello from n8n\n',
				fileName: 'note.txt',
			},
		]);
		const result = await t.harness.run(workflowFixture('command-run'), [
			{ script: 'cat /opt/note.txt', instanceIds: id },
		]);
		expect(result.json('Run')).toEqual([expect.objectContaining({ Output: 'hello from n8n\n' })]);
	});
});
