import type { IDataObject, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** A server-to-client event of Mattermost's WebSocket. */
export interface WebSocketEvent {
	event: string;
	seq?: number;
	data?: IDataObject;
	broadcast?: IDataObject;
	/** Not from the WebSocket: fetched over REST after the server could not resume. */
	backfilled?: boolean;
}

export interface EventStreamOptions {
	/** ws(s)://…/api/v4/websocket */
	url: string;
	token: string;
	/** How often a quiet connection is pinged; silence for two intervals means it is dead. */
	heartbeatMs: number;
	logger: Logger;
	/** Every event once, in server order (never `hello`, never a replayed duplicate). */
	onEvent: (event: WebSocketEvent) => void;
	/**
	 * Events may have been lost: the server could not resume (a `hello` with a new connection id)
	 * or skipped sequence numbers. Called before the first event that follows the gap.
	 */
	onGap: (reason: string) => void;
	/** The server's clock (ms), from the answer to a ping sent as soon as the first connection is established. */
	onServerTime?: (serverTime: number) => void;
	/**
	 * Called when the server closed a socket before accepting the token (after the first
	 * connection). Throwing stops the stream for good and reports the error through `onFatal`.
	 */
	onRefused?: () => Promise<void>;
	onFatal: (error: Error) => void;
	initialBackoffMs?: number;
	maxBackoffMs?: number;
	/** How long one connection attempt may take to be accepted. */
	connectTimeoutMs?: number;
}

interface AttemptState {
	opened: boolean;
	established: boolean;
	ended: boolean;
	startedAt: number;
	establishedAt: number;
	lastReceivedAt: number;
	clientSeq: number;
	authSeq: number;
	clockSeq: number;
	/** New events handed on by this socket (not replays of old ones). */
	delivered: number;
	pingSentAt: number | undefined;
}

interface AttemptResult {
	opened: boolean;
	established: boolean;
	/** How long the connection stayed established (0 when it never was). */
	establishedMs: number;
	delivered: number;
	reason: string;
}

/** Sleeps are cut into slices so that stop() is never kept waiting for a long backoff. */
const SLICE_MS = 200;

/** How long stop() waits for the close handshake. */
const CLOSE_WAIT_MS = 1000;

/**
 * A connection that stayed up this long, or delivered events, was healthy: when it drops, the next
 * one opens at once, while Mattermost still holds what was sent meanwhile (128 events per
 * connection).
 */
const HEALTHY_CONNECTION_MS = 1000;

/**
 * One logical connection to Mattermost's WebSocket that survives dropped sockets:
 *
 * - authenticates with `authentication_challenge` (no header needed, so Node's built-in
 *   WebSocket is enough);
 * - checks a quiet socket with the `ping` action and gives up on it after two silent intervals;
 * - reconnects at once when an established connection drops, and with exponential backoff when
 *   connecting fails or connections keep dropping right after opening; resumes with
 *   `connection_id` and `sequence_number` so that the server replays what was missed;
 * - hands every event on exactly once: replays of events already seen are dropped by `seq`; when
 *   the server cannot resume (a `hello` with a new connection id) it reports the gap.
 *
 * No timers: waiting uses n8n-workflow's `sleep`.
 */
export class EventStream {
	private stopped = false;

	private socket: WebSocket | undefined;

	private finishCurrent: ((reason: string) => void) | undefined;

	private connectionId = '';

	/** The seq the next new event will carry. */
	private expectedSeq = 0;

	private loop: Promise<void> | undefined;

	/** The connect-timeout and heartbeat watches still running; stop() waits for them. */
	private readonly watches = new Set<Promise<void>>();

	private clockAsked = false;

	private readonly initialBackoffMs: number;

	private readonly maxBackoffMs: number;

	private readonly connectTimeoutMs: number;

	/** An OAuth2 access token changes when n8n renews it: the next connection uses the new one. */
	updateToken(token: string): void {
		this.options.token = token;
	}

	constructor(private readonly options: EventStreamOptions) {
		this.initialBackoffMs = options.initialBackoffMs ?? 500;
		this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
		this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
	}

	/** Opens the first connection; rejects when that fails (nothing keeps running then). */
	async start(): Promise<void> {
		let established!: () => void;
		let failed!: (error: Error) => void;
		const first = new Promise<void>((resolve, reject) => {
			established = resolve;
			failed = reject;
		});
		this.loop = this.run(established, failed);
		await first;
	}

	/** Closes the socket and ends every retry; resolves when nothing runs any more. */
	async stop(): Promise<void> {
		this.stopped = true;
		const socket = this.socket;
		this.finishCurrent?.('the workflow was deactivated');
		await this.loop;
		// Each watch sees the stop after at most one slice; a sleep left behind would outlive deactivation.
		await Promise.allSettled([...this.watches]);
		// Give the close handshake a moment, so the server has let go when stop() returns.
		for (let waited = 0; socket && socket.readyState !== socket.CLOSED && waited < CLOSE_WAIT_MS; waited += 50) {
			await sleep(50);
		}
	}

	private async run(onFirst: () => void, onFirstFailure: (error: Error) => void): Promise<void> {
		let isFirst = true;
		/** Attempts in a row that never got established. */
		let failures = 0;
		/** Established connections in a row that dropped before they were healthy. */
		let shortLived = 0;
		while (!this.stopped) {
			const result = await this.attempt(() => {
				failures = 0;
				if (isFirst) {
					isFirst = false;
					onFirst();
				}
			});
			if (this.stopped) break;
			if (isFirst) {
				this.stopped = true;
				onFirstFailure(new Error(result.reason));
				break;
			}
			if (result.established) {
				const healthy = result.delivered > 0 || result.establishedMs >= HEALTHY_CONNECTION_MS;
				shortLived = healthy ? 0 : shortLived + 1;
			} else {
				failures += 1;
				if (result.opened && this.options.onRefused) {
					try {
						await this.options.onRefused();
					} catch (error) {
						this.stopped = true;
						this.options.onFatal(error as Error);
						break;
					}
				}
			}
			// One short-lived connection may be bad luck; a second in a row is a loop to slow down.
			const retries = result.established ? Math.max(0, shortLived - 1) : failures;
			if (retries === 0) {
				this.options.logger.warn(`Mattermost WebSocket: ${result.reason}; reconnecting now`);
				continue;
			}
			const delay = this.backoff(retries);
			this.options.logger.warn(
				`Mattermost WebSocket: ${result.reason}; reconnecting in ${Math.round(delay)} ms`,
			);
			await this.pause(delay);
		}
	}

	private backoff(retries: number): number {
		const base = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (retries - 1));
		// ±20 % so that many workflows do not reconnect in step after a server restart.
		return base * (0.8 + Math.random() * 0.4);
	}

	private async pause(ms: number): Promise<void> {
		const until = Date.now() + ms;
		while (!this.stopped) {
			const left = until - Date.now();
			if (left <= 0) return;
			await sleep(Math.min(SLICE_MS, left));
		}
	}

	private url(): string {
		if (!this.connectionId) return this.options.url;
		const query = new URLSearchParams({
			connection_id: this.connectionId,
			sequence_number: String(this.expectedSeq),
		});
		return `${this.options.url}?${query.toString()}`;
	}

	/** One socket, from opening to its end; resolves with how far it got. */
	private async attempt(onEstablished: () => void): Promise<AttemptResult> {
		return await new Promise<AttemptResult>((resolve) => {
			const now = Date.now();
			const state: AttemptState = {
				opened: false,
				established: false,
				ended: false,
				startedAt: now,
				establishedAt: 0,
				lastReceivedAt: now,
				clientSeq: 0,
				authSeq: 0,
				clockSeq: 0,
				delivered: 0,
				pingSentAt: undefined,
			};
			let socket: WebSocket;
			try {
				socket = new WebSocket(this.url());
			} catch (error) {
				resolve({
					opened: false,
					established: false,
					establishedMs: 0,
					delivered: 0,
					reason: `cannot connect: ${(error as Error).message}`,
				});
				return;
			}
			const finish = (reason: string) => {
				if (state.ended) return;
				state.ended = true;
				if (this.socket === socket) this.socket = undefined;
				if (this.finishCurrent === finish) this.finishCurrent = undefined;
				if (socket.readyState === socket.CONNECTING || socket.readyState === socket.OPEN) socket.close();
				resolve({
					opened: state.opened,
					established: state.established,
					establishedMs: state.established ? Date.now() - state.establishedAt : 0,
					delivered: state.delivered,
					reason,
				});
			};
			const markEstablished = () => {
				if (state.established) return;
				state.established = true;
				state.establishedAt = Date.now();
				if (this.options.onServerTime && !this.clockAsked && socket.readyState === socket.OPEN) {
					this.clockAsked = true;
					state.clockSeq = this.send(socket, state, 'ping');
				}
				onEstablished();
			};
			this.socket = socket;
			this.finishCurrent = finish;
			socket.binaryType = 'arraybuffer';
			socket.onopen = () => {
				state.opened = true;
				state.lastReceivedAt = Date.now();
				state.authSeq = this.send(socket, state, 'authentication_challenge', { token: this.options.token });
			};
			socket.onmessage = (message: MessageEvent) => {
				if (state.ended) return;
				state.lastReceivedAt = Date.now();
				state.pingSentAt = undefined;
				const text =
					typeof message.data === 'string' ? message.data : Buffer.from(message.data as ArrayBuffer).toString('utf8');
				this.receive(text, state, markEstablished, finish);
			};
			socket.onerror = (event: Event) => {
				// Usually a 'close' event follows, but not always (a refused handshake on Node 20).
				const detail = (event as Event & { message?: string }).message;
				finish(
					state.opened
						? `the connection failed${detail ? ` (${detail})` : ''}`
						: `the connection could not be opened${detail ? ` (${detail})` : ''}`,
				);
			};
			socket.onclose = (event: CloseEvent) => {
				const detail = event.reason ? `, ${event.reason}` : '';
				finish(
					state.opened
						? `the connection closed (code ${event.code}${detail})`
						: `the connection could not be opened (code ${event.code}${detail})`,
				);
			};
			const watching = this.watch(socket, state, finish);
			this.watches.add(watching);
			const forget = () => this.watches.delete(watching);
			void watching.then(forget, forget);
		});
	}

	private send(socket: WebSocket, state: AttemptState, action: string, data?: IDataObject): number {
		state.clientSeq += 1;
		socket.send(JSON.stringify({ seq: state.clientSeq, action, data }));
		return state.clientSeq;
	}

	/** Connect timeout while connecting, heartbeat once connected. */
	private async watch(socket: WebSocket, state: AttemptState, finish: (reason: string) => void): Promise<void> {
		const heartbeatMs = this.options.heartbeatMs;
		const slice = Math.max(50, Math.min(SLICE_MS, heartbeatMs / 4));
		while (!state.ended && !this.stopped) {
			await sleep(slice);
			if (state.ended || this.stopped) return;
			const now = Date.now();
			if (!state.established) {
				if (now - state.startedAt >= this.connectTimeoutMs) {
					finish(`no answer within ${Math.round(this.connectTimeoutMs / 1000)} s of connecting`);
				}
				continue;
			}
			if (state.pingSentAt !== undefined) {
				if (now - state.pingSentAt >= heartbeatMs) {
					finish(`no answer to the heartbeat for ${Math.round((now - state.lastReceivedAt) / 1000)} s`);
				}
			} else if (now - state.lastReceivedAt >= heartbeatMs && socket.readyState === socket.OPEN) {
				state.pingSentAt = now;
				this.send(socket, state, 'ping');
			}
		}
	}

	private receive(
		text: string,
		state: AttemptState,
		markEstablished: () => void,
		finish: (reason: string) => void,
	): void {
		let message: IDataObject;
		try {
			message = JSON.parse(text) as IDataObject;
		} catch (error) {
			this.options.logger.warn(`Mattermost WebSocket: ignored a message that is not JSON (${(error as Error).message})`);
			return;
		}
		if (!message || typeof message !== 'object') return;
		if (typeof message.seq_reply === 'number') {
			if (message.seq_reply === state.authSeq) {
				if (message.status === 'OK') markEstablished();
				else finish('Mattermost refused the access token on the WebSocket');
			} else if (message.seq_reply === state.clockSeq) {
				const serverTime = ((message.data ?? {}) as IDataObject).server_time;
				if (typeof serverTime === 'number' && serverTime > 0) this.options.onServerTime?.(serverTime);
			}
			return;
		}
		if (typeof message.event !== 'string') return;
		const seq = typeof message.seq === 'number' ? message.seq : undefined;
		if (message.event === 'hello') {
			const data = (message.data ?? {}) as IDataObject;
			const id = typeof data.connection_id === 'string' ? data.connection_id : '';
			if (id && id !== this.connectionId) {
				if (this.connectionId) {
					this.options.onGap(`the server could not resume connection ${this.connectionId} and opened ${id}`);
				}
				this.connectionId = id;
				this.expectedSeq = (seq ?? 0) + 1;
			}
			markEstablished();
			return;
		}
		if (seq !== undefined) {
			// Already handed on before the socket dropped: the server replays from what we asked.
			if (seq < this.expectedSeq) return;
			if (seq > this.expectedSeq) {
				this.options.onGap(`events ${this.expectedSeq} to ${seq - 1} of connection ${this.connectionId} never arrived`);
			}
			this.expectedSeq = seq + 1;
		}
		state.delivered += 1;
		this.options.onEvent(message as unknown as WebSocketEvent);
	}
}
