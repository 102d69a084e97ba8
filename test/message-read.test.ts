import type { INodeParameters } from 'n8n-workflow';
import { offsetSecondsOf } from '../nodes/MattermostSuite/actions/message/search.operation';
import { byId, byUrl, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const requestsTo = (path: string) => fake.mm.requests.filter((r: any) => r.path === path);

describe('Message > Get', () => {
	it('gets a post by permalink, simplified by default', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'find me', props: { attachments: [{ text: 'a' }] } });
		const [item] = await runNode(
			mm,
			{ resource: 'message', operation: 'get', postId: byUrl(`${mm.url}/${seed.team.name}/pl/${post.id}`) },
			{ token: seed.tokens.bot },
		);
		expect(requestsTo(`/api/v4/posts/${post.id}`).map((r: any) => r.method)).toEqual(['GET']);
		expect(item.json).toEqual({
			id: post.id,
			channel_id: seed.channels.townSquare.id,
			user_id: seed.alice.id,
			root_id: '',
			message: 'find me',
			type: '',
			is_pinned: false,
			reply_count: 0,
			created_at: new Date(post.create_at).toISOString(),
			edited_at: undefined,
			attachments: [{ text: 'a' }],
		});
	});

	it('gives the raw post with Simplify off', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'raw' });
		const [item] = await runNode(mm, { resource: 'message', operation: 'get', postId: byId(post.id), simplify: false }, { token: seed.tokens.bot });
		expect(item.json).toMatchObject({ id: post.id, create_at: post.create_at, update_at: post.update_at, props: {}, metadata: {} });
	});

	it('a post in a channel the token cannot read: 403', async () => {
		const { mm, seed } = fake;
		const secret = mm.createPost({ channel_id: seed.channels.private.id, user_id: seed.alice.id, message: 'secret' });
		const error = await runNode(mm, { resource: 'message', operation: 'get', postId: byId(secret.id) }, { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toBe('403');
	});

	it('refuses a malformed ID or permalink before any request', async () => {
		const { mm, seed } = fake;
		const before = mm.requests.length;
		await expect(runNode(mm, { resource: 'message', operation: 'get', postId: byId('123') }, { token: seed.tokens.bot })).rejects.toThrow(
			'Post "123" is not a Mattermost ID',
		);
		await expect(
			runNode(mm, { resource: 'message', operation: 'get', postId: byUrl('https://chat.example.com/team/channels/x') }, { token: seed.tokens.bot }),
		).rejects.toThrow(/is not a Mattermost ID/);
		expect(mm.requests.length).toBe(before);
	});
});

describe('Message > Get Thread', () => {
	it('returns the root and every reply, oldest first, one item per post, from any post of the thread', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.offTopic.id;
		const root = mm.createPost({ channel_id: channel, user_id: seed.alice.id, message: 'root' });
		const replies = ['one', 'two', 'three'].map((message) => mm.createPost({ channel_id: channel, user_id: seed.bob.id, message, root_id: root.id }));
		mm.createPost({ channel_id: channel, user_id: seed.bob.id, message: 'elsewhere' });

		const items = await runNode(mm, { resource: 'message', operation: 'getThread', postId: byId(replies[1].id) }, { token: seed.tokens.bot });
		expect(requestsTo(`/api/v4/posts/${replies[1].id}/thread`)).toHaveLength(1);
		expect(items.map((i: any) => i.json.message)).toEqual(['root', 'one', 'two', 'three']);
		expect(items.map((i: any) => i.json.id)).toEqual([root.id, ...replies.map((r: any) => r.id)]);
		expect(items[0].json.reply_count).toBe(3);
		expect(items.every((i: any) => i.pairedItem.item === 0)).toBe(true);

		const raw = await runNode(mm, { resource: 'message', operation: 'getThread', postId: byId(root.id), simplify: false }, { token: seed.tokens.bot });
		expect(raw.map((i: any) => i.json.create_at)).toEqual([root, ...replies].map((p: any) => p.create_at));
	});
});

