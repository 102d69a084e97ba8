import type { INodeParameters } from 'n8n-workflow';
import { runInWorkflow, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });
const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });
const byIdRl = (value: string) => ({ __rl: true, mode: 'id', value });

const count = (method: string, path: string) =>
	fake.mm.requests.filter((r: any) => r.method === method && r.path === path).length;

describe('Message > Send Direct Message', () => {
	it('opens the direct channel of the token user and the user, then posts there; /users/me once per execution', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'sendDirectMessage',
				userId: '={{ $json.user }}',
				message: '={{ $json.text }}',
				options: { priority: 'important' },
			},
			{
				token: seed.tokens.bot,
				items: [
					{ json: { user: seed.alice.id, text: 'hi alice' } },
					{ json: { user: seed.bob.id, text: 'hi bob' } },
					{ json: { user: seed.alice.id, text: 'again alice' } },
				],
			},
		);

		expect(count('GET', '/api/v4/users/me')).toBe(1);
		const directs = mm.requests.filter((r: any) => r.path === '/api/v4/channels/direct');
		expect(directs.map((r: any) => r.body)).toEqual([
			[seed.bot.id, seed.alice.id],
			[seed.bot.id, seed.bob.id],
			[seed.bot.id, seed.alice.id],
		]);

		const channelIds = items.map((i: any) => i.json.channel_id);
		expect(channelIds[0]).toBe(channelIds[2]);
		expect(channelIds[0]).not.toBe(channelIds[1]);
		const dm = mm.state.channels.get(channelIds[0]);
		expect(dm.type).toBe('D');
		expect(mm.state.channelMember(dm.id, seed.alice.id)).toBeTruthy();
		expect(mm.state.channelMember(dm.id, seed.bot.id)).toBeTruthy();
		expect(mm.postsIn(dm.id).map((p: any) => [p.message, p.user_id])).toEqual([
			['hi alice', seed.bot.id],
			['again alice', seed.bot.id],
		]);
		expect(mm.postsIn(channelIds[1]).map((p: any) => p.metadata.priority)).toEqual([{ priority: 'important' }]);
		expect(items.map((i: any) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		// A new execution asks again.
		await runNode(
			mm,
			{ resource: 'message', operation: 'sendDirectMessage', userId: byUsername('bob'), message: 'next run' },
			{ token: seed.tokens.bot },
		);
		expect(count('GET', '/api/v4/users/me')).toBe(2);
		expect(mm.postsIn(channelIds[1]).map((p: any) => p.message)).toEqual(['hi bob', 'next run']);
	});

	it("keeps the credential's user for the run only: nothing in the execution's data, and a failed read is asked again", async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		mm.addFault({ method: 'GET', path: '/api/v4/users/me', status: 403, times: 1 });
		const { output, run } = await runInWorkflow(
			mm,
			{ resource: 'message', operation: 'sendDirectMessage', userId: byIdRl(seed.alice.id), message: '={{ $json.text }}' },
			{ token: seed.tokens.bot, continueOnFail: true, items: [{ json: { text: 'first' } }, { json: { text: 'second' } }, { json: { text: 'third' } }] },
		);
		expect(output![0].map((item: any) => item.json.message ?? item.json.error)).toEqual([
			expect.stringContaining('403'),
			'second',
			'third',
		]);
		expect(count('GET', '/api/v4/users/me')).toBe(2);
		// n8n saves the execution's context data with it (and hands it to the next run after a wait).
		expect(JSON.stringify(run.data.executionData?.contextData ?? {})).not.toContain(seed.bot.id);
	});

	it('finds the user by email', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(
			mm,
			{ resource: 'message', operation: 'sendDirectMessage', userId: byEmail(seed.bob.email), message: 'by email' },
			{ token: seed.tokens.alice },
		);
		const channel = mm.state.channels.get(item.json.channel_id);
		expect(channel.type).toBe('D');
		expect(item.json.user_id).toBe(seed.alice.id);
		expect(mm.state.channelMember(channel.id, seed.bob.id)).toBeTruthy();
	});

	it('checks the message and the user ID before any request', async () => {
		const { mm, seed } = fake;
		const before = mm.requests.length;
		await expect(
			runNode(mm, { resource: 'message', operation: 'sendDirectMessage', userId: byIdRl('nobody'), message: 'x' }, { token: seed.tokens.bot }),
		).rejects.toThrow('User "nobody" is not a Mattermost ID');
		await expect(
			runNode(mm, { resource: 'message', operation: 'sendDirectMessage', userId: byIdRl(seed.bob.id), message: '' }, { token: seed.tokens.bot }),
		).rejects.toThrow(/Message is empty/);
		expect(mm.requests.length).toBe(before);
	});

	it('an unknown username: 404 naming it', async () => {
		const { mm, seed } = fake;
		const error = await runNode(
			mm,
			{ resource: 'message', operation: 'sendDirectMessage', userId: byUsername('ghost'), message: 'x' },
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain('ghost');
	});
});

