/**
 * The fake's Cloud Assistant through the real SDK (its methods and models): the script
 * language, the per-instance states on the agents' clock (advanced by the tests, never slept
 * for), the overall status, output encoding and truncation, limits, quota and refusal codes.
 */
import { DELIVERY_TIMEOUT_MS, interpretScript } from './index';
import { $Ecs, rejectionOf, useFakeEcs } from './test-clients';

const env = useFakeEcs({ seedSample: false });
const REGION = 'cn-hangzhou';

// The agents' clock stands still: only advance() moves it, so no state depends on timing.
beforeEach(() => {
	env.fake.assistant.speed = 0;
});

function addInstance(
	fields: { Connected?: boolean; OsType?: string; Tags?: Record<string, string> } = {},
): string {
	return env.fake.state.addInstance({
		RegionId: REGION,
		OsType: 'linux',
		Connected: true,
		...fields,
	}).InstanceId;
}

async function run(
	instanceIds: string[],
	script: string,
	extra: Partial<$Ecs.RunCommandRequest> = {},
) {
	const res = await env.ecs.runCommand(
		new $Ecs.RunCommandRequest({
			regionId: REGION,
			type: 'RunShellScript',
			commandContent: script,
			instanceId: instanceIds,
			...extra,
		}),
	);
	return res.body?.invokeId as string;
}

async function results(
	invokeId: string,
	extra: Partial<$Ecs.DescribeInvocationResultsRequest> = {},
) {
	const res = await env.ecs.describeInvocationResults(
		new $Ecs.DescribeInvocationResultsRequest({
			regionId: REGION,
			invokeId,
			maxResults: 50,
			...extra,
		}),
	);
	return res.body?.invocation;
}

async function overall(invokeId: string) {
	const res = await env.ecs.describeInvocations(
		new $Ecs.DescribeInvocationsRequest({ regionId: REGION, invokeId }),
	);
	return res.body?.invocations?.invocation?.[0];
}

const decode = (base64 = '') => Buffer.from(base64, 'base64').toString('utf8');

describe('the script language', () => {
	const noFiles = () => undefined;

	it('prints, sleeps and ends with exit codes like a shell with set -e', () => {
		expect(
			interpretScript('#!/bin/bash\necho "one"\nsleep 1.5\necho two\nexit 3\necho never', noFiles),
		).toEqual({
			outputs: [
				{ at: 0, text: Buffer.from('one\n') },
				{ at: 1500, text: Buffer.from('two\n') },
			],
			endsAt: 1500,
			exitCode: 3,
			exception: false,
		});
	});

	it('fails like a shell on an unknown command (127) or a missing file (1), and fail is an exception', () => {
		expect(interpretScript('echo a\nsystemctl stop app', noFiles)).toMatchObject({
			exitCode: 127,
			outputs: [
				{ text: Buffer.from('a\n') },
				{ text: Buffer.from('sh: line 2: systemctl: command not found\n') },
			],
		});
		expect(interpretScript('cat /etc/x', noFiles)).toMatchObject({ exitCode: 1 });
		expect(interpretScript('cat /etc/x', () => Buffer.from('X'))).toMatchObject({ exitCode: 0 });
		expect(interpretScript('fail disk full', noFiles)).toMatchObject({ exception: true });
		expect(interpretScript('fill 100', noFiles).outputs[0].text).toHaveLength(100);
	});
});

