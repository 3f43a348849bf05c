/**
 * A local OpenAI-compatible chat-completions endpoint for the AI Agent tests: the "model" answers
 * with what the test scripts (tool calls or text) and records every request it receives, so a
 * test can check which tools n8n offered, which arguments reached the node, and what the tool
 * answered. Node built-ins only; 127.0.0.1 only.
 *
 * Shapes follow OpenAI's Chat Completions API (https://platform.openai.com/docs/api-reference/chat)
 * as typed by the `openai` npm package that n8n's OpenAI Chat Model uses through @langchain/openai
 * (openai 6.x, resources/chat/completions/completions.d.ts: ChatCompletion, ChatCompletionChunk,
 * ChatCompletionMessageFunctionToolCall, ChatCompletionToolMessageParam) and its error format
 * (`{error: {message, type, param, code}}`, openai `error.d.ts` APIError). Like the real API it
 * refuses what the real API refuses and a script could otherwise hide: a wrong key (401
 * invalid_api_key), a body without model or messages, a `tool` message that answers no preceding
 * tool call, an assistant tool call left unanswered (400 invalid_request_error, the API's
 * documented message rule: "messages with role 'tool' must be a response to a preceding message
 * with 'tool_calls'"). Scripted tool calls are checked against the tools the request offered and
 * their JSON schema's required properties, so a test cannot make the model call a tool n8n did
 * not offer.
 */
import * as crypto from 'crypto';
import * as http from 'http';

/** One message of a request, as n8n sends it (content may be a string or text parts). */
export interface ChatMessage {
	role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
	content?: string | Array<{ type: string; text?: string }> | null;
	name?: string;
	tool_call_id?: string;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
}

/** A tool the request offers: `{type: 'function', function: {name, description, parameters}}`. */
export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean };
}

export interface JsonSchema {
	type?: string | string[];
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
	enum?: unknown[];
	[key: string]: unknown;
}

/** A request the fake received (the parsed body; the API key is not kept). */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools: ChatTool[];
	stream: boolean;
	body: Record<string, unknown>;
	receivedAt: number;
	/** the reply the script gave (or why the request was refused) */
	answer?: ModelReply | { refused: string };
}

/** What the scripted model answers to one request. */
export type ModelReply =
	| { content: string }
	| { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> };

/** The script: the model's answer to a request (the conversation so far is in `messages`). */
export type ModelScript = (request: ChatRequest) => ModelReply;

/** A message's text: a string as it is, text parts joined. */
export function messageText(message: ChatMessage): string {
	const c = message.content;
	if (typeof c === 'string') return c;
	if (Array.isArray(c)) return c.map((p) => p.text ?? '').join('');
	return '';
}

/** The tool messages of a request (the answers of tools to earlier calls), newest last. */
export function toolMessages(request: ChatRequest): ChatMessage[] {
	return request.messages.filter((m) => m.role === 'tool');
}

/** The tool offered under a name that matches (e.g. /^List_managed/), or an error naming them all. */
export function findTool(request: ChatRequest, name: RegExp): ChatTool {
	const found = request.tools.find((t) => name.test(t.function.name));
	if (!found) {
		throw new Error(
			`no tool matching ${name} was offered; tools: ${request.tools.map((t) => t.function.name).join(', ') || 'none'}`,
		);
	}
	return found;
}

class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type: string,
		readonly code: string | null,
		readonly param: string | null = null,
	) {
		super(message);
	}
}

const id = (prefix: string) => `${prefix}${crypto.randomBytes(12).toString('hex')}`;

/** The properties a schema requires that the arguments lack, and type mismatches, as text. */
function schemaProblems(schema: JsonSchema | undefined, value: unknown, at: string): string[] {
	if (!schema) return [];
	const types = schema.type === undefined ? [] : [schema.type].flat();
	const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
	const typeOk =
		types.length === 0 ||
		types.some((t) => t === actual || (t === 'integer' && Number.isInteger(value)));
	if (!typeOk) return [`${at} is ${actual}, the schema wants ${types.join('|')}`];
	if (actual !== 'object') return [];
	const obj = value as Record<string, unknown>;
	const problems = (schema.required ?? [])
		.filter((key) => !(key in obj))
		.map((key) => `${at}.${key} is required`);
	for (const [key, sub] of Object.entries(schema.properties ?? {})) {
		if (key in obj && obj[key] !== undefined)
			problems.push(...schemaProblems(sub, obj[key], `${at}.${key}`));
	}
	return problems;
}

