/**
 * Every row of the error table (transport/errorCodes.ts), answered by the fake endpoint, drives
 * the node through n8n's engine to the row's message and advice, and to the row's retry rule:
 * for Deregister (a repeat cannot act twice) and for Delete (unsafe: sent again only when the
 * API refused before acting). Then error pages that are not API answers (HTML, empty, not
 * JSON) by their status, and throttling in its other forms: 429 pages, retry hints.
 */
import { STATUS_CODES } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../fake-ecs';
import { SAMPLE_INSTANCE } from '../fake-ecs';
import {
	ERROR_CODES,
	REGION_LIST_TEXT,
	fillTemplate,
	lookupErrorCode,
	type ErrorCodeRow,
} from '../../nodes/AlibabaEcs/transport/errorCodes';
import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 13 });
const hz = 'cn-hangzhou';
const PSEUDO = ['HTTP 429', 'HTTP 5xx', 'x-acs-retry-after', 'HTTP 4xx page', 'HTTP 5xx page'];

/** A code that the row's pattern matches, e.g. "Throttling*" → "Throttling.Example". */
function representative(pattern: string): string {
	if (!pattern.includes('*')) return pattern;
	if (pattern.startsWith('*') && pattern.endsWith('*')) return `${pattern.slice(1, -1)}.Example`;
	if (pattern.startsWith('*')) return `Example.${pattern.slice(1)}`;
	return `${pattern.slice(0, -1).replace(/\.$/, '')}.Example`;
}

const rows = ERROR_CODES.filter((row) => !PSEUDO.includes(row.code) && row.action === undefined);

interface Target {
	workflow: string;
	action: string;
	subject: string;
	input: () => IDataObject;
	/** How many requests the row's retry rule allows with Max Attempts 2. */
	attempts: (row: ErrorCodeRow, status: number) => number;
}

const deregister: Target = {
	workflow: 'deregister-fast-timeout',
	action: 'DeregisterManagedInstance',
	subject: `Managed instance ${SAMPLE_INSTANCE.InstanceId}`,
	input: () => ({ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId, maxAttempts: 2 }),
	attempts: (row) => (row.retry === 'no' ? 1 : 2),
};

let activationId = '';
const deleteActivation: Target = {
	workflow: 'activation-delete-fast-timeout',
	action: 'DeleteActivation',
	subject: 'Activation <id>',
	input: () => ({ region: hz, activationId, maxAttempts: 2 }),
	attempts: (row, status) => (row.retry === 'refused' && status < 500 ? 2 : 1),
};

async function answerWith(target: Target, fault: Fault, row: ErrorCodeRow, code?: string) {
	activationId = t.fake.state.addActivation({ RegionId: hz }).ActivationId;
	t.fake.inject({ ...fault, action: target.action, times: 5 } as Fault);
	const result = await t.harness.run(workflowFixture(target.workflow), [target.input()]);
	const [item] = result.items('ECS');
	const sent = t.fake.requests.filter((r) => r.action === target.action);
	const status = 'status' in fault && typeof fault.status === 'number' ? fault.status : 429;
	const statusLine = `${status} ${STATUS_CODES[status]}`;
	const values = {
		action: target.action,
		region: hz,
		host: t.fake.host,
		subject: target.subject.replace('<id>', activationId),
		code,
		message: 'message' in fault && fault.message ? fault.message : (code ?? `HTTP ${statusLine}`),
		ramAction: `ecs:${target.action}`,
		status: statusLine,
		regions: REGION_LIST_TEXT,
	};
	const tags = [code, `request ${sent.at(-1)!.requestId}`].filter(Boolean).join(', ');
	expect(item.json.error).toBe(`${fillTemplate(row.summary, values)} (${tags})`);
	expect(item.error?.description).toContain(fillTemplate(row.advice, values));
	expect(sent).toHaveLength(target.attempts(row, status));
}

describe.each(rows.map((row) => [row.code, row] as const))('%s', (_code, row) => {
	const code = representative(row.code);
	const status = row.status ?? 400;
	const fault: Fault = { kind: 'error', status, code, message: `Alibaba says ${code}.` };

	it('is the row the table finds for it', () => {
		expect(lookupErrorCode({ code, statusCode: status })).toBe(row);
	});

	it(`Deregister: the row's message and advice, ${row.retry === 'no' ? 'no retry' : 'retried'}`, async () => {
		await answerWith(deregister, fault, row, code);
	});

	it(`Delete (unsafe): the row's message, ${row.retry === 'refused' && status < 500 ? 'retried (refused before acting)' : 'not sent again'}`, async () => {
		await answerWith(deleteActivation, fault, row, code);
	});
});

