/**
 * The Post locator's "From List" mode (methods.listSearch.searchPosts) and the User locator's
 * "By URL" mode (a direct-message URL), through real n8n-core contexts against the fake server.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DIRECT_MESSAGE_URL_PATTERN, postRLC, userRLC } from '../nodes/MattermostSuite/actions/common.descriptions';
import { byId, runNode, searchList, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const subpathFake = useFakeMattermost({ subpath: '/mattermost' });

const byList = (value: string, extra: Record<string, string> = {}) => ({ __rl: true, mode: 'list', value, ...extra });
const byUserUrl = (value: string) => ({ __rl: true, mode: 'url', value });

/** Requests recorded since `mark` (an index into mm.requests), as "METHOD /path". */
const sentSince = (mm: any, mark: number): string[] => mm.requests.slice(mark).map((r: any) => `${r.method} ${r.path}`);

async function flag(mm: any, token: string, userId: string, postIds: string[]) {
	const response = await fetch(`${mm.url}/api/v4/users/me/preferences`, {
		method: 'PUT',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(postIds.map((name) => ({ user_id: userId, category: 'flagged_post', name, value: 'true' }))),
	});
	expect(response.status).toBe(200);
}

describe('Post locator "From List" (searchPosts) with a non-admin bot token', () => {
	let secondTeam: any;
	let secondRoom: any;
	let pickerRoom: any;
	let directChannel: any;
	const walrusIds: string[] = [];
	let teamTwoIds: string[] = [];
	let directPostId: string;

	beforeAll(() => {
		const { mm, seed } = fake;
		expect(seed.bot.roles).not.toMatch(/system_admin/);
		// A second team of the bot, sorted after "Test Team".
		secondTeam = mm.createTeam({ name: 'zulu-team', display_name: 'Zulu Team' });
		mm.addTeamMember(secondTeam.id, seed.bot.id);
		mm.addTeamMember(secondTeam.id, seed.bob.id);
		secondRoom = mm.createChannel({ team_id: secondTeam.id, name: 'zulu-room', display_name: 'Zulu Room' });
		mm.addChannelMember(secondRoom.id, seed.bot.id);
		mm.addChannelMember(secondRoom.id, seed.bob.id);
		// 60 hits in the first team (more than one page of 50), 5 in the second, 1 in a direct message.
		for (let n = 0; n < 60; n++) {
			walrusIds.push(mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.alice.id, message: `walrus sighting ${n}` }).id);
		}
		teamTwoIds = Array.from({ length: 5 }, (_, n) =>
			mm.createPost({ channel_id: secondRoom.id, user_id: seed.bob.id, message: `walrus in zulu ${n}` }).id,
		);
		directChannel = mm.state.directChannel(seed.bot.id, seed.alice.id).channel;
		directPostId = mm.createPost({ channel_id: directChannel.id, user_id: seed.alice.id, message: 'a walrus\n\nin   private' }).id;
		// A channel with 55 posts for the channel list.
		pickerRoom = mm.createChannel({ team_id: seed.team.id, name: 'picker-room', display_name: 'Picker Room' });
		mm.addChannelMember(pickerRoom.id, seed.bot.id);
		mm.addChannelMember(pickerRoom.id, seed.alice.id);
		for (let n = 0; n < 55; n++) {
			mm.createPost({ channel_id: pickerRoom.id, user_id: n % 2 ? seed.alice.id : seed.bot.id, message: `room post ${n}` });
		}
	});

	it('is the first mode and the default of the Post locator', () => {
		expect(postRLC.modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		expect(postRLC.modes?.[0]).toMatchObject({ type: 'list', typeOptions: { searchListMethod: 'searchPosts', searchable: true } });
		expect(postRLC.default).toEqual({ mode: 'list', value: '' });
	});

	it('with a filter: searches every team of the bot, page after page, each post once', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const first = await searchList(mm, 'searchPosts', seed.tokens.bot, 'walrus', undefined, { resource: 'reaction', operation: 'add' });
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toEqual(expect.any(String));
		// Newest first: the direct message (the newest hit), then the last 49 walrus posts of the first team.
		const firstIds = first.results.map((r: any) => r.value);
		expect(firstIds).toEqual([directPostId, ...walrusIds.slice(11).reverse()]);
		const searches = () => mm.requests.filter((r: any) => /\/posts\/search$/.test(r.path));
		expect(searches().map((r: any) => [r.path, r.body])).toEqual([
			[`/api/v4/teams/${seed.team.id}/posts/search`, { terms: 'walrus', is_or_search: false, page: 0, per_page: 50 }],
		]);
		expect(first.results[1]).toEqual({
			name: '@alice in ~off-topic: walrus sighting 59',
			value: walrusIds[59],
			url: `${mm.url}/${seed.team.name}/pl/${walrusIds[59]}`,
		});
		// Only endpoints open to a non-admin: the bot's teams and channels, users by id.
		const paths = new Set(mm.requests.map((r: any) => `${r.method} ${r.path}`));
		expect(paths).toEqual(
			new Set([
				'GET /api/v4/users/me/teams',
				`POST /api/v4/teams/${seed.team.id}/posts/search`,
				'GET /api/v4/users/me/channels',
				'POST /api/v4/users/ids',
			]),
		);

		mm.clearRequests();
		const second = await searchList(mm, 'searchPosts', seed.tokens.bot, 'walrus', first.paginationToken, { resource: 'reaction', operation: 'add' });
		expect(searches().map((r: any) => [r.path, r.body.page])).toEqual([
			[`/api/v4/teams/${seed.team.id}/posts/search`, 1],
			[`/api/v4/teams/${secondTeam.id}/posts/search`, 0],
		]);
		expect(second.paginationToken).toBeUndefined();
		const all = [...firstIds, ...second.results.map((r: any) => r.value)];
		expect(new Set(all).size).toBe(all.length);
		expect(new Set(all)).toEqual(new Set([...walrusIds, ...teamTwoIds, directPostId]));
		const zulu = second.results.find((r: any) => r.value === teamTwoIds[4]);
		expect(zulu).toEqual({
			name: '@bob in ~zulu-room: walrus in zulu 4',
			value: teamTwoIds[4],
			url: `${mm.url}/zulu-team/pl/${teamTwoIds[4]}`,
		});
		// The direct message, found by both teams' searches, is listed once, under the first team.
		const direct = [...first.results, ...second.results].filter((r: any) => r.value === directPostId);
		expect(direct).toEqual([
			{ name: '@alice in a direct message: a walrus in private', value: directPostId, url: `${mm.url}/${seed.team.name}/pl/${directPostId}` },
		]);
	});

	it('with a filter: a server that ignores paging (database search: up to 100 hits on page 0) is read once per team', async () => {
		const { mm, seed } = fake;
		const searchPath = `/api/v4/teams/${seed.team.id}/posts/search`;
		const everything = await fetch(`${mm.url}${searchPath}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${seed.tokens.bot}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ terms: 'walrus', is_or_search: false, per_page: 200 }),
		}).then((r) => r.json());
		expect(everything.order).toHaveLength(61);
		mm.addFault({ method: 'POST', path: searchPath, times: 1, status: 200, body: everything });
		mm.clearRequests();
		const first = await searchList(mm, 'searchPosts', seed.tokens.bot, 'walrus');
		// All 61 hits are shown, and the next page is the next team's, not page 1 of this one.
		expect(first.results).toHaveLength(61);
		const second = await searchList(mm, 'searchPosts', seed.tokens.bot, 'walrus', first.paginationToken);
		const searches = mm.requests.filter((r: any) => /\/posts\/search$/.test(r.path)).map((r: any) => [r.path, r.body.page]);
		expect(searches).toEqual([
			[searchPath, 0],
			[`/api/v4/teams/${secondTeam.id}/posts/search`, 0],
		]);
		expect(second.results.map((r: any) => r.value)).toEqual([...teamTwoIds].reverse());
		expect(second.paginationToken).toBeUndefined();
		mm.clearFaults();
	});

	it('with a filter: finds nothing in teams the bot is not in', async () => {
		const { mm, seed } = fake;
		const secret = mm.createPost({ channel_id: seed.channels.otherTownSquare.id, user_id: seed.alice.id, message: 'narwhal only elsewhere' });
		const result = await searchList(mm, 'searchPosts', seed.tokens.bot, 'narwhal');
		expect(result.results.map((r: any) => r.value)).not.toContain(secret.id);
		expect(mm.requests.some((r: any) => r.path === `/api/v4/teams/${seed.otherTeam.id}/posts/search`)).toBe(false);
	});

	it('without a filter, in an operation with a Channel: the newest posts of that channel, in order, paged', async () => {
		const { mm, seed } = fake;
		const channelId = byList(pickerRoom.id, { cachedResultUrl: `${mm.url}/${seed.team.name}/channels/picker-room` });
		const newestFirst = mm.postsIn(pickerRoom.id).map((p: any) => p.id).reverse();
		mm.clearRequests();
		const first = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, { resource: 'message', operation: 'post', channelId });
		expect(first.results.map((r: any) => r.value)).toEqual(newestFirst.slice(0, 50));
		expect(first.results[0]).toEqual({
			name: '@n8n-bot: room post 54',
			value: newestFirst[0],
			url: `${mm.url}/${seed.team.name}/pl/${newestFirst[0]}`,
		});
		expect(first.results[1].name).toBe('@alice: room post 53');
		const pages = () => mm.requests.filter((r: any) => r.path === `/api/v4/channels/${pickerRoom.id}/posts`).map((r: any) => r.query);
		expect(pages()).toEqual([{ page: '0', per_page: '50' }]);
		expect(first.paginationToken).toEqual(expect.any(String));

		const second = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, first.paginationToken, {
			resource: 'message',
			operation: 'post',
			channelId,
		});
		expect(second.results.map((r: any) => r.value)).toEqual(newestFirst.slice(50));
		expect(second.paginationToken).toBeUndefined();
		expect(pages()).toEqual([
			{ page: '0', per_page: '50' },
			{ page: '1', per_page: '50' },
		]);
		expect(mm.requests.some((r: any) => /flagged/.test(r.path))).toBe(false);
	});

	it('without a filter: a channel given by ID lists its posts (no link: the team is unknown); by URL, with links', async () => {
		const { mm, seed } = fake;
		const newest = mm.postsIn(pickerRoom.id).at(-1).id;
		const result = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, {
			resource: 'message',
			operation: 'post',
			channelId: byId(pickerRoom.id),
		});
		expect(result.results[0]).toEqual({ name: '@n8n-bot: room post 54', value: newest, url: undefined });

		mm.clearRequests();
		const viaUrl = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, {
			resource: 'message',
			operation: 'post',
			channelId: { __rl: true, mode: 'url', value: `${mm.url}/${seed.team.name}/channels/picker-room` },
		});
		expect(viaUrl.results[0]).toEqual({ name: '@n8n-bot: room post 54', value: newest, url: `${mm.url}/${seed.team.name}/pl/${newest}` });
		expect(sentSince(mm, 0)).toContain(`GET /api/v4/teams/name/${seed.team.name}/channels/name/picker-room`);
	});

	it('without a filter and without a Channel: the bot\'s saved (flagged) posts, newest first', async () => {
		const { mm, seed } = fake;
		const older = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: '' });
		const newer = mm.createPost({ channel_id: secondRoom.id, user_id: seed.bob.id, message: 'Remember   this\nfor later' });
		const dm = mm.createPost({ channel_id: directChannel.id, user_id: seed.alice.id, message: 'x'.repeat(120) });
		const gone = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.alice.id, message: 'deleted soon' });
		await flag(mm, seed.tokens.bot, seed.bot.id, [older.id, newer.id, dm.id, gone.id]);
		// Someone else's saved post is not the bot's.
		await flag(mm, seed.tokens.alice, seed.alice.id, [walrusIds[0]]);
		mm.state.deletePost(mm.state.posts.get(gone.id));

		mm.clearRequests();
		const result = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, { resource: 'reaction', operation: 'add' });
		expect(result.results).toEqual([
			{ name: `Direct message: ${'x'.repeat(79)}…`, value: dm.id, url: `${mm.url}/${seed.team.name}/pl/${dm.id}` },
			{ name: '~zulu-room: Remember this for later', value: newer.id, url: `${mm.url}/zulu-team/pl/${newer.id}` },
			{ name: '~town-square: (file or attachment only)', value: older.id, url: `${mm.url}/${seed.team.name}/pl/${older.id}` },
		]);
		expect(result.paginationToken).toBeUndefined();
		const flagged = mm.requests.filter((r: any) => r.path.endsWith('/posts/flagged'));
		expect(flagged.map((r: any) => [r.path, r.query])).toEqual([['/api/v4/users/me/posts/flagged', { page: '0', per_page: '50' }]]);
	});

	it('saved posts page by page when there are more than 50', async () => {
		const { mm, seed } = fake;
		await flag(mm, seed.tokens.bot, seed.bot.id, walrusIds);
		const first = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, { resource: 'reaction', operation: 'add' });
		expect(first.results).toHaveLength(50);
		const second = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, first.paginationToken, { resource: 'reaction', operation: 'add' });
		const all = [...first.results, ...second.results].map((r: any) => r.value);
		expect(all).toHaveLength(63);
		expect(new Set(all).size).toBe(63);
		expect(second.paginationToken).toBeUndefined();
	});

	it('an operation runs with a post picked from the list: Message > Get, Reaction > Add', async () => {
		const { mm, seed } = fake;
		const postId = walrusIds[3];
		const [got] = await runNode(mm, { resource: 'message', operation: 'get', postId: byList(postId, { cachedResultName: 'walrus' }) }, { token: seed.tokens.bot });
		expect(got.json.id).toBe(postId);
		expect(mm.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/v4/posts/${postId}` });

		await runNode(mm, { resource: 'reaction', operation: 'add', postId: byList(postId), emojiName: 'tada' }, { token: seed.tokens.bot });
		expect(mm.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v4/reactions', body: { post_id: postId, emoji_name: 'tada', user_id: seed.bot.id } });
		expect([...mm.state.reactions.values()].some((r: any) => r.post_id === postId && r.emoji_name === 'tada' && r.user_id === seed.bot.id)).toBe(true);
	});
});

