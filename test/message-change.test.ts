import type { INodeParameters } from 'n8n-workflow';
import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const textFile = (text: string, fileName: string) => ({ data: Buffer.from(text).toString('base64'), mimeType: 'text/plain', fileName });
const calls = () => fake.mm.requests.map((r: any) => `${r.method} ${r.path}`);

describe('Message > Update', () => {
	it('patches message and props; the server holds them and marks the post edited', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'draft', props: { old: 1 } });
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'update',
				postId: byId(post.id),
				updateFields: { message: 'final', props: '{"card": "new card"}' },
			},
			{ token: seed.tokens.bot },
		);
		expect(calls()).toEqual([`PUT /api/v4/posts/${post.id}/patch`]);
		expect(mm.requests[0].body).toEqual({ message: 'final', props: { card: 'new card' } });
		const stored = mm.state.posts.get(post.id);
		expect(stored).toMatchObject({ message: 'final', props: { card: 'new card' } });
		expect(stored.edit_at).toBeGreaterThan(0);
		expect(item.json).toMatchObject({ id: post.id, message: 'final', edit_at: stored.edit_at });
	});

	it('adds uploaded and given files to the post\'s files, or replaces them', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.offTopic.id;
		const first = mm.createFile({ user_id: seed.bot.id, channel_id: channelId, name: 'first.txt', content: 'first' });
		const post = mm.createPost({ channel_id: channelId, user_id: seed.bot.id, message: 'with files', file_ids: [first.id] });
		const second = mm.createFile({ user_id: seed.bot.id, channel_id: channelId, name: 'second.txt', content: 'second' });
		mm.clearRequests();

		const [added] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'update',
				postId: byId(post.id),
				updateFields: { binaryPropertyNames: 'data', fileIds: second.id },
			},
			{ token: seed.tokens.bot, items: [{ json: {}, binary: { data: textFile('third', 'third.txt') } }] },
		);
		expect(calls()).toEqual([`GET /api/v4/posts/${post.id}`, 'POST /api/v4/files', `PUT /api/v4/posts/${post.id}/patch`]);
		expect(mm.requests[1].body.fields.channel_id).toEqual([channelId]);
		const patch = mm.requests[2].body;
		expect(patch.file_ids).toHaveLength(3);
		expect(patch.file_ids.slice(0, 2)).toEqual([first.id, second.id]);
		const stored = mm.state.posts.get(post.id);
		expect(stored.file_ids).toEqual(patch.file_ids);
		expect(stored.file_ids.map((id: string) => mm.state.files.get(id).name)).toEqual(['first.txt', 'second.txt', 'third.txt']);
		expect(added.json.file_ids).toEqual(stored.file_ids);

		mm.clearRequests();
		const [replaced] = await runNode(
			mm,
			{ resource: 'message', operation: 'update', postId: byId(post.id), updateFields: { fileIds: second.id, replaceFiles: true } },
			{ token: seed.tokens.bot },
		);
		expect(mm.requests[1].body).toEqual({ file_ids: [second.id] });
		expect(mm.state.posts.get(post.id).file_ids).toEqual([second.id]);
		expect(mm.state.files.get(first.id).delete_at).toBeGreaterThan(0);
		expect(replaced.json.file_ids).toEqual([second.id]);

		await runNode(mm, { resource: 'message', operation: 'update', postId: byId(post.id), updateFields: { replaceFiles: true } }, { token: seed.tokens.bot });
		expect(mm.state.posts.get(post.id).file_ids).toEqual([]);
	});

	it('refuses nothing to update, too many files and bad JSON before any request', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'x' });
		const count = mm.requests.length;
		const run = (updateFields: Record<string, unknown>, binary?: Record<string, any>) =>
			runNode(mm, { resource: 'message', operation: 'update', postId: byId(post.id), updateFields: updateFields as INodeParameters }, { token: seed.tokens.bot, items: [{ json: {}, binary }] });
		await expect(run({})).rejects.toThrow('Nothing to update');
		await expect(run({ props: '{oops' })).rejects.toThrow('Properties (JSON) is not valid JSON');
		await expect(run({ message: 'y'.repeat(16384) })).rejects.toThrow(/at most 16383/);
		const eleven = Array.from({ length: 11 }, (_, i) => String.fromCharCode(97 + i).repeat(26)).join(',');
		await expect(run({ fileIds: eleven })).rejects.toThrow('11 files are too many for one post');
		await expect(run({ binaryPropertyNames: 'data' })).rejects.toThrow('The input item has no binary property "data"');
		expect(mm.requests.length).toBe(count);
	});

	it('counts the post\'s current files too before uploading', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.townSquare.id;
		const files = Array.from({ length: 9 }, (_, i) => mm.createFile({ user_id: seed.bot.id, channel_id: channelId, name: `f${i}.txt`, content: 'x' }));
		const post = mm.createPost({ channel_id: channelId, user_id: seed.bot.id, message: 'nine files', file_ids: files.map((f: any) => f.id) });
		mm.clearRequests();
		const error = await runNode(
			mm,
			{ resource: 'message', operation: 'update', postId: byId(post.id), updateFields: { binaryPropertyNames: 'a, b' } },
			{ token: seed.tokens.bot, items: [{ json: {}, binary: { a: textFile('a', 'a.txt'), b: textFile('b', 'b.txt') } }] },
		).catch((e) => e);
		expect(error.message).toBe('11 files are too many for one post; Mattermost attaches at most 10');
		expect(calls()).toEqual([`GET /api/v4/posts/${post.id}`]);
	});

	it('another user\'s post: 403 for a non-admin', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'alice' });
		const error = await runNode(
			mm,
			{ resource: 'message', operation: 'update', postId: byId(post.id), updateFields: { message: 'hacked' } },
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(mm.state.posts.get(post.id).message).toBe('alice');
	});
});