describe('Message > Get Many', () => {
	let channelId: string;
	let created: any[];

	beforeAll(() => {
		const { mm, seed } = fake;
		const channel = mm.createChannel({ team_id: seed.team.id, name: 'busy', display_name: 'Busy' });
		mm.addChannelMember(channel.id, seed.bot.id);
		channelId = channel.id;
		created = [];
		for (let i = 0; i < 650; i++) created.push(mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: `post ${i}` }));
	});

	it('Return All walks the whole channel (650 posts, 4 pages of 200), newest first', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'getMany', channelId: byId(channelId), returnAll: true },
			{ token: seed.tokens.bot },
		);
		expect(items).toHaveLength(650);
		expect(items.map((i: any) => i.json.id)).toEqual([...created].reverse().map((p) => p.id));
		const pages = requestsTo(`/api/v4/channels/${channelId}/posts`);
		expect(pages).toHaveLength(4);
		expect(pages.map((r: any) => r.query.per_page)).toEqual(['200', '200', '200', '200']);
		expect(pages[0].query.before).toBeUndefined();
		expect(pages[1].query.before).toBe(created[450].id);
		expect(pages[3].query.before).toBe(created[50].id);
		expect(new Set(items.map((i: any) => i.json.id)).size).toBe(650);
	});

	it('a Limit that cuts a page returns exactly that many, and Oldest First reverses them', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'getMany', channelId: byId(channelId), limit: 250, options: { order: 'oldestFirst' } },
			{ token: seed.tokens.bot },
		);
		expect(items).toHaveLength(250);
		expect(items.map((i: any) => i.json.message)).toEqual(created.slice(400).map((p) => p.message));
		expect(requestsTo(`/api/v4/channels/${channelId}/posts`)).toHaveLength(2);

		mm.clearRequests();
		const few = await runNode(mm, { resource: 'message', operation: 'getMany', channelId: byId(channelId), limit: 7 }, { token: seed.tokens.bot });
		expect(few.map((i: any) => i.json.message)).toEqual(created.slice(643).reverse().map((p) => p.message));
		expect(requestsTo(`/api/v4/channels/${channelId}/posts`).map((r: any) => r.query.per_page)).toEqual(['7']);
	});

	it('Before Post and After Post start from a post; Since from a time', async () => {
		const { mm, seed } = fake;
		const before = await runNode(
			mm,
			{ resource: 'message', operation: 'getMany', channelId: byId(channelId), limit: 3, options: { before: created[100].id } },
			{ token: seed.tokens.bot },
		);
		expect(before.map((i: any) => i.json.message)).toEqual(['post 99', 'post 98', 'post 97']);

		const after = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'getMany',
				channelId: byId(channelId),
				limit: 3,
				options: { after: `${mm.url}/${seed.team.name}/pl/${created[100].id}`, order: 'oldestFirst' },
			},
			{ token: seed.tokens.bot },
		);
		expect(after.map((i: any) => i.json.message)).toEqual(['post 101', 'post 102', 'post 103']);

		mm.clearRequests();
		const since = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'getMany',
				channelId: byId(channelId),
				returnAll: true,
				options: { since: new Date(created[646].create_at).toISOString() },
			},
			{ token: seed.tokens.bot },
		);
		expect(since.map((i: any) => i.json.message)).toEqual(['post 649', 'post 648', 'post 647']);
		expect(requestsTo(`/api/v4/channels/${channelId}/posts`)[0].query.since).toBe(String(created[646].create_at));
	});

	it('Since also reports edits and deletions', async () => {
		const { mm, seed } = fake;
		const channel = mm.createChannel({ team_id: seed.team.id, name: 'changes', display_name: 'Changes' });
		mm.addChannelMember(channel.id, seed.bot.id);
		const [old, edited, removed] = ['old', 'edited', 'removed'].map((message) =>
			mm.createPost({ channel_id: channel.id, user_id: seed.bot.id, message }),
		);
		const since = removed.create_at;
		await runNode(mm, { resource: 'message', operation: 'update', postId: byId(edited.id), updateFields: { message: 'edited!' } }, { token: seed.tokens.bot });
		await runNode(mm, { resource: 'message', operation: 'delete', postId: byId(removed.id) }, { token: seed.tokens.bot });
		const fresh = mm.createPost({ channel_id: channel.id, user_id: seed.bot.id, message: 'fresh' });

		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'getMany', channelId: byId(channel.id), returnAll: true, options: { since: new Date(since).toISOString() } },
			{ token: seed.tokens.bot },
		);
		expect(items.map((i: any) => i.json.id)).toEqual([fresh.id, removed.id, edited.id]);
		expect(items.map((i: any) => i.json.id)).not.toContain(old.id);
		expect(items[1].json.deleted_at).toEqual(expect.any(String));
		expect(items[0].json.deleted_at).toBeUndefined();
		expect(items[2].json).toMatchObject({ message: 'edited!', edited_at: expect.any(String) });
	});

	it('refuses combined starting points and bad values before any request', async () => {
		const { mm, seed } = fake;
		const count = mm.requests.length;
		const run = (options: Record<string, unknown>) =>
			runNode(mm, { resource: 'message', operation: 'getMany', channelId: byId(channelId), options: options as INodeParameters }, { token: seed.tokens.bot });
		await expect(run({ before: created[1].id, after: created[0].id })).rejects.toThrow('After Post and Before Post cannot be combined');
		await expect(run({ since: '2025-01-01T00:00:00Z', before: created[1].id })).rejects.toThrow('Since and Before Post cannot be combined');
		await expect(run({ since: 'yesterday-ish' })).rejects.toThrow('Since "yesterday-ish" is not a date and time');
		await expect(run({ after: 'abc' })).rejects.toThrow('After Post "abc" is not a Mattermost ID');
		expect(mm.requests.length).toBe(count);
	});
});

