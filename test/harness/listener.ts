/**
 * The HTTP server that stands in for one of n8n's webhook endpoints (`/webhook/…`,
 * `/webhook-waiting/…`): it listens on 127.0.0.1 on a free port, reads each request's body,
 * records what the answer sends, and answers 500 with the error's message when the handler throws.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

export interface ListenerRequest {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	url: URL;
	/** Upper case, e.g. `POST`. */
	method: string;
	rawBody: Buffer;
	/** The media type without its parameters, lower case, e.g. `application/json`. */
	contentType: string;
	/** Answers `status` with a text (as the listener's text type) or with JSON. */
	send: (status: number, data: unknown) => void;
	/** What the answer has sent so far, as text. */
	responseText: () => string;
}

export interface ListenerOptions {
	/** The Content-Type `send` gives a text answer. */
	textType?: string;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** What express and the cli's middlewares hand to a node as the request: the request with its parsed body, query and path. */
export function expressRequest(request: ListenerRequest, body: unknown) {
	const { req, url, rawBody, contentType } = request;
	return Object.assign(req, {
		body,
		rawBody,
		contentType,
		query: { ...parseQueryString(url.search.replace(/^\?/, '')) },
		params: {},
		path: url.pathname,
	});
}

export class HarnessListener {
	private constructor(
		private server: http.Server | undefined,
		/** e.g. `http://127.0.0.1:41234`. */
		readonly baseUrl: string,
	) {}

	static async start(
		handle: (request: ListenerRequest) => Promise<void>,
		{ textType = 'text/plain; charset=utf-8' }: ListenerOptions = {},
	): Promise<HarnessListener> {
		const server = http.createServer((req, res) => {
			serve(req, res, textType, handle).catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
				if (!res.writableEnded) res.end(JSON.stringify({ message: error.message }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		return new HarnessListener(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server) {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	}
}

async function serve(
	req: http.IncomingMessage,
	res: http.ServerResponse,
	textType: string,
	handle: (request: ListenerRequest) => Promise<void>,
): Promise<void> {
	const rawBody = await readBody(req);
	const chunks: Buffer[] = [];
	const originalEnd = res.end.bind(res);
	res.end = ((chunk?: unknown, ...rest: unknown[]) => {
		if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) chunks.push(Buffer.from(chunk as string));
		return (originalEnd as (...args: unknown[]) => http.ServerResponse)(chunk, ...rest);
	}) as typeof res.end;
	const send = (status: number, data: unknown) => {
		const text = typeof data === 'string' ? data : JSON.stringify(data);
		const type = typeof data === 'string' ? textType : 'application/json; charset=utf-8';
		res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
		res.end(text);
	};
	await handle({
		req,
		res,
		url: new URL(req.url ?? '/', 'http://harness.invalid'),
		method: (req.method ?? 'GET').toUpperCase(),
		rawBody,
		contentType: String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
		send,
		responseText: () => Buffer.concat(chunks).toString('utf8'),
	});
}