describe('RunCommand and its results', () => {
	it('walks an instance through Pending, Running and Success on the agents clock, with Base64 output', async () => {
		const id = addInstance();
		const invokeId = await run([id], 'echo start\nsleep 10\necho end');
		expect(invokeId).toMatch(/^t-hz[0-9a-f]{16}$/);

		const states: Array<[string | undefined, string]> = [];
		for (const step of [0, 200, 5_000, 10_000]) {
			env.fake.assistant.advance(step);
			const [result] = (await results(invokeId))?.invocationResults?.invocationResult ?? [];
			states.push([result.invocationStatus, decode(result.output)]);
		}
		expect(states).toEqual([
			['Pending', ''],
			['Running', 'start\n'],
			['Running', 'start\n'],
			['Success', 'start\nend\n'],
		]);
		const [done] = (await results(invokeId))?.invocationResults?.invocationResult ?? [];
		expect(done).toMatchObject({
			exitCode: 0,
			instanceId: id,
			invokeId,
			errorCode: '',
			dropped: 0,
		});
		expect(done.finishedTime).toMatch(/Z$/);
	});

	it('reports exit codes, exceptions and timeouts per instance, and the overall status', async () => {
		const id = addInstance();
		const failed = await run([id], 'exit 2');
		const error = await run([id], 'fail boom');
		const timeout = await run([id], 'sleep 100', { timeout: 10 });
		env.fake.assistant.advance(11_000);
		const first = async (invokeId: string) =>
			(await results(invokeId))?.invocationResults?.invocationResult?.[0];
		expect(await first(failed)).toMatchObject({
			invocationStatus: 'Failed',
			exitCode: 2,
			errorCode: 'ExitCodeNonzero',
		});
		expect(await first(error)).toMatchObject({
			invocationStatus: 'Error',
			errorCode: 'ExecutionException',
		});
		expect(await first(timeout)).toMatchObject({
			invocationStatus: 'Timeout',
			errorCode: 'ExecutionTimeout',
		});
		expect((await overall(failed))?.invocationStatus).toBe('Failed');
	});

	it('a disconnected agent gets the command if it reconnects within a minute, else the run is Aborted', async () => {
		const late = addInstance({ Connected: false });
		const never = addInstance({ Connected: false });
		const ok = addInstance();
		const invokeId = await run([late, never, ok], 'echo hi');
		env.fake.assistant.advance(30_000);
		expect((await overall(invokeId))?.invocationStatus).toBe('Pending');
		env.fake.state.getInstance(late, REGION)!.Connected = true;
		await results(invokeId); // the agent picks the command up when it is next looked at
		env.fake.assistant.advance(DELIVERY_TIMEOUT_MS);
		const byId = Object.fromEntries(
			((await results(invokeId))?.invocationResults?.invocationResult ?? []).map((r) => [
				r.instanceId,
				r,
			]),
		);
		expect(byId[late]).toMatchObject({ invocationStatus: 'Success' });
		expect(byId[ok]).toMatchObject({ invocationStatus: 'Success' });
		expect(byId[never]).toMatchObject({
			invocationStatus: 'Aborted',
			errorCode: 'DeliveryTimeout',
			errorInfo: 'the command delivery has been timeout',
		});
		expect((await overall(invokeId))?.invocationStatus).toBe('PartialFailed');
	});

	it('StopInvocation cancels what has not started and terminates what runs', async () => {
		const running = addInstance();
		const offline = addInstance({ Connected: false });
		const invokeId = await run([running, offline], 'echo a\nsleep 60\necho b');
		env.fake.assistant.advance(1_000);
		await env.ecs.stopInvocation(new $Ecs.StopInvocationRequest({ regionId: REGION, invokeId }));
		expect((await overall(invokeId))?.invocationStatus).toBe('Stopping');
		env.fake.assistant.advance(2_000);
		const byId = Object.fromEntries(
			((await results(invokeId))?.invocationResults?.invocationResult ?? []).map((r) => [
				r.instanceId,
				r,
			]),
		);
		expect(byId[running]).toMatchObject({
			invocationStatus: 'Terminated',
			output: Buffer.from('a\n').toString('base64'),
		});
		expect(byId[offline]).toMatchObject({ invocationStatus: 'Cancelled' });
		expect((await overall(invokeId))?.invocationStatus).toBe('Stopped');
	});

	it('truncates output past 24 KB and says how much it dropped; PlainText on request', async () => {
		const id = addInstance();
		const invokeId = await run([id], 'fill 25000');
		env.fake.assistant.advance(1_000);
		const [result] = (await results(invokeId))?.invocationResults?.invocationResult ?? [];
		expect(decode(result.output)).toHaveLength(24_000);
		expect(result.dropped).toBe(1_000);
		const [plain] =
			(await results(invokeId, { contentEncoding: 'PlainText' }))?.invocationResults
				?.invocationResult ?? [];
		expect(plain.output).toHaveLength(24_000);
	});

	it('pages results 50 at a time with NextToken', async () => {
		const ids = Array.from({ length: 60 }, () => addInstance());
		const invokeId = await run(ids, 'echo hi');
		const first = await results(invokeId);
		expect(first?.invocationResults?.invocationResult).toHaveLength(50);
		const second = await results(invokeId, { nextToken: first?.nextToken });
		expect(second?.invocationResults?.invocationResult).toHaveLength(10);
		expect(second?.nextToken).toBeUndefined();
	});

	it('substitutes parameters and built-ins only with EnableParameter, and needs a value for each', async () => {
		const id = addInstance();
		const invokeId = await run([id], 'echo {{name}} {{ACS::InstanceId}}', {
			enableParameter: true,
			parameters: { name: 'web' },
		});
		env.fake.assistant.advance(500);
		const [result] = (await results(invokeId))?.invocationResults?.invocationResult ?? [];
		expect(decode(result.output)).toBe(`web ${id}\n`);
		const missing = await rejectionOf(
			run([id], 'echo {{other}}', { enableParameter: true, parameters: { name: 'x' } }),
		);
		expect(missing).toMatchObject({ code: 'Parameter.MissingValue', statusCode: 400 });
		const disabled = await rejectionOf(run([id], 'echo', { parameters: { name: 'x' } }));
		expect(disabled).toMatchObject({ code: 'Parameter.Disabled' });
	});

	it('refuses what the API refuses, with its codes', async () => {
		const id = addInstance();
		const many = Array.from({ length: 101 }, () => addInstance());
		const cases: Array<[Promise<unknown>, string, number]> = [
			[run(['mi-hz0gone0000001', id], 'echo'), 'InvalidInstance.NotFound', 404],
			[run(many, 'echo'), 'InstanceIds.ExceedLimit', 403],
			[run([id], `echo ${'x'.repeat(18_000)}`), 'CmdContent.ExceedLimit', 403],
			[run([id], 'echo', { type: 'RunPythonScript' }), 'InvalidCmdType.NotFound', 403],
			[run([id], 'echo', { timeout: 5 }), 'InvalidParam.Timeout', 400],
			[
				run([id], 'echo', { workingDir: `/${'d'.repeat(200)}` }),
				'InvalidParameter.WorkingDir',
				400,
			],
		];
		for (const [promise, code, statusCode] of cases) {
			expect(await rejectionOf(promise)).toMatchObject({ code, statusCode });
		}
	});

	it('runs a Windows script on Windows instances only (Invalid, CommandNotApplicable elsewhere)', async () => {
		const linux = addInstance();
		const invokeId = await run([linux], 'echo hi', { type: 'RunPowerShellScript' });
		const [result] = (await results(invokeId))?.invocationResults?.invocationResult ?? [];
		expect(result).toMatchObject({
			invocationStatus: 'Invalid',
			errorCode: 'CommandNotApplicable',
		});
	});

	it('counts runs against the daily quota of the region: 403 Invocation.ExceedQuota', async () => {
		const id = addInstance();
		env.fake.assistant.dailyQuota = 2;
		await run([id], 'echo 1');
		await run([id], 'echo 2');
		expect(await rejectionOf(run([id], 'echo 3'))).toMatchObject({
			code: 'Invocation.ExceedQuota',
			statusCode: 403,
		});
		env.fake.assistant.advance(86_400_000);
		await expect(run([id], 'echo 4')).resolves.toMatch(/^t-/);
	});

	it('selects targets by ResourceTag, never together with InstanceId', async () => {
		const web = addInstance({ Tags: { role: 'web' } });
		addInstance({ Tags: { role: 'db' } });
		const invokeId = await run([], 'echo', {
			instanceId: undefined,
			resourceTag: [new $Ecs.RunCommandRequestResourceTag({ key: 'role', value: 'web' })],
		});
		const ids = (await results(invokeId))?.invocationResults?.invocationResult?.map(
			(r) => r.instanceId,
		);
		expect(ids).toEqual([web]);
		const both = await rejectionOf(
			run([web], 'echo', {
				resourceTag: [new $Ecs.RunCommandRequestResourceTag({ key: 'role', value: 'web' })],
			}),
		);
		expect(both).toMatchObject({ code: 'InvalidResourceTag.ConflictWithInstanceIds' });
	});

	it('counts the run on the instance (InvocationCount, LastInvokedTime)', async () => {
		const id = addInstance();
		const before = env.fake.state.getInstance(id, REGION)!.InvocationCount;
		await run([id], 'echo');
		expect(env.fake.state.getInstance(id, REGION)).toMatchObject({
			InvocationCount: before + 1,
			LastInvokedTime: expect.stringMatching(/Z$/),
		});
	});
});