describe('Message > Delete', () => {
	it('deletes the post (and its replies) and says so', async () => {
		const { mm, seed } = fake;
		const root = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'bye' });
		const reply = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'reply', root_id: root.id });
		mm.clearRequests();
		const [item] = await runNode(mm, { resource: 'message', operation: 'delete', postId: byId(root.id) }, { token: seed.tokens.bot });
		expect(calls()).toEqual([`DELETE /api/v4/posts/${root.id}`]);
		expect(item.json).toEqual({ deleted: true, id: root.id });
		expect(mm.state.posts.get(root.id).delete_at).toBeGreaterThan(0);
		expect(mm.state.posts.get(reply.id).delete_at).toBeGreaterThan(0);
	});

	it('a post that does not exist: 404 naming it', async () => {
		const { mm, seed } = fake;
		const missing = 'abcdefghijklmnopqrstuvwxyz';
		const error = await runNode(mm, { resource: 'message', operation: 'delete', postId: byId(missing) }, { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain(missing);
	});
});

describe('Message > Pin and Unpin', () => {
	it('pins and unpins; the server holds the flag', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'important' });
		mm.clearRequests();
		const [pinned] = await runNode(mm, { resource: 'message', operation: 'pin', postId: byId(post.id) }, { token: seed.tokens.bot });
		expect(pinned.json).toEqual({ pinned: true, id: post.id });
		expect(mm.state.posts.get(post.id).is_pinned).toBe(true);

		const [unpinned] = await runNode(mm, { resource: 'message', operation: 'unpin', postId: byId(post.id) }, { token: seed.tokens.bot });
		expect(unpinned.json).toEqual({ pinned: false, id: post.id });
		expect(mm.state.posts.get(post.id).is_pinned).toBe(false);
		expect(calls()).toEqual([`POST /api/v4/posts/${post.id}/pin`, `POST /api/v4/posts/${post.id}/unpin`]);
	});
});

describe('Message > Post Ephemeral', () => {
	it('sends user_id and the post; the server keeps it for that user only', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.townSquare.id;
		const before = mm.postsIn(channelId).length;
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'postEphemeral',
				channelId: byId(channelId),
				userId: { __rl: true, mode: 'username', value: 'alice' },
				message: 'only for you',
			},
			{ token: seed.tokens.admin },
		);
		expect(calls()).toEqual(['GET /api/v4/users/username/alice', 'POST /api/v4/posts/ephemeral']);
		expect(mm.requests[1].body).toEqual({ user_id: seed.alice.id, post: { channel_id: channelId, message: 'only for you' } });
		expect(mm.state.ephemeralPosts.at(-1)).toMatchObject({ user_id: seed.alice.id, post: { id: item.json.id, message: 'only for you' } });
		expect(item.json).toMatchObject({ channel_id: channelId, type: 'system_ephemeral' });
		expect(mm.postsIn(channelId).length).toBe(before);
	});

	it('a non-admin token: 403; an empty message: refused before any request', async () => {
		const { mm, seed } = fake;
		const params = { resource: 'message', operation: 'postEphemeral', channelId: byId(seed.channels.townSquare.id), userId: byId(seed.alice.id) };
		const error = await runNode(mm, { ...params, message: 'x' }, { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toBe('403');
		const count = mm.requests.length;
		await expect(runNode(mm, { ...params, message: ' ' }, { token: seed.tokens.admin })).rejects.toThrow('Message is empty');
		expect(mm.requests.length).toBe(count);
	});
});