describe('Message > Send Group Message', () => {
	it('opens the group channel of the token user and the users given, then posts there', async () => {
		const { mm, seed } = fake;
		const carol = mm.createUser({ username: 'carol' });
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'sendGroupMessage', users: '={{ $json.users }}', message: '={{ $json.text }}' },
			{
				token: seed.tokens.bot,
				items: [
					{ json: { users: `alice, @bob, ${carol.id}`, text: 'hello group' } },
					{ json: { users: [seed.alice.id, 'bob', 'carol'], text: 'same group, as a list' } },
				],
			},
		);
		expect(count('GET', '/api/v4/users/me')).toBe(1);
		const groups = mm.requests.filter((r: any) => r.path === '/api/v4/channels/group');
		expect(groups[0].body).toEqual([seed.bot.id, seed.alice.id, seed.bob.id, carol.id]);
		expect(groups[1].body).toEqual([seed.bot.id, seed.alice.id, seed.bob.id, carol.id]);
		expect(items[0].json.channel_id).toBe(items[1].json.channel_id);
		const channel = mm.state.channels.get(items[0].json.channel_id);
		expect(channel.type).toBe('G');
		for (const user of [seed.bot, seed.alice, seed.bob, carol]) expect(mm.state.channelMember(channel.id, user.id)).toBeTruthy();
		expect(mm.postsIn(channel.id).map((p: any) => p.message)).toEqual(['hello group', 'same group, as a list']);
	});

	it('leaves the token user out of the others and then needs two more', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const error = await runNode(
			mm,
			{ resource: 'message', operation: 'sendGroupMessage', users: 'n8n-bot, alice', message: 'x' },
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.message).toBe("A group message needs 2 to 7 users besides the credential's user; Users names 1");
		// The names were looked up, then nothing was created or posted.
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v4/users/me',
			'GET /api/v4/users/username/n8n-bot',
			'GET /api/v4/users/username/alice',
		]);
	});

	it('refuses too few, too many and malformed users before any request', async () => {
		const { mm, seed } = fake;
		const before = mm.requests.length;
		const run = (users: unknown) =>
			runNode(mm, { resource: 'message', operation: 'sendGroupMessage', users: users as INodeParameters['users'], message: 'x' }, { token: seed.tokens.bot });
		await expect(run('alice')).rejects.toThrow(/needs 2 to 7 users .*Users names 1$/);
		await expect(run('alice, alice')).rejects.toThrow(/Users names 1$/);
		await expect(run('a1x,b2x,c3x,d4x,e5x,f6x,g7x,h8x')).rejects.toThrow(/Users names 8$/);
		await expect(run('alice, bob smith')).rejects.toThrow('Users: "bob smith" is neither a username nor a user ID');
		expect(mm.requests.length).toBe(before);
	});
});
