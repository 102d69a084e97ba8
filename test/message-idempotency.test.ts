import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const KEY_PROP = 'n8n_idempotency_key';
const HOUR = 3_600_000;

let channelCount = 0;
/** A fresh channel with the bot and alice in it, so each test counts only its own posts. */
function freshChannel() {
	const { mm, seed } = fake;
	channelCount += 1;
	const channel = mm.createChannel({
		team_id: seed.team.id,
		name: `idem-${channelCount}`,
		display_name: `Idem ${channelCount}`,
		type: 'O',
		creator_id: seed.admin.id,
	});
	for (const user of [seed.admin, seed.bot, seed.alice]) fake.mm.addChannelMember(channel.id, user.id);
	return channel;
}

const itemsFor = (ids: string[], extra: Record<string, unknown> = {}): INodeExecutionData[] =>
	ids.map((id) => ({ json: { id, text: `order ${id}`, ...extra } }));

const postParameters = (channelId: string, options: Record<string, unknown> = {}): INodeParameters => ({
	resource: 'message',
	operation: 'post',
	channelId: byId(channelId),
	message: '={{ $json.text }}',
	options: { idempotencyKey: '={{ $json.id }}', ...options } as INodeParameters,
});

const createRequests = () => fake.mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
const channelReads = (channelId: string) =>
	fake.mm.requests.filter((r: any) => r.method === 'GET' && r.path === `/api/v4/channels/${channelId}/posts`);

/** The keys of the channel's posts, one entry per post. */
const keysIn = (channelId: string): string[] =>
	fake.mm.postsIn(channelId).map((post: any) => post.props?.[KEY_PROP]).filter((key: unknown) => key !== undefined).sort();

/** One read of the channel's posts since the window start: an answer below the server's cap of 1000 is complete. */
function expectOneRead(channelId: string) {
	expect(channelReads(channelId)).toHaveLength(1);
}

const ids = (count: number, prefix = 'order') => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

