/**
 * n8n's hosted chat as its widget talks to n8n, for workflows whose Chat Trigger answers "Using
 * Response Nodes": the message goes to the trigger's webhook (`POST …/chat`, answered at once
 * with the execution's ID), and what the workflow sends into the chat (the Chat node's messages,
 * approval requests with buttons included) comes back over a WebSocket on
 * `/chat?sessionId=…&executionId=…&isPublic=true` (2.41: `&token=<resumeToken>`, which the
 * message's answer carries). Protocol as n8n implements it (n8n `dist/chat/chat-service.js`,
 * checked in 2.8.4 and 2.41.1): the server polls the execution every
 * 3 s, sends a waiting Chat node's message (text, or JSON such as
 * `{"type": "with-buttons", "text", "buttons": [{text, link, type}]}`), then `n8n|continue` when it
 * resumes the run by itself; `n8n|heartbeat` expects `n8n|heartbeat-ack`; it closes the socket once
 * the execution succeeded.
 */
import WebSocket from 'ws';

import { request, type HttpResponse } from './server';

const HEARTBEAT = 'n8n|heartbeat';
const HEARTBEAT_ACK = 'n8n|heartbeat-ack';
export const CHAT_CONTINUE = 'n8n|continue';

/** A message the chat shows: plain text, or n8n's message with buttons. */
export type ChatShown =
	| string
	| { type: string; text: string; buttons?: Array<{ text: string; link: string; type?: string }> };

export class N8nChatSession {
	/** everything the server sent but heartbeats, in order (JSON messages parsed) */
	readonly received: ChatShown[] = [];
	readonly closed: Promise<void>;

	private constructor(
		readonly executionId: string,
		private readonly socket: WebSocket,
	) {
		socket.on('message', (data) => {
			const text = data.toString();
			if (text === HEARTBEAT) {
				socket.send(HEARTBEAT_ACK);
				return;
			}
			let shown: ChatShown = text;
			try {
				const parsed = JSON.parse(text) as unknown;
				if (parsed && typeof parsed === 'object') shown = parsed as ChatShown;
			} catch {
				/* plain text */
			}
			this.received.push(shown);
		});
		this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
	}

	/**
	 * Sends `text` as the hosted chat does and opens the session's socket. `headers` carry the
	 * trigger's authentication (e.g. Basic Auth).
	 */
	static async send(o: {
		n8nUrl: string;
		webhookUrl: string;
		text: string;
		sessionId: string;
		headers?: Record<string, string>;
	}): Promise<N8nChatSession> {
		const r: HttpResponse = await request('POST', o.webhookUrl, {
			body: { action: 'sendMessage', sessionId: o.sessionId, chatInput: o.text },
			headers: o.headers,
		});
		const answer = r.status === 200 ? r.json<{ executionId?: string; resumeToken?: string }>() : {};
		const { executionId, resumeToken } = answer;
		if (!executionId) throw new Error(`chat message: HTTP ${r.status} ${r.body.slice(0, 300)}`);
		const url = new URL('/chat', o.n8nUrl.replace(/^http/, 'ws'));
		url.searchParams.set('sessionId', o.sessionId);
		url.searchParams.set('executionId', String(executionId));
		url.searchParams.set('isPublic', 'true');
		// 2.41 answers the message with a resumeToken, and refuses a socket without it
		if (resumeToken) url.searchParams.set('token', resumeToken);
		const socket = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		return new N8nChatSession(String(executionId), socket);
	}

	/** The first message (after the `from`th) that `match` accepts, waiting for it. */
	async waitFor(
		match: (shown: ChatShown) => boolean,
		{ from = 0, timeoutMs = 60_000 } = {},
	): Promise<ChatShown> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.received.slice(from).find(match);
			if (found !== undefined) return found;
			if (Date.now() > deadline) {
				throw new Error(
					`no matching chat message within ${timeoutMs} ms; received: ${JSON.stringify(this.received)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	close(): void {
		this.socket.close();
	}
}
