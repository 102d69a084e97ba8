/**
 * Events (WebSocket) under load with forced drops: posts arrive at 300 per second in two channels
 * while the fake cuts the socket; some drops also refuse reconnects long enough for more than the
 * 128 events Mattermost keeps per connection, so the server cannot resume and the trigger must
 * fetch the missed posts back. Every post must become exactly one item, in create order.
 * MM_SUITE_FULL_FAULTS=1 (set by .ci/run) sends 1,000 posts; `npm test` sends 400.
 */
import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { type ActiveTrigger, activateTrigger, captureLogs, waitFor } from './harness';
import { credentialType, credentialsFor, useFakeMattermost } from './support';

if (typeof WebSocket !== 'function') {
	throw new Error('These tests need the global WebSocket: Node 22+, or Node 20 with NODE_OPTIONS=--experimental-websocket');
}

const FULL = process.env.MM_SUITE_FULL_FAULTS === '1';
const POSTS = FULL ? 1000 : 400;
const PER_SECOND = 300;
/** Posts sent while reconnects are refused: well over the 128 events of the resume queue. */
const HELD_POSTS = 200;

const fake = useFakeMattermost();
const logs = captureLogs();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts alternately in two channels at PER_SECOND; `sent` holds the post ids in create order. */
function loadGenerator() {
	const { mm, seed } = fake;
	const channels = [seed.channels.townSquare.id, seed.channels.offTopic.id];
	const authors = [seed.alice.id, seed.bob.id];
	const sent: string[] = [];
	/** Sends at PER_SECOND until `total` posts were sent. */
	const sendUntil = async (total: number) => {
		const startedAt = Date.now();
		const from = sent.length;
		while (sent.length < total) {
			const due = Math.min(total, from + Math.ceil(((Date.now() - startedAt + 10) * PER_SECOND) / 1000));
			while (sent.length < due) {
				const n = sent.length;
				sent.push(mm.createPost({ channel_id: channels[n % 2], user_id: authors[n % 2], message: `load ${n}` }).id);
			}
			await sleep(10);
		}
	};
	return { sent, sendUntil };
}

/** Connection ids the fake held before the test's trigger connected. */
let sessionsBefore = 0;

async function listen() {
	const { mm, seed } = fake;
	mm.clearRequests();
	logs.splice(0);
	sessionsBefore = mm.webSocket.sessions.size;
	return await activateTrigger({
		nodeType: new MattermostSuiteTrigger(),
		parameters: { source: 'events', events: ['posted'] } as any,
		credentials: credentialsFor(mm, seed.tokens.bot),
		credentialTypes: [credentialType],
	});
}

/** Counts what came out against what was sent, prints the figures, and checks each post came once, in order. */
async function expectEachPostOnce(title: string, trigger: ActiveTrigger, sent: string[]) {
	const { mm } = fake;
	await trigger.waitForItems(sent.length, 30_000).catch(() => undefined);
	await sleep(500);
	const emitted = trigger.items.map((item) => (item.json.post as any).id as string);
	const counts = new Map<string, number>();
	for (const id of emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
	const lost = sent.filter((id) => !counts.has(id)).length;
	const doubled = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
	const backfilled = trigger.items.filter((item) => item.json.backfilled === true).length;
	const connectionIds = mm.webSocket.sessions.size - sessionsBefore;
	const upgrades = mm.requests.filter((r: any) => r.path === '/api/v4/websocket').length;
	const refused = logs.filter((l) => /could not be opened/.test(l.message)).length;
	console.log(
		`${title}: sent ${sent.length}, emitted ${emitted.length}, lost ${lost}, doubled ${doubled} ` +
			`(fetched back ${backfilled}; ${upgrades} WebSocket upgrades, ${connectionIds} connection ids, ${refused} refused reconnects)`,
	);
	expect({ sent: sent.length, emitted: emitted.length, lost, doubled }).toEqual({
		sent: sent.length,
		emitted: sent.length,
		lost: 0,
		doubled: 0,
	});
	expect(emitted).toEqual(sent);
	expect(logs.filter((l) => /may have been missed/.test(l.message))).toEqual([]);
	return { backfilled };
}

describe('Events (WebSocket) under load with forced drops', () => {
	const active: ActiveTrigger[] = [];
	afterEach(async () => {
		for (const trigger of active.splice(0)) await trigger.close();
		fake.mm.releaseWebSockets();
		fake.mm.clearFaults();
	});

	it(`${POSTS} posts at ${PER_SECOND}/s, 3 drops (one past the resume queue): every post emitted exactly once, in order`, async () => {
		const { mm } = fake;
		const trigger = await listen();
		active.push(trigger);
		const { sent, sendUntil } = loadGenerator();

		const share = (POSTS - HELD_POSTS) / 6;
		await sendUntil(2 * share);
		mm.dropWebSockets();
		await sendUntil(4 * share);
		mm.dropWebSockets({ hold: true });
		const heldFrom = sent.length;
		await sendUntil(4 * share + HELD_POSTS);
		mm.releaseWebSockets();
		await sendUntil(5 * share + HELD_POSTS);
		// The third drop must hit an established connection (after the hold it may still be backing off).
		await waitFor(() => mm.webSocketConnections.length === 1, 10_000);
		mm.dropWebSockets();
		await sendUntil(POSTS);

		const { backfilled } = await expectEachPostOnce('Events under load', trigger, sent);
		// The held drop was a real overflow: the server opened a new connection, and the posts of
		// the outage came over REST.
		expect(mm.webSocket.sessions.size - sessionsBefore).toBeGreaterThanOrEqual(2);
		expect(backfilled).toBeGreaterThan(128);
		expect(trigger.items.slice(heldFrom, heldFrom + HELD_POSTS).every((item) => item.json.backfilled === true)).toBe(true);
		await waitFor(() => mm.webSocketConnections.length === 1);
	}, 120_000);

	it('a second long drop while the first gap is still being fetched: each post once, in order', async () => {
		const { mm } = fake;
		const trigger = await listen();
		active.push(trigger);
		const { sent, sendUntil } = loadGenerator();

		await sendUntil(100);
		mm.dropWebSockets({ hold: true });
		await sendUntil(100 + HELD_POSTS);
		// The first gap's fill waits on a slow answer while the next outage happens.
		mm.addFault({ method: 'GET', path: '/api/v4/users/me/channels', delayMs: 1500, times: 1 });
		mm.releaseWebSockets();
		await waitFor(() => mm.webSocketConnections.length === 1, 10_000);
		await sendUntil(sent.length + 30);
		mm.dropWebSockets({ hold: true });
		await sendUntil(sent.length + HELD_POSTS);
		mm.releaseWebSockets();
		await waitFor(() => mm.webSocketConnections.length === 1, 10_000);
		await sendUntil(sent.length + 60);

		await expectEachPostOnce('Overlapping gaps', trigger, sent);
		expect(logs.filter((l) => /could not resume connection/.test(l.message))).toHaveLength(2);
	}, 120_000);
});