describe('SendFile and its results', () => {
	const send = (instanceIds: string[], extra: Partial<$Ecs.SendFileRequest> = {}) =>
		env.ecs.sendFile(
			new $Ecs.SendFileRequest({
				regionId: REGION,
				instanceId: instanceIds,
				name: 'app.conf',
				targetDir: '/etc/app',
				content: Buffer.from('port=80\n').toString('base64'),
				contentType: 'Base64',
				...extra,
			}),
		);
	const fileResults = async (invokeId: string) =>
		(
			await env.ecs.describeSendFileResults(
				new $Ecs.DescribeSendFileResultsRequest({ regionId: REGION, invokeId }),
			)
		).body?.invocations?.invocation?.[0];

	it('writes the file where it is asked to; a second send without Overwrite fails with FileAlreadyExists', async () => {
		const id = addInstance();
		const first = (await send([id])).body?.invokeId as string;
		expect(first).toMatch(/^f-/);
		env.fake.assistant.advance(1_000);
		expect(await fileResults(first)).toMatchObject({
			invocationStatus: 'Success',
			name: 'app.conf',
			targetDir: '/etc/app',
			overwrite: 'false',
			invokeInstances: { invokeInstance: [{ instanceId: id, invocationStatus: 'Success' }] },
		});
		expect(env.fake.assistant.filesOf(id).get('/etc/app/app.conf')?.content.toString()).toBe(
			'port=80\n',
		);
		const again = (await send([id])).body?.invokeId as string;
		env.fake.assistant.advance(1_000);
		expect((await fileResults(again))?.invokeInstances?.invokeInstance?.[0]).toMatchObject({
			invocationStatus: 'Failed',
			errorCode: 'FileAlreadyExists',
		});
	});

	it('refuses what the SendFile reference lists', async () => {
		const id = addInstance();
		const many = Array.from({ length: 51 }, () => addInstance());
		const cases: Array<[Promise<unknown>, string]> = [
			[send([id], { content: Buffer.alloc(24_001).toString('base64') }), 'FileSize.ExceedLimit'],
			[send(many), 'InstanceIds.ExceedLimit'],
			[send([id], { fileMode: '999' }), 'FileMode.Invalid'],
			[send([id], { contentType: 'Gzip' }), 'FileContentType.Invalid'],
			[send([id], { content: 'not base64!' }), 'FileContent.DecodeError'],
			[send([id], { name: 'n'.repeat(256) }), 'FileName.ExceedLimit'],
			[send(['mi-hz0gone0000001']), 'InvalidInstance.NotFound'],
		];
		for (const [promise, code] of cases) expect(await rejectionOf(promise)).toMatchObject({ code });
	});
});