describe('Message > Search', () => {
	let hits: any[];

	beforeAll(() => {
		const { mm, seed } = fake;
		hits = [];
		for (let i = 0; i < 12; i++) {
			const channel = i % 2 ? seed.channels.townSquare : seed.channels.offTopic;
			hits.push(mm.createPost({ channel_id: channel.id, user_id: i % 3 ? seed.alice.id : seed.bob.id, message: `zebra crossing number ${i}` }));
		}
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'a lonely giraffe' });
		mm.createPost({ channel_id: seed.channels.private.id, user_id: seed.alice.id, message: 'zebra in a private room' });
	});

	it('searches the team, one item per post in the server order; the request follows the spec', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: 'zebra', returnAll: true },
			{ token: seed.tokens.bot },
		);
		expect(items.map((i: any) => i.json.id)).toEqual([...hits].reverse().map((p) => p.id));
		const [request] = requestsTo(`/api/v4/teams/${seed.team.id}/posts/search`);
		expect(request.method).toBe('POST');
		expect(request.query).toEqual({});
		expect(request.body).toEqual({
			terms: 'zebra',
			is_or_search: false,
			time_zone_offset: expect.any(Number),
			include_deleted_channels: false,
			page: 0,
			per_page: 200,
		});
		expect(items[0].json).toMatchObject({ message: 'zebra crossing number 11', created_at: expect.any(String) });
	});

	it('Is Or Search, from:, Limit and the time zone offset reach the server', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'search',
				teamId: byUrl(`${mm.url}/${seed.team.name}`),
				terms: 'giraffe zebra',
				isOrSearch: true,
				limit: 5,
				options: { timeZoneOffsetHours: 5.5, includeDeletedChannels: true },
			},
			{ token: seed.tokens.bot },
		);
		expect(items.map((i: any) => i.json.message)).toEqual([
			'a lonely giraffe',
			'zebra crossing number 11',
			'zebra crossing number 10',
			'zebra crossing number 9',
			'zebra crossing number 8',
		]);
		const [request] = requestsTo(`/api/v4/teams/${seed.team.id}/posts/search`);
		expect(request.body).toEqual({
			terms: 'giraffe zebra',
			is_or_search: true,
			time_zone_offset: 19800,
			include_deleted_channels: true,
			page: 0,
			per_page: 5,
		});

		const fromBob = await runNode(
			mm,
			{ resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: 'zebra from:bob', returnAll: true },
			{ token: seed.tokens.bot },
		);
		expect(fromBob.map((i: any) => i.json.user_id)).toEqual([seed.bob.id, seed.bob.id, seed.bob.id, seed.bob.id]);
	});

	it('reads a time zone\'s offset in seconds, as time_zone_offset wants it', () => {
		const winter = new Date('2025-01-15T12:00:00Z');
		const summer = new Date('2025-07-15T12:00:00Z');
		expect(offsetSecondsOf('Asia/Kolkata', winter)).toBe(19800);
		expect(offsetSecondsOf('America/New_York', winter)).toBe(-18000);
		expect(offsetSecondsOf('America/New_York', summer)).toBe(-14400);
		expect(offsetSecondsOf('Europe/Berlin', summer)).toBe(7200);
		expect(offsetSecondsOf('UTC', summer)).toBe(0);
		expect(offsetSecondsOf('Not/A_Zone', summer)).toBe(0);
	});

	it('no hits: no items', async () => {
		const { mm, seed } = fake;
		const items = await runNode(mm, { resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: 'okapi' }, { token: seed.tokens.bot });
		expect(items).toEqual([]);
	});

	it('empty terms and a bad team ID are refused before any request', async () => {
		const { mm, seed } = fake;
		const count = mm.requests.length;
		await expect(runNode(mm, { resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: '  ' }, { token: seed.tokens.bot })).rejects.toThrow(
			'Terms is empty',
		);
		await expect(runNode(mm, { resource: 'message', operation: 'search', teamId: byId('x'), terms: 'zebra' }, { token: seed.tokens.bot })).rejects.toThrow(
			'Team "x" is not a Mattermost ID',
		);
		expect(mm.requests.length).toBe(count);
	});
});