/**
 * The message-order rules of the API: every assistant tool call is answered by `tool` messages
 * right after it, and a `tool` message answers a call of the assistant message before it.
 */
function checkConversation(messages: ChatMessage[]): void {
	let open = new Set<string>();
	messages.forEach((m, i) => {
		if (m.role === 'tool') {
			if (!m.tool_call_id || !open.has(m.tool_call_id)) {
				throw new ApiError(
					400,
					`Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
					'invalid_request_error',
					null,
					`messages.[${i}].role`,
				);
			}
			open.delete(m.tool_call_id);
			return;
		}
		if (open.size > 0) {
			throw new ApiError(
				400,
				`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
				'invalid_request_error',
				null,
				`messages.[${i}].role`,
			);
		}
		open = new Set(m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []);
	});
}

function parseRequest(raw: string): ChatRequest {
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(raw) as Record<string, unknown>;
	} catch {
		throw new ApiError(
			400,
			'We could not parse the JSON body of your request.',
			'invalid_request_error',
			null,
		);
	}
	if (typeof body.model !== 'string' || body.model === '') {
		throw new ApiError(
			400,
			'you must provide a model parameter',
			'invalid_request_error',
			null,
			'model',
		);
	}
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		throw new ApiError(
			400,
			"Invalid 'messages': empty array. Expected an array with minimum length 1.",
			'invalid_request_error',
			'empty_array',
			'messages',
		);
	}
	const messages = body.messages as ChatMessage[];
	checkConversation(messages);
	return {
		model: body.model,
		messages,
		tools: (Array.isArray(body.tools) ? body.tools : []) as ChatTool[],
		stream: body.stream === true,
		body,
		receivedAt: Date.now(),
	};
}

/** The assistant message of a reply, with tool calls checked against what the request offered. */
function toAssistantMessage(request: ChatRequest, reply: ModelReply): ChatMessage {
	if ('content' in reply) return { role: 'assistant', content: reply.content };
	const toolCalls = reply.toolCalls.map((call) => {
		const tool = request.tools.find((t) => t.function.name === call.name);
		if (!tool) {
			throw new Error(
				`the script called tool "${call.name}", which the request did not offer (${request.tools.map((t) => t.function.name).join(', ')})`,
			);
		}
		const problems = schemaProblems(tool.function.parameters, call.arguments, call.name);
		if (problems.length > 0) {
			throw new Error(
				`the script's call of ${call.name} does not fit the tool's schema: ${problems.join('; ')}`,
			);
		}
		return {
			id: id('call_'),
			type: 'function' as const,
			function: { name: call.name, arguments: JSON.stringify(call.arguments) },
		};
	});
	return { role: 'assistant', content: null, tool_calls: toolCalls };
}

const usage = (request: ChatRequest, message: ChatMessage) => {
	const prompt = Math.ceil(JSON.stringify(request.messages).length / 4);
	const completion = Math.ceil(JSON.stringify(message).length / 4);
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
	};
};

/** The whole answer as one `chat.completion` object. */
function completion(request: ChatRequest, message: ChatMessage) {
	return {
		id: id('chatcmpl-'),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model,
		choices: [
			{
				index: 0,
				message: { ...message, refusal: null },
				logprobs: null,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
			},
		],
		usage: usage(request, message),
	};
}

/** The same answer as server-sent `chat.completion.chunk` events, ending with `[DONE]`. */
function completionChunks(request: ChatRequest, message: ChatMessage): string[] {
	const base = {
		id: id('chatcmpl-'),
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: request.model,
	};
	const delta = message.tool_calls
		? {
				role: 'assistant',
				content: null,
				tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })),
			}
		: { role: 'assistant', content: message.content };
	const chunks: unknown[] = [
		{ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] },
		{
			...base,
			choices: [
				{
					index: 0,
					delta: {},
					logprobs: null,
					finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
				},
			],
		},
	];
	const options = request.body.stream_options as { include_usage?: boolean } | undefined;
	if (options?.include_usage) chunks.push({ ...base, choices: [], usage: usage(request, message) });
	return [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
}

