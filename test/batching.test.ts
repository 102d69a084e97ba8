/**
 * Request Options > Batching: items side by side, answers in input order, errors per item, and
 * one rate limit shared by every request in flight.
 */
import type { IDataObject } from 'n8n-workflow';

import { TestCredentialsHelper } from './harness/credentials-helper';
import { byId, runInWorkflow, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const batching = (batchSize: number) => ({ batching: { batch: { batchSize } } });
const postFromItem = (channelId: string, extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'post',
	channelId: byId(channelId),
	message: '={{ $json.text }}',
	requestOptions: { ...batching(8), ...extra },
});

function newChannel(name: string) {
	const { mm, seed } = fake;
	const channel = mm.createChannel({ team_id: seed.team.id, name, display_name: name });
	mm.addChannelMember(channel.id, seed.bot.id);
	return channel.id as string;
}

const texts = (tag: string, count: number) => Array.from({ length: count }, (_, n) => ({ json: { text: `${tag} ${n}` } }));

describe('Items per Batch 8', () => {
	it('sends items side by side, and the output keeps input order and pairedItem', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-order');
		// Item 0's first answer is slow (a 503 after 300 ms, then a retry): the other lanes go on.
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 503, delayMs: 300, times: 1 });
		mm.setRandomSeed(7);
		mm.addFault({ method: 'POST', path: '/api/v4/posts', delayMs: 15, probability: 0.5, times: Infinity });
		try {
			const output = await runNode(mm, postFromItem(channelId), { token: seed.tokens.bot, items: texts('order', 40) });
			const stored = mm.postsIn(channelId).map((post: any) => post.message);
			// Sent side by side: item 0 landed after items the lanes sent while it waited.
			expect(stored.indexOf('order 0')).toBeGreaterThan(stored.indexOf('order 7'));
			expect([...stored].sort()).toEqual(texts('order', 40).map((item) => item.json.text).sort());
			expect(output.map((item: any) => item.json.message)).toEqual(texts('order', 40).map((item) => item.json.text));
			expect(output.map((item: any) => item.pairedItem)).toEqual(Array.from({ length: 40 }, (_, n) => ({ item: n })));
		} finally {
			mm.clearFaults();
		}
	});

	const MISSING = 'abcdefghijklmnopqrstuvwxyz';
	const mixed = (channelId: string, tag: string) =>
		Array.from({ length: 20 }, (_, n) => ({
			json: { channel: n % 5 === 2 ? MISSING : channelId, text: `${tag} ${n}` },
		}));
	const failing = (n: number) => n % 5 === 2;

	it('continueOnFail: an error item for each failed item, in place', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-continue');
		const output = await runNode(
			mm,
			{ ...postFromItem(channelId), channelId: byId('={{ $json.channel }}') },
			{ token: seed.tokens.bot, continueOnFail: true, items: mixed(channelId, 'continue') },
		);
		expect(output).toHaveLength(20);
		output.forEach((item: any, n: number) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (failing(n)) expect(item.json).toMatchObject({ error: 'Unable to find the existing channel.', itemIndex: n });
			else expect(item.json.message).toBe(`continue ${n}`);
		});
		expect(mm.postsIn(channelId)).toHaveLength(16);
	});

	it('Continue (using error output): failed items leave on output 1, each with its index', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-error-output');
		const result = await runInWorkflow(
			mm,
			{ ...postFromItem(channelId), channelId: byId('={{ $json.channel }}') },
			{ token: seed.tokens.bot, onError: 'continueErrorOutput', receivers: 2, items: mixed(channelId, 'split') },
		);
		expect(result.error).toBeUndefined();
		const indexes = Array.from({ length: 20 }, (_, n) => n);
		const [success, failure] = result.output!;
		expect(success.map((item) => item.pairedItem)).toEqual(indexes.filter((n) => !failing(n)).map((item) => ({ item })));
		expect(success.map((item) => item.json.message)).toEqual(indexes.filter((n) => !failing(n)).map((n) => `split ${n}`));
		expect(failure.map((item) => item.pairedItem)).toEqual(indexes.filter(failing).map((item) => ({ item })));
		expect(failure.map((item) => (item.json.error as IDataObject).itemIndex)).toEqual(indexes.filter(failing));
	});

	it('without continueOnFail, the run fails with the first failed item and starts no item after the batch', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-stop');
		const error = await runNode(
			mm,
			{ ...postFromItem(channelId), channelId: byId('={{ $json.channel }}') },
			{ token: seed.tokens.bot, items: mixed(channelId, 'stop') },
		).catch((thrown: unknown) => thrown);
		expect(error).toMatchObject({ context: { itemIndex: 2 } });
		// Items 0-7 were under way when item 2 failed; the lanes start nothing more.
		expect(mm.postsIn(channelId).length).toBeLessThanOrEqual(8);
	});

	it('a 429 storm: every lane waits for Retry-After, no request goes out meanwhile, each item posts once', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-storm');
		const ITEMS = 96;
		// Requests 17 to 19 are refused with Retry-After: 2, the other lanes could go on; every answer takes 40 ms.
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 429, headers: { 'Retry-After': '2' }, times: 3, afterRequests: 16 });
		mm.addFault({ method: 'POST', path: '/api/v4/posts', delayMs: 40, times: Infinity });
		mm.clearRequests();
		try {
			const output = await runNode(mm, postFromItem(channelId), { token: seed.tokens.bot, items: texts('storm', ITEMS) });
			const refused = mm.faults[0].hits;
			const sent = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
			const firstRefusal = sent[16].time;
			// What the server saw after the first refusal and before the Retry-After ran out: only what the
			// other 7 lanes had sent before they learned of the 429 (on a loaded machine such a request may
			// arrive late, which is no herd); everything else waited.
			const duringWait = sent.filter((r: any) => r.time > firstRefusal && r.time < firstRefusal + 1900).length;
			console.log(`429 storm: ${ITEMS} items, 8 in flight, ${refused} refused, ${sent.length} requests, ${duringWait} during the first wait`);

			expect(refused).toBe(3);
			expect(duringWait).toBeLessThanOrEqual(7);
			expect(sent).toHaveLength(ITEMS + refused);
			const stored = mm.postsIn(channelId).map((post: any) => post.message);
			expect([...stored].sort()).toEqual(texts('storm', ITEMS).map((item) => item.json.text).sort());
			expect(output.map((item: any) => item.json.message)).toEqual(texts('storm', ITEMS).map((item) => item.json.text));
		} finally {
			mm.clearFaults();
		}
	}, 60_000);

	it('keeps under X-RateLimit-Remaining: with none left, no lane sends before X-RateLimit-Reset', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('batch-remaining');
		// The 9th answer says the budget is spent for two seconds; every answer takes 40 ms.
		mm.addFault({
			method: 'POST',
			path: '/api/v4/posts',
			delayMs: 40,
			headers: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '2' },
			times: 1,
			afterRequests: 8,
		});
		mm.addFault({ method: 'POST', path: '/api/v4/posts', delayMs: 40, times: Infinity });
		mm.clearRequests();
		try {
			const output = await runNode(mm, postFromItem(channelId), { token: seed.tokens.bot, items: texts('remaining', 64) });
			const sent = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
			// The spent budget is known once the 9th answer is in, 40 ms after it arrived.
			const spentAt = sent[8].time + 40;
			// As in the 429 storm above: only what the other 7 lanes had in flight.
			const duringReset = sent.filter((r: any) => r.time > spentAt && r.time < spentAt + 1900).length;
			console.log(`X-RateLimit-Remaining 0: ${sent.length} requests, ${duringReset} before the reset`);

			expect(duringReset).toBeLessThanOrEqual(7);
			expect(sent).toHaveLength(64);
			expect(output.map((item: any) => item.json.message)).toEqual(texts('remaining', 64).map((item) => item.json.text));
		} finally {
			mm.clearFaults();
		}
	}, 60_000);
});

