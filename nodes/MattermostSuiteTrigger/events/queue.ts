import type { IDataObject, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { postOfEvent } from './backfill';
import type { WebSocketEvent } from './stream';

/**
 * A gap is filled from this long before the newest post seen: events of different channels may
 * leave the server slightly out of create order. Posts fetched twice are dropped by id.
 */
const SINCE_MARGIN_MS = 5_000;

/** Far more posts than arrive within the margin, even at thousands per second. */
const REMEMBERED_POSTS = 20_000;

/**
 * Fetched posts created less than this before the new connection's `hello` (as n8n estimates the
 * server's clock) may also arrive on it, so they wait for their place among its events. Too long
 * only delays them; too short could put one after a newer post.
 */
const HELLO_SAFETY_MS = 1_000;

/** How long fetched posts wait for their event on the new connection when nothing else comes. */
const EXPECTED_WAIT_MS = 2_000;

const WAIT_SLICE_MS = 100;

/**
 * The posts the running trigger has seen (on the WebSocket or fetched back), so that each post
 * becomes one event at most, and the time from which posts may have been missed.
 */
export class PostLedger {
	private readonly seen = new Set<string>();

	private newestCreateAt = 0;

	/** The server's clock minus n8n's, once known. */
	private clockOffset: number | undefined;

	/** `connectedAt`: n8n's clock at activation, until the server tells its own. */
	constructor(private connectedAt: number) {}

	/** The server's clock when the trigger connected: posts older than that are not fetched back. */
	serverTime(serverTime: number): void {
		if (this.clockOffset !== undefined) return;
		this.clockOffset = serverTime - Date.now();
		this.connectedAt = serverTime;
	}

	/** The server's clock now, as far as n8n can tell. */
	serverNow(): number | undefined {
		return this.clockOffset === undefined ? undefined : Date.now() + this.clockOffset;
	}

	/** Whether the trigger has seen the post. */
	knows(post: IDataObject | undefined): boolean {
		return typeof post?.id === 'string' && this.seen.has(post.id);
	}

	/** Whether the post is new to the trigger; from now on it is not. */
	claim(post: IDataObject | undefined): boolean {
		const id = typeof post?.id === 'string' ? post.id : '';
		if (!id) return true;
		const createAt = Number(post?.create_at);
		if (Number.isFinite(createAt)) this.newestCreateAt = Math.max(this.newestCreateAt, createAt);
		if (this.seen.has(id)) return false;
		this.seen.add(id);
		if (this.seen.size > REMEMBERED_POSTS) this.seen.delete(this.seen.values().next().value as string);
		return true;
	}

	/** Posts created after this time (server clock, ms) may not have been seen. */
	since(): number {
		return Math.max(this.connectedAt, this.newestCreateAt - SINCE_MARGIN_MS);
	}
}

interface Gap {
	reason: string;
	since: number;
	/**
	 * Fetched posts created after this (server clock) may also arrive on the new connection:
	 * somewhat before its `hello`, or the first post it delivered if that is older.
	 */
	liveFrom: number;
}

type Entry = { event: WebSocketEvent } | { gap: Gap };

export interface EventQueueOptions {
	logger: Logger;
	/** Turns one event into an item (or not); called for one event at a time. */
	handle: (event: WebSocketEvent) => Promise<void>;
	/**
	 * Fetches what a gap lost and passes it to `emit` (posts oldest first; `emit` answers how many
	 * were new), and logs what may be missing.
	 */
	fillGap: (gap: Gap, emit: (events: WebSocketEvent[]) => Promise<number>) => Promise<void>;
	/** n8n's clock at activation. */
	startedAt: number;
}

function createAtOf(event: WebSocketEvent): number {
	return Number(postOfEvent(event)?.create_at ?? Number.NaN);
}

/**
 * The events of one running trigger, handled one at a time in the server's order, each post once
 * and in create order. A gap (the server could not resume) is filled from REST before the events
 * that followed it. The fetched posts are merged with what the new connection delivers: those
 * older than its `hello` go out at once; newer ones wait for their own event and go out from the
 * fetch only when a newer post comes first, or nothing comes for a while.
 */
export class EventQueue {
	private readonly ledger: PostLedger;

	private readonly pending: Entry[] = [];

	private draining: Promise<void> | undefined;

	private lastGap: Gap | undefined;

	/** Fetched posts that should also arrive on the new connection, oldest first. */
	private expected: WebSocketEvent[] = [];

	private closing = false;

	constructor(private readonly options: EventQueueOptions) {
		this.ledger = new PostLedger(options.startedAt);
	}

	event(event: WebSocketEvent): void {
		if (event.event === 'posted') {
			const post = postOfEvent(event);
			// A post fetched back after a gap may still arrive on the new connection.
			if (!this.ledger.claim(post)) return;
			const createAt = Number(post?.create_at);
			if (this.lastGap && createAt < this.lastGap.liveFrom) this.lastGap.liveFrom = createAt;
		}
		this.push({ event });
	}

	gap(reason: string): void {
		// Without the server's clock every fetched post waits for its place.
		const serverNow = this.ledger.serverNow();
		this.lastGap = {
			reason,
			since: this.ledger.since(),
			liveFrom: serverNow === undefined ? Number.NEGATIVE_INFINITY : serverNow - HELLO_SAFETY_MS,
		};
		this.push({ gap: this.lastGap });
	}

	serverTime(serverTime: number): void {
		this.ledger.serverTime(serverTime);
	}

	/** Hands on what is left without waiting; resolves when everything received was handled. */
	async close(): Promise<void> {
		this.closing = true;
		await this.draining;
	}

	private push(entry: Entry): void {
		this.pending.push(entry);
		this.draining ??= this.drain();
	}

	private async drain(): Promise<void> {
		for (;;) {
			const entry = this.pending.shift();
			if (entry) {
				await this.process(entry);
				continue;
			}
			if (this.expected.length === 0) break;
			await this.waitForEvents();
			if (this.pending.length === 0) await this.emitExpected(Number.POSITIVE_INFINITY);
		}
		// Cleared in the same turn as the last check, so a push never finds a finished drain.
		this.draining = undefined;
	}

	private async waitForEvents(): Promise<void> {
		for (let waited = 0; waited < EXPECTED_WAIT_MS && this.pending.length === 0 && !this.closing; waited += WAIT_SLICE_MS) {
			await sleep(WAIT_SLICE_MS);
		}
	}

	private async process(entry: Entry): Promise<void> {
		try {
			if ('event' in entry) {
				await this.handleLive(entry.event);
				return;
			}
			// The fill fetches the newer ones again.
			await this.emitExpected(entry.gap.since + 1);
			this.expected = [];
			await this.options.fillGap(entry.gap, async (events) => await this.emitFetched(entry.gap, events));
		} catch (error) {
			const what = 'event' in entry ? `a "${entry.event.event}" event` : 'the posts missed during a reconnect';
			this.options.logger.error(`Mattermost Suite Trigger could not handle ${what}: ${(error as Error).message}`);
		}
	}

	private async handleLive(event: WebSocketEvent): Promise<void> {
		if (event.event === 'posted') await this.emitExpected(createAtOf(event));
		await this.options.handle(event);
	}

	/** Hands on the expected posts created before `before` that did not arrive after all. */
	private async emitExpected(before: number): Promise<void> {
		while (this.expected.length > 0 && createAtOf(this.expected[0]) < before) {
			const event = this.expected.shift()!;
			if (this.ledger.claim(postOfEvent(event))) await this.options.handle(event);
		}
	}

	/**
	 * Hands on the fetched posts not seen yet that are older than the new connection; expects the
	 * others (they go out before the first newer post it delivers). Returns how many are new.
	 */
	private async emitFetched(gap: Gap, events: WebSocketEvent[]): Promise<number> {
		let count = 0;
		for (const event of events) {
			const post = postOfEvent(event);
			if (this.ledger.knows(post)) continue;
			count += 1;
			if (createAtOf(event) > gap.liveFrom) this.expected.push(event);
			else if (this.ledger.claim(post)) await this.options.handle(event);
		}
		return count;
	}
}