describe('Message > Post: Idempotency Key', () => {
	it('posts each key once; the same run again posts nothing and returns the existing posts marked reused', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		const keys = ids(12);

		mm.clearRequests();
		const first = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(keys) });
		expect(createRequests()).toHaveLength(12);
		expect(createRequests().map((r: any) => r.body.props[KEY_PROP])).toEqual(keys);
		expect(first.map((item: any) => item.json.reused)).toEqual(keys.map(() => false));
		expect(first.map((item: any) => item.json.props[KEY_PROP])).toEqual(keys);
		expect(keysIn(channel.id)).toEqual([...keys].sort());
		expectOneRead(channel.id);
		expect(Number(channelReads(channel.id)[0].query.since)).toBeGreaterThan(Date.now() - 24 * HOUR - 60_000);

		mm.clearRequests();
		const again = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(keys) });
		expect(createRequests()).toHaveLength(0);
		expectOneRead(channel.id);
		expect(again.map((item: any) => item.json.reused)).toEqual(keys.map(() => true));
		expect(again.map((item: any) => item.json.id)).toEqual(first.map((item: any) => item.json.id));
		expect(again.map((item: any) => item.pairedItem)).toEqual(keys.map((_, item) => ({ item })));
		expect(keysIn(channel.id)).toEqual([...keys].sort());
	});

	it('after a run that stopped half way, the whole input again completes it: exactly N posts, none twice', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		const keys = ids(40);

		// The "crash": the server refuses every create after the 17th, and the run stops there.
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 403, times: Infinity, afterRequests: 17 });
		await expect(
			runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(keys) }),
		).rejects.toThrow();
		mm.clearFaults();
		expect(keysIn(channel.id)).toEqual([...keys.slice(0, 17)].sort());

		mm.clearRequests();
		const rerun = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(keys) });
		expect(createRequests()).toHaveLength(23);
		expect(rerun.filter((item: any) => item.json.reused)).toHaveLength(17);
		expect(keysIn(channel.id)).toEqual([...keys].sort());
		expect(new Set(keysIn(channel.id)).size).toBe(40);
	});

	it('posts once per key within one run; the others return that post', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();

		mm.clearRequests();
		const items = await runNode(mm, postParameters(channel.id), {
			token: seed.tokens.bot,
			items: itemsFor(['a', 'b', 'a', 'c', 'b', 'a']),
		});
		expect(createRequests()).toHaveLength(3);
		expect(items.map((item: any) => item.json.reused)).toEqual([false, false, true, false, true, true]);
		expect(items[2].json.id).toBe(items[0].json.id);
		expect(items[4].json.id).toBe(items[1].json.id);
		expect(keysIn(channel.id)).toEqual(['a', 'b', 'c']);
	});

	it('keys are per channel, and one read per channel per execution', async () => {
		const { mm, seed } = fake;
		const north = freshChannel();
		const south = freshChannel();
		const input = [
			...itemsFor(['k1', 'k2'], { channel: north.id }),
			...itemsFor(['k1', 'k2'], { channel: south.id }),
			...itemsFor(['k1'], { channel: north.id }),
		];
		const parameters = { ...postParameters(north.id), channelId: { __rl: true, mode: 'id', value: '={{ $json.channel }}' } };

		mm.clearRequests();
		const items = await runNode(mm, parameters, { token: seed.tokens.bot, items: input });
		expect(items.map((item: any) => item.json.reused)).toEqual([false, false, false, false, true]);
		expect(keysIn(north.id)).toEqual(['k1', 'k2']);
		expect(keysIn(south.id)).toEqual(['k1', 'k2']);
		expectOneRead(north.id);
		expectOneRead(south.id);

		mm.clearRequests();
		await runNode(mm, parameters, { token: seed.tokens.bot, items: input });
		expect(createRequests()).toHaveLength(0);
		expectOneRead(north.id);
		expectOneRead(south.id);
	});

	it('a post older than the look-back window, or deleted, is not matched', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		const now = Date.now();
		mm.createPost({
			channel_id: channel.id,
			user_id: seed.bot.id,
			message: 'two days ago',
			props: { [KEY_PROP]: 'old' },
			create_at: now - 48 * HOUR,
		});
		const recent = mm.createPost({
			channel_id: channel.id,
			user_id: seed.bot.id,
			message: 'five hours ago',
			props: { [KEY_PROP]: 'recent' },
			create_at: now - 5 * HOUR,
		});
		const deleted = mm.createPost({
			channel_id: channel.id,
			user_id: seed.bot.id,
			message: 'deleted an hour ago',
			props: { [KEY_PROP]: 'deleted' },
			create_at: now - 2 * HOUR,
		});
		Object.assign(mm.state.posts.get(deleted.id), { delete_at: now - HOUR, update_at: now - HOUR });

		mm.clearRequests();
		const items = await runNode(mm, postParameters(channel.id), {
			token: seed.tokens.bot,
			items: itemsFor(['old', 'recent', 'deleted']),
		});
		expect(items.map((item: any) => item.json.reused)).toEqual([false, true, false]);
		expect(items[1].json.id).toBe(recent.id);
		expect(createRequests()).toHaveLength(2);
		expect(keysIn(channel.id)).toEqual(['deleted', 'old', 'old', 'recent']);

		// A shorter window leaves the five-hour-old post out too.
		mm.clearRequests();
		const narrow = await runNode(mm, postParameters(channel.id, { lookBackHours: 4 }), {
			token: seed.tokens.bot,
			items: itemsFor(['recent']),
		});
		expect(narrow[0].json.reused).toBe(false);
		expect(Number(channelReads(channel.id)[0].query.since)).toBeGreaterThan(now - 5 * HOUR);
	});

	it('works for Send Direct Message and Send Group Message', async () => {
		const { mm, seed } = fake;
		const direct = {
			resource: 'message',
			operation: 'sendDirectMessage',
			userId: byId(seed.alice.id),
			message: '={{ $json.text }}',
			options: { idempotencyKey: '={{ $json.id }}' },
		};
		const group = {
			resource: 'message',
			operation: 'sendGroupMessage',
			users: 'alice, bob',
			message: '={{ $json.text }}',
			options: { idempotencyKey: '={{ $json.id }}' },
		};
		const keys = ['dm-1', 'dm-2', 'dm-1'];
		for (const parameters of [direct, group]) {
			mm.clearRequests();
			const first = await runNode(mm, parameters, { token: seed.tokens.bot, items: itemsFor(keys) });
			expect(first.map((item: any) => item.json.reused)).toEqual([false, false, true]);
			const channelId = first[0].json.channel_id as string;
			expect(keysIn(channelId)).toEqual(['dm-1', 'dm-2']);
			expectOneRead(channelId);

			mm.clearRequests();
			const again = await runNode(mm, parameters, { token: seed.tokens.bot, items: itemsFor(keys) });
			expect(createRequests()).toHaveLength(0);
			expect(again.map((item: any) => item.json.reused)).toEqual([true, true, true]);
			expect(keysIn(channelId)).toEqual(['dm-1', 'dm-2']);
		}
	});

	it('an empty, too long or non-text key is an error naming the field, per item; other items go on', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		mm.clearRequests();
		const items = await runNode(mm, postParameters(channel.id, { idempotencyKey: '={{ $json.key }}' }), {
			token: seed.tokens.bot,
			continueOnFail: true,
			items: [
				{ json: { key: '', text: 'empty' } },
				{ json: { key: 'x'.repeat(257), text: 'long' } },
				{ json: { key: { nested: true }, text: 'object' } },
				{ json: { key: 42, text: 'number' } },
			],
		});
		expect(items[0].json).toMatchObject({ error: 'Idempotency Key is empty', itemIndex: 0 });
		expect(items[1].json).toMatchObject({ error: expect.stringContaining('Idempotency Key is 257 characters long'), itemIndex: 1 });
		expect(items[2].json).toMatchObject({ error: expect.stringContaining('Idempotency Key is'), itemIndex: 2 });
		expect(items[3].json).toMatchObject({ reused: false, props: { [KEY_PROP]: '42' } });
		expect(createRequests()).toHaveLength(1);

		const window = await runNode(mm, postParameters(channel.id, { lookBackHours: 0 }), {
			token: seed.tokens.bot,
			continueOnFail: true,
			items: itemsFor(['w']),
		});
		expect(window[0].json).toMatchObject({ error: expect.stringContaining('Look-Back Window (Hours)'), itemIndex: 0 });
	});

	/** `count` posts without a key, created one a millisecond up to `lastAt`, in a fresh channel. */
	function busyChannel(count: number, lastAt: number) {
		const channel = freshChannel();
		for (let index = 0; index < count; index++) {
			fake.mm.createPost({ channel_id: channel.id, user_id: fake.seed.alice.id, message: `busy ${index}`, create_at: lastAt - count + 1 + index });
		}
		return channel;
	}

	it('a full answer (1000 changes) is read again from its newest change, and the post it left out is found', async () => {
		const { mm, seed } = fake;
		const lastAt = Date.now() - HOUR;
		const channel = busyChannel(999, lastAt - 1);
		// The 1000th and 1001st changes share a millisecond: the full answer holds only the first of them.
		const edge = mm.createPost({ channel_id: channel.id, user_id: seed.bot.id, message: 'edge', props: { [KEY_PROP]: 'edge' }, create_at: lastAt });
		const late = mm.createPost({ channel_id: channel.id, user_id: seed.bot.id, message: 'late', props: { [KEY_PROP]: 'late' }, create_at: lastAt });

		mm.clearRequests();
		const items = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(['edge', 'late']) });
		expect(createRequests()).toHaveLength(0);
		expect(items.map((item: any) => [item.json.reused, item.json.id])).toEqual([
			[true, edge.id],
			[true, late.id],
		]);
		const reads = channelReads(channel.id);
		expect(reads).toHaveLength(2);
		expect(Number(reads[1].query.since)).toBe(lastAt - 1);
	});

	it('exactly 1000 changes: one more read, from the newest change, which brings nothing new', async () => {
		const { mm, seed } = fake;
		const lastAt = Date.now() - HOUR;
		const channel = busyChannel(999, lastAt - 1);
		const last = mm.createPost({ channel_id: channel.id, user_id: seed.bot.id, message: 'last', props: { [KEY_PROP]: 'last' }, create_at: lastAt });

		mm.clearRequests();
		const [item] = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, items: itemsFor(['last']) });
		expect(createRequests()).toHaveLength(0);
		expect(item.json).toMatchObject({ reused: true, id: last.id });
		const reads = channelReads(channel.id);
		expect(reads).toHaveLength(2);
		expect(Number(reads[1].query.since)).toBe(lastAt - 1);
	});

	it("a failed read of the channel's posts fails that item only; the next item reads again", async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		mm.clearRequests();
		mm.addFault({ method: 'GET', path: `/api/v4/channels/${channel.id}/posts`, status: 403, times: 1 });
		const items = await runNode(mm, postParameters(channel.id), { token: seed.tokens.bot, continueOnFail: true, items: itemsFor(['a', 'b']) });
		expect(items[0].json.error).toEqual(expect.any(String));
		expect(items[1].json).toMatchObject({ reused: false, props: { [KEY_PROP]: 'b' } });
		expect(channelReads(channel.id)).toHaveLength(2);
		expect(keysIn(channel.id)).toEqual(['b']);
	});

	it('without the option nothing is read and nothing is added to props', async () => {
		const { mm, seed } = fake;
		const channel = freshChannel();
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{ resource: 'message', operation: 'post', channelId: byId(channel.id), message: 'plain' },
			{ token: seed.tokens.bot },
		);
		expect(channelReads(channel.id)).toHaveLength(0);
		expect(item.json.reused).toBeUndefined();
		expect(createRequests()[0].body.props).toBeUndefined();
	});
});
