/** One request and its answer: the record tests read, and the ways the fake can answer (or not). */
import type * as http from 'node:http';
import type { Socket } from 'node:net';
import type { SignatureScheme } from './auth';
import { ApiError, errorBody, newRequestId } from './errors';
import type { FaultKind } from './faults';

export interface RecordedRequest {
	action: string;
	method: string;
	path: string;
	/** Query + form body, API names. */
	params: Record<string, string>;
	headers: Record<string, string>;
	signatureScheme: SignatureScheme;
	signatureValid: boolean;
	accessKeyId?: string;
	securityToken?: string;
	/** What the fake answered; 0 when it answered nothing (reset, hang, dropAfterAction). */
	status: number;
	code?: string;
	requestId: string;
	/** The injected fault that shaped the answer, if any. */
	fault?: FaultKind;
	/** True when a ClientToken repeat was answered from memory. */
	replayed?: boolean;
}

const BODY_LIMIT = 1 << 20;
export const JSON_TYPE = 'application/json;charset=utf-8';

export class Exchange {
	readonly record: RecordedRequest;
	readonly rawPath: string;
	readonly rawQuery: string;
	private finished = false;

	constructor(
		readonly req: http.IncomingMessage,
		readonly res: http.ServerResponse,
		private readonly onFinish: (record: RecordedRequest) => void,
	) {
		const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
		this.rawPath = rawPath;
		this.rawQuery = rawQuery;
		this.record = {
			action: '',
			method: req.method ?? 'GET',
			path: rawPath,
			params: {},
			headers: flattenHeaders(req.headers),
			signatureScheme: 'none',
			signatureValid: false,
			status: 0,
			requestId: newRequestId(),
		};
	}

	/** The body, at most 1 MiB. */
	readBody(): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			this.req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= BODY_LIMIT) chunks.push(chunk);
			});
			this.req.on('end', () =>
				size <= BODY_LIMIT
					? resolve(Buffer.concat(chunks))
					: reject(
							new ApiError(413, 'RequestEntityTooLarge', 'The request body is larger than 1 MiB.'),
						),
			);
			this.req.on('error', reject);
		});
	}

	send(
		status: number,
		body: unknown,
		type = JSON_TYPE,
		headers: Record<string, string> = {},
	): void {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		this.record.status = status;
		this.res.writeHead(status, {
			'content-type': type,
			'content-length': Buffer.byteLength(text),
			'x-acs-request-id': this.record.requestId,
			...headers,
		});
		this.res.end(text);
		this.finish();
	}

	/** The gateway's error body; HostId is the host the client addressed. */
	sendError(err: ApiError, headers: Record<string, string> = {}): void {
		this.record.code = err.code;
		const host = this.req.headers.host ?? 'ecs.aliyuncs.com';
		this.send(err.status, errorBody(err, this.record.requestId, host), JSON_TYPE, headers);
	}

	/** Drops the connection without answering (a TCP reset where the platform allows). */
	drop(): void {
		this.record.status = 0;
		const socket = this.res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
		if (socket?.resetAndDestroy) socket.resetAndDestroy();
		else socket?.destroy();
		this.finish();
	}

	/** Reports the record once, however the exchange ended. */
	finish(): void {
		if (this.finished) return;
		this.finished = true;
		this.onFinish(this.record);
	}
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}
