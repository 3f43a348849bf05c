/**
 * The fake OpenAI-compatible model of the AI e2e tests (test/e2e/lib/fake-openai.ts) answers like
 * the Chat Completions API and refuses what that API refuses, so a script cannot hide a broken
 * conversation or a call of a tool n8n did not offer.
 */
import { FakeOpenAi, toolMessages, type ChatMessage, type ChatTool } from '../e2e/lib/fake-openai';

const LIST: ChatTool = {
	type: 'function',
	function: {
		name: 'List_managed_instances',
		description: 'List managed instances',
		parameters: {
			type: 'object',
			properties: { region: { type: 'string' }, connected: { type: 'string' } },
			required: ['region', 'connected'],
		},
	},
};

let fake: FakeOpenAi;

beforeAll(async () => {
	fake = await FakeOpenAi.start();
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => fake.reset());

async function post(body: unknown, key = fake.apiKey): Promise<{ status: number; text: string }> {
	const res = await fetch(`${fake.url}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, text: await res.text() };
}

const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('fake OpenAI-compatible model', () => {
	it('answers a scripted tool call as a chat.completion, then a text once the tool answered', async () => {
		fake.setScript((req) =>
			toolMessages(req).length === 0
				? {
						toolCalls: [
							{
								name: 'List_managed_instances',
								arguments: { region: 'cn-beijing', connected: 'false' },
							},
						],
					}
				: { content: `got ${toolMessages(req).length} answer` },
		);
		const first = await post({ model: 'gpt-4o-mini', messages: [user('which?')], tools: [LIST] });
		expect(first.status).toBe(200);
		const completion = JSON.parse(first.text);
		expect(completion).toMatchObject({
			object: 'chat.completion',
			model: 'gpt-4o-mini',
			choices: [
				{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null } },
			],
			usage: { total_tokens: expect.any(Number) },
		});
		const [call] = completion.choices[0].message.tool_calls;
		expect(call).toMatchObject({ type: 'function', function: { name: 'List_managed_instances' } });
		expect(JSON.parse(call.function.arguments)).toEqual({
			region: 'cn-beijing',
			connected: 'false',
		});

		const second = await post({
			model: 'gpt-4o-mini',
			messages: [
				user('which?'),
				{ role: 'assistant', content: null, tool_calls: [call] },
				{ role: 'tool', tool_call_id: call.id, content: '[]' },
			],
			tools: [LIST],
		});
		expect(JSON.parse(second.text).choices[0]).toMatchObject({
			finish_reason: 'stop',
			message: { content: 'got 1 answer' },
		});
		expect(fake.requests.map((r) => r.messages.length)).toEqual([1, 3]);
	});

	it('streams the same answer as chat.completion.chunk events ending with [DONE]', async () => {
		fake.setScript(() => ({ content: 'hello' }));
		const r = await post({
			model: 'm',
			messages: [user('hi')],
			stream: true,
			stream_options: { include_usage: true },
		});
		const events = r.text
			.split('\n\n')
			.filter(Boolean)
			.map((e) => e.replace(/^data: /, ''));
		expect(events[events.length - 1]).toBe('[DONE]');
		const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
		expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
		expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: 'hello' });
		expect(chunks[1].choices[0].finish_reason).toBe('stop');
		expect(chunks[2]).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
	});

	it('refuses a wrong key (401) and a broken conversation (400) like the API', async () => {
		const wrongKey = await post({ model: 'm', messages: [user('hi')] }, 'sk-wrong');
		expect(wrongKey.status).toBe(401);
		expect(JSON.parse(wrongKey.text).error).toMatchObject({ code: 'invalid_api_key' });

		const orphan = await post({
			model: 'm',
			messages: [user('hi'), { role: 'tool', tool_call_id: 'call_x', content: '[]' }],
		});
		expect(orphan.status).toBe(400);
		expect(JSON.parse(orphan.text).error.message).toMatch(/role 'tool' must be a response/);

		const unanswered = await post({
			model: 'm',
			messages: [
				user('hi'),
				{
					role: 'assistant',
					tool_calls: [
						{ id: 'call_1', type: 'function', function: { name: 'x', arguments: '{}' } },
					],
				},
				user('and?'),
			],
		});
		expect(unanswered.status).toBe(400);
		expect(JSON.parse(unanswered.text).error.message).toMatch(/call_1/);
		expect((await post({ messages: [user('hi')] })).status).toBe(400);
	});

	it('fails the test, not silently, when the script calls a tool that was not offered or skips a required argument', async () => {
		fake.setScript(() => ({ toolCalls: [{ name: 'Deregister', arguments: {} }] }));
		expect((await post({ model: 'm', messages: [user('hi')], tools: [LIST] })).status).toBe(500);
		fake.setScript(() => ({
			toolCalls: [{ name: 'List_managed_instances', arguments: { region: 'x' } }],
		}));
		expect((await post({ model: 'm', messages: [user('hi')], tools: [LIST] })).status).toBe(500);
		expect(fake.scriptErrors).toEqual([
			expect.stringMatching(/did not offer/),
			expect.stringMatching(/List_managed_instances\.connected is required/),
		]);
	});
});
