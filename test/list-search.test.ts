import { byId, runNode, searchList, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const tlsFake = useFakeMattermost({ tls: true });

describe('list search with a non-admin bot token', () => {
	it('the bot is not an admin: /channels is forbidden to it', async () => {
		const { mm, seed } = fake;
		expect(seed.bot.roles).not.toMatch(/system_admin/);
		const response = await fetch(`${mm.url}/api/v4/channels`, { headers: { Authorization: `Bearer ${seed.tokens.bot}` } });
		expect(response.status).toBe(403);
	});

	it('teams: the bot\'s teams, searchable, with URLs', async () => {
		const { mm, seed } = fake;
		const all = await searchList(mm, 'searchTeams', seed.tokens.bot);
		expect(all.results.map((r: any) => r.value)).toContain(seed.team.id);
		expect(all.results.map((r: any) => r.value)).not.toContain(seed.otherTeam.id);
		expect(all.results.find((r: any) => r.value === seed.team.id)?.url).toBe(`${mm.url}/${seed.team.name}`);
		const filtered = await searchList(mm, 'searchTeams', seed.tokens.bot, 'zzz-no-such-team');
		expect(filtered.results).toEqual([]);
		expect(mm.requests.some((r: any) => r.path === '/api/v4/users/me/teams')).toBe(true);
	});

	it('channels: only channels the bot belongs to, from /users/me/teams/{team}/channels, searchable', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const result = await searchList(mm, 'searchChannels', seed.tokens.bot, undefined, undefined, {
			teamId: byId(seed.team.id),
		});
		const ids = result.results.map((r: any) => r.value);
		expect(ids).toContain(seed.channels.townSquare.id);
		const memberIds = [...mm.state.channelMembers.values()]
			.filter((m: any) => m.user_id === seed.bot.id)
			.map((m: any) => m.channel_id);
		for (const id of ids) expect(memberIds).toContain(id);
		expect(mm.requests.map((r: any) => r.path)).toContain(`/api/v4/users/me/teams/${seed.team.id}/channels`);
		expect(mm.requests.map((r: any) => r.path)).not.toContain('/api/v4/channels');

		const search = seed.channels.townSquare.display_name.slice(0, 4).toLowerCase();
		const filtered = await searchList(mm, 'searchChannels', seed.tokens.bot, search, undefined, { teamId: byId(seed.team.id) });
		expect(filtered.results.map((r: any) => r.value)).toContain(seed.channels.townSquare.id);
		expect(filtered.results.every((r: any) => r.name.toLowerCase().includes(search))).toBe(true);
	});

	it('channels: without a team, pages through the bot\'s teams one by one', async () => {
		const { mm, seed } = fake;
		const secondTeam = mm.createTeam({ name: 'second-team', display_name: 'Zeta Team' });
		mm.addTeamMember(secondTeam.id, seed.bot.id);
		const room = mm.createChannel({ team_id: secondTeam.id, name: 'zeta-room', display_name: 'Zeta Room' });
		mm.addChannelMember(room.id, seed.bot.id);
		const first = await searchList(mm, 'searchChannels', seed.tokens.bot);
		expect(first.paginationToken).toBeDefined();
		const second = await searchList(mm, 'searchChannels', seed.tokens.bot, undefined, first.paginationToken);
		const all = [...first.results, ...second.results].map((r: any) => r.value);
		expect(all).toEqual(expect.arrayContaining([seed.channels.townSquare.id, room.id]));
	});

	it('users: search by name through autocomplete, and page through all users', async () => {
		const { mm, seed } = fake;
		const found = await searchList(mm, 'searchUsers', seed.tokens.bot, seed.alice.username.slice(0, 3));
		expect(found.results.map((r: any) => r.value)).toContain(seed.alice.id);
		for (let n = 0; n < 120; n++) mm.createUser({ username: `filler${n}`, email: `filler${n}@example.com` });
		const page1 = await searchList(mm, 'searchUsers', seed.tokens.bot);
		expect(page1.results).toHaveLength(100);
		expect(page1.paginationToken).toBe('1');
		const page2 = await searchList(mm, 'searchUsers', seed.tokens.bot, undefined, page1.paginationToken);
		expect(page2.results.length).toBeGreaterThan(0);
		const overlap = page2.results.filter((r: any) => page1.results.some((p: any) => p.value === r.value));
		expect(overlap).toEqual([]);
	});

	it('works over HTTPS with Ignore SSL Issues on', async () => {
		const { mm, seed } = tlsFake;
		const { listSearch } = await import('./harness');
		const { nodeType, credentialType } = await import('./support');
		const result = await listSearch({
			nodeType,
			methodName: 'searchTeams',
			credentials: { mattermostSuiteApi: { accessToken: seed.tokens.bot, baseUrl: mm.url, ignoreSslIssues: true } },
			credentialTypes: [credentialType],
		});
		expect(result.results.length).toBeGreaterThan(0);
		await expect(
			runNode(mm, { resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'tls' }, { token: seed.tokens.bot }),
		).rejects.toMatchObject({ message: expect.stringMatching(/certificate could not be verified/) });
	});
});
