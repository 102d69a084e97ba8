/**
 * Mattermost Suite Trigger, Events with Options > Batch Events: one emit (one execution) carries
 * many events, one item each, in order, none lost or doubled, also across a reconnect that the
 * server could not resume (posts fetched back). Compared item for item with a trigger without
 * batching that listens at the same time. No test asserts a time: only what was emitted.
 */
import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { type ActiveTrigger, activateTrigger, captureLogs, runTriggerManually, waitFor } from './harness';
import { credentialType, credentialsFor, useFakeMattermost } from './support';

if (typeof WebSocket !== 'function') {
	throw new Error('These tests need the global WebSocket: Node 22+, or Node 20 with NODE_OPTIONS=--experimental-websocket');
}

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const logs = captureLogs();

const active: ActiveTrigger[] = [];
afterEach(async () => {
	for (const trigger of active.splice(0)) await trigger.close();
	logs.splice(0);
});

async function listen(eventsOptions: Record<string, unknown>, options: { runWorkflow?: boolean } = {}) {
	const trigger = await activateTrigger({
		nodeType,
		parameters: { source: 'events', events: ['posted'], eventsOptions } as any,
		credentials: credentialsFor(fake.mm, fake.seed.tokens.bot),
		credentialTypes: [credentialType],
		runWorkflow: options.runWorkflow,
	});
	active.push(trigger);
	return trigger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messages = (trigger: ActiveTrigger) => trigger.items.map((item) => (item.json.post as any)?.message);
const batchSizes = (trigger: ActiveTrigger) => trigger.emitted.map((data) => data[0].length);

describe('Events with Batch Events', () => {
	it('1,000 events in batches of at most 50: in order, none lost or doubled, items as without batching, also after a gap filled from REST', async () => {
		const { mm, seed } = fake;
		const single = await listen({});
		const batched = await listen({ batchEvents: true, batchSize: 50, batchMaxWaitMs: 200 });
		let next = 0;
		const post = (count: number) => {
			for (let i = 0; i < count; i++) {
				mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: `event ${next++}` });
			}
		};
		post(400);
		await batched.waitForItems(400, 30_000);
		// Down long enough for more than the 128 events Mattermost keeps: the server cannot resume.
		mm.dropWebSockets({ hold: true });
		post(200);
		mm.releaseWebSockets();
		await waitFor(() => mm.webSocketConnections.length === 2, 10_000);
		post(400);
		await batched.waitForItems(1000, 30_000);
		await single.waitForItems(1000, 30_000);
		await sleep(500);

		expect(messages(batched)).toEqual(Array.from({ length: 1000 }, (_, i) => `event ${i}`));
		expect(batched.items.filter((item) => item.json.backfilled === true).length).toBeGreaterThanOrEqual(128);
		// The same items as one execution per event, in the same order.
		expect(batched.items.map((item) => item.json)).toEqual(single.items.map((item) => item.json));
		expect(batchSizes(single).every((size) => size === 1)).toBe(true);
		// Many events per emit, never more than the maximum.
		expect(Math.max(...batchSizes(batched))).toBeLessThanOrEqual(50);
		expect(batched.emitted.length).toBeLessThan(200);
		expect(batched.errors).toEqual([]);
	}, 90_000);

	it('a batch that is not full goes out after Max Wait, without further events', async () => {
		const { mm, seed } = fake;
		const trigger = await listen({ batchEvents: true, batchSize: 100, batchMaxWaitMs: 300 });
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'alone' });
		await trigger.waitForItems(1, 10_000);
		mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.alice.id, message: 'later' });
		await trigger.waitForItems(2, 10_000);
		expect(messages(trigger)).toEqual(['alone', 'later']);
		expect(batchSizes(trigger)).toEqual([1, 1]);
	});

	it('waits for the batch to fill, and deactivation hands on what it holds', async () => {
		const { mm, seed } = fake;
		const trigger = await listen({ batchEvents: true, batchSize: 5, batchMaxWaitMs: 600_000 }, { runWorkflow: true });
		for (let i = 0; i < 7; i++) mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: `m${i}` });
		await trigger.waitForItems(5, 10_000);
		// The last two wait for three more events (or ten minutes).
		await sleep(500);
		expect(batchSizes(trigger)).toEqual([5]);
		await trigger.close();
		expect(batchSizes(trigger)).toEqual([5, 2]);
		expect(messages(trigger)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
		// One execution per batch, the batch's items its trigger output.
		await waitFor(() => trigger.runs.length === 2);
		const outputs = trigger.runs.map((run) => run.data.resultData.runData['Mattermost Suite Trigger'][0].data!.main[0]!.map((item) => (item.json.post as any).message));
		expect(outputs.sort((a, b) => a.length - b.length)).toEqual([['m5', 'm6'], ['m0', 'm1', 'm2', 'm3', 'm4']]);
	});

	it('manual mode returns the first batch', async () => {
		const { mm, seed } = fake;
		const run = runTriggerManually({
			nodeType,
			parameters: { source: 'events', events: ['posted'], eventsOptions: { batchEvents: true, batchSize: 3, batchMaxWaitMs: 60_000 } } as any,
			credentials: credentialsFor(mm, seed.tokens.bot),
			credentialTypes: [credentialType],
		});
		await waitFor(() => mm.webSocketConnections.length === 1);
		for (let i = 0; i < 4; i++) mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: `test ${i}` });
		const result = await run;
		expect(result.error).toBeUndefined();
		expect(result.output![0].map((item) => (item.json.post as any).message)).toEqual(['test 0', 'test 1', 'test 2']);
		await waitFor(() => mm.webSocketConnections.length === 0, 5000);
	});

	it('activation fails with a clear error on a batch size below 1 or a negative wait', async () => {
		await expect(listen({ batchEvents: true, batchSize: 0 })).rejects.toMatchObject({
			message: expect.stringContaining('Max Events per Execution must be a whole number of 1 or more, not "0"'),
		});
		await expect(listen({ batchEvents: true, batchMaxWaitMs: -5 })).rejects.toMatchObject({
			message: expect.stringContaining('Max Wait (Milliseconds) must be 0 or more, not "-5"'),
		});
		// Off: the batch options are not read.
		await expect(listen({ batchEvents: false, batchSize: 0 })).resolves.toBeDefined();
	});
});