describe('the credential', () => {
	it('is read and checked once per execution by our transport; n8n reads it once per request to sign it', async () => {
		const { mm, seed } = fake;
		const channelId = newChannel('credential-reads');
		const reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		try {
			await runNode(mm, postFromItem(channelId, batching(1)), { token: seed.tokens.bot, items: texts('reads', 10) });
			expect(mm.postsIn(channelId)).toHaveLength(10);
			expect(reads).toHaveBeenCalledTimes(10 + 1);
			reads.mockClear();
			// A second execution reads it again: nothing is kept between executions.
			await runNode(mm, postFromItem(channelId, batching(8)), { token: seed.tokens.bot, items: texts('again', 10) });
			expect(reads).toHaveBeenCalledTimes(10 + 1);
		} finally {
			reads.mockRestore();
		}
	});

	it('a credential that cannot be used fails each item with its own index, 8 in flight', async () => {
		const { mm, seed } = fake;
		const output = await runNode(mm, postFromItem(seed.channels.townSquare.id), {
			token: seed.tokens.bot,
			continueOnFail: true,
			credentials: { baseUrl: 'not a url at all' },
			items: texts('bad credential', 12),
		});
		expect(output.map((item: any) => item.json.itemIndex)).toEqual(Array.from({ length: 12 }, (_, n) => n));
		for (const item of output) expect(item.json.error).toMatch(/Base URL of the Mattermost credential is not a valid/);
		const error = await runNode(mm, postFromItem(seed.channels.townSquare.id), {
			token: seed.tokens.bot,
			credentials: { baseUrl: 'not a url at all' },
			items: texts('bad credential', 12),
		}).catch((thrown: unknown) => thrown);
		expect(error).toMatchObject({ context: { itemIndex: 0 } });
	});
});

describe('per-execution state', () => {
	it('goes with the execution: nothing keeps the rate limiter of a finished run alive', async () => {
		const { mm, seed } = fake;
		const perExecution = require('../nodes/MattermostSuite/transport/perExecution');
		const original = perExecution.rateLimiterOf;
		let limiter: WeakRef<object> | undefined;
		perExecution.rateLimiterOf = (...args: unknown[]) => {
			const made = original(...args);
			limiter ??= new WeakRef(made);
			return made;
		};
		try {
			await runNode(mm, postFromItem(seed.channels.townSquare.id), { token: seed.tokens.bot, items: texts('collected', 4) });
		} finally {
			perExecution.rateLimiterOf = original;
		}
		expect(limiter?.deref()).toBeDefined();
		require('v8').setFlagsFromString('--expose-gc');
		const gc = require('vm').runInNewContext('gc') as () => void;
		for (let round = 0; round < 10 && limiter?.deref(); round++) {
			await new Promise((resolve) => setImmediate(resolve));
			gc();
		}
		expect(limiter?.deref()).toBeUndefined();
	});
});