describe('User locator "By URL" (a direct-message URL)', () => {
	const userGet = (value: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'user',
		operation: 'get',
		userId: byUserUrl(value),
		...extra,
	});

	it('is a mode of the User locator, with a validation the editor applies', () => {
		const mode = userRLC.modes?.find((m) => m.name === 'url');
		expect(mode).toMatchObject({ displayName: 'By URL', type: 'string', placeholder: 'e.g. https://mattermost.example.com/my-team/messages/@alice' });
		const regex = new RegExp(DIRECT_MESSAGE_URL_PATTERN);
		expect(regex.test('https://mattermost.example.com/my-team/messages/@alice')).toBe(true);
		expect(regex.test('https://example.com/mattermost/my-team/messages/@alice/?x=1')).toBe(true);
		expect(regex.test('https://mattermost.example.com/my-team/channels/town-square')).toBe(false);
		expect(regex.test('alice')).toBe(false);
	});

	it('User > Get finds the user of a direct-message URL by username', async () => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const [item] = await runNode(mm, userGet(`${mm.url}/${seed.team.name}/messages/@alice`), { token: seed.tokens.bot });
		expect(item.json).toMatchObject({ id: seed.alice.id, username: 'alice' });
		expect(sentSince(mm, mark)).toEqual(['GET /api/v4/users/username/alice']);
	});

	it('tolerates a trailing slash, a query, and a Base URL with a sub-path', async () => {
		const { mm, seed } = subpathFake;
		expect(mm.url).toMatch(/\/mattermost$/);
		const mark = mm.requests.length;
		const [item] = await runNode(mm, userGet(`${mm.url}/${seed.team.name}/messages/@bob/?utm=1`), { token: seed.tokens.bot });
		expect(item.json).toMatchObject({ id: seed.bob.id, username: 'bob' });
		expect(sentSince(mm, mark)).toEqual(['GET /api/v4/users/username/bob']);
	});

	it('takes a user ID in place of @username', async () => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const [item] = await runNode(mm, userGet(`${mm.url}/${seed.team.name}/messages/${seed.alice.id}`), { token: seed.tokens.bot });
		expect(item.json).toMatchObject({ id: seed.alice.id });
		expect(sentSince(mm, mark)).toEqual([`GET /api/v4/users/${seed.alice.id}`]);
	});

	it.each([
		['a channel URL', (url: string) => `${url}/test-team/channels/town-square`],
		['a team URL', (url: string) => `${url}/test-team`],
		['a messages URL without a user', (url: string) => `${url}/test-team/messages/@`],
		['not a URL', () => 'alice'],
	])('refuses %s before any request, naming the field and showing an example', async (_what, make) => {
		const { mm, seed } = fake;
		const value = make(mm.url);
		const mark = mm.requests.length;
		const error = await runNode(mm, userGet(value), { token: seed.tokens.bot }).catch((e) => e);
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toBe(`User URL "${value}" is not a Mattermost user URL`);
		expect(error.description).toContain('https://mattermost.example.com/my-team/messages/@alice');
		expect(sentSince(mm, mark)).toEqual([]);
	});

	it('an unknown username is a clear 404', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, userGet(`${mm.url}/${seed.team.name}/messages/@nobody-here`), { token: seed.tokens.bot }).catch((e) => e);
		expect(error).toBeInstanceOf(Error);
		expect(`${error.message} ${error.description}`).toMatch(/nobody-here/);
	});

	it('Message > Send Direct Message to a user given by URL', async () => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'sendDirectMessage',
				userId: byUserUrl(`${mm.url}/${seed.team.name}/messages/@alice`),
				message: 'Hello via URL',
			},
			{ token: seed.tokens.bot },
		);
		const sent = sentSince(mm, mark);
		expect(sent[0]).toBe('GET /api/v4/users/username/alice');
		expect(sent).toContain('POST /api/v4/channels/direct');
		const direct = mm.requests.find((r: any, i: number) => i >= mark && r.path === '/api/v4/channels/direct');
		expect(direct.body).toEqual(expect.arrayContaining([seed.bot.id, seed.alice.id]));
		const dmChannel = mm.state.directChannel(seed.bot.id, seed.alice.id).channel;
		expect(mm.postsIn(dmChannel.id).at(-1)).toMatchObject({ message: 'Hello via URL', user_id: seed.bot.id });
		expect(item.json.channel_id).toBe(dmChannel.id);
	});
});
