import { byId, byUrl, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const calls = () => fake.mm.requests.map((r: any) => `${r.method} ${r.path}`);
const liveReactions = (postId: string) =>
	[...fake.mm.state.reactions.values()].filter((r: any) => r.post_id === postId && r.delete_at === 0);

describe('Reaction > Add', () => {
	it('reacts as the token user (asked once per execution), with or without colons', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'react to me' });
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'reaction', operation: 'add', postId: byUrl(`${mm.url}/${seed.team.name}/pl/${post.id}`), emojiName: '={{ $json.emoji }}' },
			{ token: seed.tokens.bot, items: [{ json: { emoji: ':thumbsup:' } }, { json: { emoji: 'white_check_mark' } }, { json: { emoji: ' +1 ' } }] },
		);
		expect(calls()).toEqual(['GET /api/v4/users/me', 'POST /api/v4/reactions', 'POST /api/v4/reactions', 'POST /api/v4/reactions']);
		expect(mm.requests.slice(1).map((r: any) => r.body)).toEqual([
			{ user_id: seed.bot.id, post_id: post.id, emoji_name: 'thumbsup' },
			{ user_id: seed.bot.id, post_id: post.id, emoji_name: 'white_check_mark' },
			{ user_id: seed.bot.id, post_id: post.id, emoji_name: '+1' },
		]);
		expect(liveReactions(post.id).map((r: any) => [r.user_id, r.emoji_name])).toEqual([
			[seed.bot.id, 'thumbsup'],
			[seed.bot.id, 'white_check_mark'],
			[seed.bot.id, '+1'],
		]);
		expect(items.map((i: any) => i.json)).toEqual(
			['thumbsup', 'white_check_mark', '+1'].map((emoji_name) => expect.objectContaining({ user_id: seed.bot.id, post_id: post.id, emoji_name })),
		);
		expect(items.map((i: any) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('with a User given, sends that user; the server refuses reacting for someone else', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		mm.clearRequests();
		const [own] = await runNode(
			mm,
			{ resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName: 'tada', options: { userId: { __rl: true, mode: 'username', value: 'alice' } } },
			{ token: seed.tokens.alice },
		);
		expect(calls()).toEqual(['GET /api/v4/users/username/alice', 'POST /api/v4/reactions']);
		expect(own.json).toMatchObject({ user_id: seed.alice.id, emoji_name: 'tada' });

		const error = await runNode(
			mm,
			{ resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName: 'tada', options: { userId: byId(seed.bob.id) } },
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(liveReactions(post.id).map((r: any) => r.user_id)).toEqual([seed.alice.id]);
	});

	it('refuses emoji names Mattermost would refuse, and bad post IDs, before any request', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		const count = mm.requests.length;
		const run = (emojiName: string, postId = post.id) =>
			runNode(mm, { resource: 'reaction', operation: 'add', postId: byId(postId), emojiName }, { token: seed.tokens.bot });
		await expect(run('thumbs up')).rejects.toThrow('Emoji "thumbs up" is not an emoji name');
		await expect(run('👍')).rejects.toThrow('Emoji "👍" is not an emoji name');
		await expect(run('::')).rejects.toThrow('Emoji is empty');
		await expect(run('x'.repeat(65))).rejects.toThrow(/is not an emoji name/);
		const error = await run('ok:').catch((e) => e);
		expect(error.description).toMatch(/letters, digits, _, - and \+/);
		await expect(run('thumbsup', 'nope')).rejects.toThrow('Post "nope" is not a Mattermost ID');
		expect(mm.requests.length).toBe(count);
	});
});

describe('Reaction > Remove', () => {
	it('removes the token user\'s reaction; the server marks it deleted', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		await runNode(mm, { resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName: '+1' }, { token: seed.tokens.bot });
		expect(liveReactions(post.id)).toHaveLength(1);
		mm.clearRequests();
		const [item] = await runNode(mm, { resource: 'reaction', operation: 'remove', postId: byId(post.id), emojiName: ':+1:' }, { token: seed.tokens.bot });
		expect(calls()).toEqual(['GET /api/v4/users/me', `DELETE /api/v4/users/${seed.bot.id}/posts/${post.id}/reactions/%2B1`]);
		expect(item.json).toEqual({ deleted: true, post_id: post.id, user_id: seed.bot.id, emoji_name: '+1' });
		expect(liveReactions(post.id)).toEqual([]);
	});

	it('an admin removes another user\'s reaction; a non-admin may not', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		await runNode(mm, { resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName: 'smile' }, { token: seed.tokens.alice });
		const params = { resource: 'reaction', operation: 'remove', postId: byId(post.id), emojiName: 'smile', options: { userId: byId(seed.alice.id) } };
		const error = await runNode(mm, params, { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(liveReactions(post.id)).toHaveLength(1);
		await runNode(mm, params, { token: seed.tokens.admin });
		expect(liveReactions(post.id)).toEqual([]);
	});
});

describe('Reaction > Get Many', () => {
	it('one item per reaction; a post that never had one (server answers null) gives no items', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		mm.clearRequests();
		const none = await runNode(mm, { resource: 'reaction', operation: 'getMany', postId: byId(post.id) }, { token: seed.tokens.bot });
		expect(calls()).toEqual([`GET /api/v4/posts/${post.id}/reactions`]);
		expect(none).toEqual([]);

		for (const [token, emojiName] of [
			[seed.tokens.bot, 'one'],
			[seed.tokens.alice, 'two'],
			[seed.tokens.admin, 'three'],
		]) {
			await runNode(mm, { resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName }, { token });
		}
		const all = await runNode(mm, { resource: 'reaction', operation: 'getMany', postId: byId(post.id), returnAll: true }, { token: seed.tokens.bot });
		expect(all.map((i: any) => [i.json.emoji_name, i.json.user_id])).toEqual([
			['one', seed.bot.id],
			['two', seed.alice.id],
			['three', seed.admin.id],
		]);
		const limited = await runNode(mm, { resource: 'reaction', operation: 'getMany', postId: byId(post.id), limit: 2 }, { token: seed.tokens.bot });
		expect(limited.map((i: any) => i.json.emoji_name)).toEqual(['one', 'two']);

		// All removed again: the server answers [], still no items.
		for (const [token, emojiName] of [
			[seed.tokens.bot, 'one'],
			[seed.tokens.alice, 'two'],
			[seed.tokens.admin, 'three'],
		]) {
			await runNode(mm, { resource: 'reaction', operation: 'remove', postId: byId(post.id), emojiName }, { token });
		}
		const empty = await runNode(mm, { resource: 'reaction', operation: 'getMany', postId: byId(post.id) }, { token: seed.tokens.bot });
		expect(empty).toEqual([]);
	});

	it('with continueOnFail, a missing post yields an error item beside the good one', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'x' });
		await runNode(mm, { resource: 'reaction', operation: 'add', postId: byId(post.id), emojiName: 'eyes' }, { token: seed.tokens.bot });
		const items = await runNode(
			mm,
			{ resource: 'reaction', operation: 'getMany', postId: '={{ $json.post }}' },
			{ token: seed.tokens.bot, continueOnFail: true, items: [{ json: { post: 'abcdefghijklmnopqrstuvwxyz' } }, { json: { post: post.id } }] },
		);
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ itemIndex: 0, error: expect.any(String) });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ emoji_name: 'eyes', post_id: post.id });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});