export interface FakeOpenAiOptions {
	/** the key n8n's OpenAI credential must send as `Authorization: Bearer …` */
	apiKey?: string;
	/** the model's behaviour; replace it per test with `setScript` */
	script?: ModelScript;
	/** the model IDs GET /v1/models lists (the credential test and the model dropdown) */
	models?: string[];
}

export const FAKE_OPENAI_KEY = 'sk-fake-openai-e2e-0000000000000000';

/**
 * The fake endpoint. `url` is the base URL for n8n's OpenAI credential (`…/v1`). Every chat
 * request is recorded in `requests` (also refused ones, with `answer.refused`); a script error
 * (a call of a tool n8n did not offer) answers 500 and is kept in `scriptErrors`.
 */
export class FakeOpenAi {
	readonly requests: ChatRequest[] = [];
	readonly scriptErrors: string[] = [];
	private script: ModelScript;
	private port = 0;
	private readonly server: http.Server;
	readonly apiKey: string;
	private readonly models: string[];

	private constructor(options: FakeOpenAiOptions) {
		this.apiKey = options.apiKey ?? FAKE_OPENAI_KEY;
		this.models = options.models ?? ['gpt-4o-mini'];
		this.script = options.script ?? (() => ({ content: 'No script set.' }));
		this.server = http.createServer((req, res) => {
			let raw = '';
			req.setEncoding('utf8');
			req.on('data', (d: string) => (raw += d));
			req.on('end', () => this.handle(req, res, raw));
		});
	}

	static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
		const fake = new FakeOpenAi(options);
		await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
		fake.port = (fake.server.address() as { port: number }).port;
		return fake;
	}

	/** The base URL for the credential's Base URL field. */
	get url(): string {
		return `http://127.0.0.1:${this.port}/v1`;
	}

	setScript(script: ModelScript): void {
		this.script = script;
	}

	reset(): void {
		this.requests.length = 0;
		this.scriptErrors.length = 0;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
		const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
		try {
			if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
				throw new ApiError(
					401,
					'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
					'invalid_request_error',
					'invalid_api_key',
				);
			}
			if (req.method === 'GET' && path === '/v1/models') {
				this.json(res, 200, {
					object: 'list',
					data: this.models.map((m) => ({ id: m, object: 'model', created: 0, owned_by: 'fake' })),
				});
				return;
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				throw new ApiError(
					404,
					`Invalid URL (${req.method} ${path})`,
					'invalid_request_error',
					null,
				);
			}
			this.chat(res, raw);
		} catch (error) {
			if (error instanceof ApiError) {
				this.json(res, error.status, {
					error: {
						message: error.message,
						type: error.type,
						param: error.param,
						code: error.code,
					},
				});
				return;
			}
			throw error;
		}
	}

	private chat(res: http.ServerResponse, raw: string): void {
		let request: ChatRequest;
		try {
			request = parseRequest(raw);
		} catch (error) {
			if (error instanceof ApiError) {
				this.requests.push({
					model: '',
					messages: [],
					tools: [],
					stream: false,
					body: { raw },
					receivedAt: Date.now(),
					answer: { refused: error.message },
				});
			}
			throw error;
		}
		this.requests.push(request);
		let message: ChatMessage;
		try {
			const reply = this.script(request);
			message = toAssistantMessage(request, reply);
			request.answer = reply;
		} catch (error) {
			const text = error instanceof Error ? error.message : String(error);
			this.scriptErrors.push(text);
			request.answer = { refused: text };
			this.json(res, 500, {
				error: {
					message: `fake model script: ${text}`,
					type: 'server_error',
					param: null,
					code: null,
				},
			});
			return;
		}
		if (!request.stream) {
			this.json(res, 200, completion(request, message));
			return;
		}
		res.writeHead(200, {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache',
			connection: 'keep-alive',
		});
		for (const chunk of completionChunks(request, message)) res.write(chunk);
		res.end();
	}

	private json(res: http.ServerResponse, status: number, body: unknown): void {
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
			'x-request-id': id('req_'),
		});
		res.end(text);
	}
}