describe('error pages that are not API answers', () => {
	it.each<[string, string, Fault]>([
		['an HTML 502', 'HTTP 5xx page', { kind: 'html', status: 502 }],
		['an HTML 503', 'HTTP 5xx page', { kind: 'html', status: 503 }],
		['an HTML 504', 'HTTP 5xx page', { kind: 'html', status: 504 }],
		['an empty 500', 'HTTP 5xx page', { kind: 'empty', status: 500 }],
		['an HTML 403', 'HTTP 4xx page', { kind: 'html', status: 403 }],
		['an empty 404', 'HTTP 4xx page', { kind: 'empty', status: 404 }],
		['broken JSON with 400', 'HTTP 4xx page', { kind: 'malformedJson', status: 400 }],
	])(
		'%s is the row %s: a 5xx page retried when a repeat cannot act twice, a 4xx page never',
		async (_what, code, fault) => {
			const row = ERROR_CODES.find((r) => r.code === code)!;
			const status = (fault as { status: number }).status;
			expect(lookupErrorCode({ statusCode: status, page: true })).toBe(row);
			await answerWith(deregister, fault, row);
			t.fake.reset();
			await answerWith(deleteActivation, fault, row);
		},
	);
});

describe('throttling in every form', () => {
	const pseudo = (code: string) => ERROR_CODES.find((row) => row.code === code)!;

	it.each<[string, Fault]>([
		['JSON TooManyRequests', { kind: 'tooManyRequests' }],
		['an HTML page', { kind: 'tooManyRequests', body: 'html' }],
		['no body', { kind: 'tooManyRequests', body: 'empty' }],
	])('a 429 with %s is throttling: even a Delete is sent again', async (_what, fault) => {
		const code = fault.kind === 'tooManyRequests' && !fault.body ? 'TooManyRequests' : undefined;
		await answerWith(deleteActivation, fault, pseudo('HTTP 429'), code);
		await answerWith(deregister, fault, pseudo('HTTP 429'), code);
	});

	it('an unknown code with a 5xx status is a server error: retried when a repeat cannot act twice', async () => {
		const fault: Fault = {
			kind: 'error',
			status: 502,
			code: 'Brand.Unknown',
			message: 'Upstream.',
		};
		await answerWith(deregister, fault, pseudo('HTTP 5xx'), 'Brand.Unknown');
		t.fake.reset();
		await answerWith(deleteActivation, fault, pseudo('HTTP 5xx'), 'Brand.Unknown');
	});

	it('a 429 that clears is retried and succeeds, for a Delete too', async () => {
		const { ActivationId } = t.fake.state.addActivation({ RegionId: hz });
		t.fake.inject({ kind: 'tooManyRequests', body: 'html', action: 'DeleteActivation' });
		const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
			{ region: hz, activationId: ActivationId },
		]);
		expect(result.json('ECS')[0]).toMatchObject({ ActivationId });
		expect(t.fake.requests.map((r) => r.status)).toEqual([429, 200]);
		expect(t.fake.state.getActivation(ActivationId)).toBeUndefined();
	});

	it('any answer with x-acs-retry-after is throttling, and the node waits as long as it says (ms)', async () => {
		const fault: Fault = {
			kind: 'error',
			status: 400,
			code: 'Brand.NewCode',
			message: 'Come back later.',
			retryAfterSeconds: 0.05,
		};
		await answerWith(deregister, fault, pseudo('x-acs-retry-after'), 'Brand.NewCode');

		t.fake.reset();
		t.fake.inject({ ...fault, retryAfterSeconds: 0.7, action: 'DescribeManagedInstances' });
		const started = Date.now();
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
		]);
		expect(result.json('ECS')).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(700);
	});

	it("a gateway's Retry-After is in seconds", async () => {
		t.fake.inject({
			kind: 'html',
			status: 503,
			retryAfterSeconds: 1,
			action: 'DescribeManagedInstances',
		});
		const started = Date.now();
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
		]);
		expect(result.json('ECS')).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(t.fake.requests.map((r) => r.status)).toEqual([503, 200]);
	});

	it('a 5xx with a retry hint is not certain to come before the action: a Delete is not sent again', async () => {
		const { ActivationId } = t.fake.state.addActivation({ RegionId: hz });
		t.fake.inject({
			kind: 'error',
			status: 503,
			code: 'ServiceUnavailable',
			retryAfterSeconds: 0.05,
			action: 'DeleteActivation',
		});
		const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
			{ region: hz, activationId: ActivationId },
		]);
		expect(result.items('ECS')[0].json.error).toMatch(
			/^Alibaba Cloud asked to retry DeleteActivation later \(ServiceUnavailable, /,
		);
		expect(t.fake.requests).toHaveLength(1);
	});
});
