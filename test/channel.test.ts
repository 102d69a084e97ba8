import { byId, byUrl, pagesAsked, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const API = '/api/v4';

/** Requests received since the last clearRequests(), optionally for one method and path. */
function received(method?: string, path?: string | RegExp) {
	return fake.mm.requests.filter(
		(r: any) =>
			(method === undefined || r.method === method) &&
			(path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))),
	);
}

const channel = (operation: string, parameters: Record<string, unknown> = {}) => ({
	resource: 'channel',
	operation,
	...parameters,
});

const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });

/** A team of its own for the big lists, so the seeded team stays small for the other tests. */
function bulkTeam(name: string) {
	const { mm, seed } = fake;
	const team = mm.createTeam({ name, display_name: name });
	for (const user of [seed.admin, seed.bot]) mm.addTeamMember(team.id, user.id);
	return team;
}

describe('Channel > Create', () => {
	it('creates a public channel with the given name, purpose and header; the server holds it', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			channel('create', {
				teamId: byId(seed.team.id),
				displayName: 'Release Notes',
				channelName: 'release-notes',
				channelType: 'public',
				additionalFields: { purpose: 'What shipped', header: '**Changelog**' },
			}),
			{ token: seed.tokens.bot },
		);

		const [request] = received('POST', `${API}/channels`);
		expect(request.body).toEqual({
			team_id: seed.team.id,
			name: 'release-notes',
			display_name: 'Release Notes',
			type: 'O',
			purpose: 'What shipped',
			header: '**Changelog**',
		});
		const stored = mm.state.channels.get(item.json.id);
		expect(stored).toMatchObject({
			team_id: seed.team.id,
			name: 'release-notes',
			display_name: 'Release Notes',
			type: 'O',
			purpose: 'What shipped',
			header: '**Changelog**',
			creator_id: seed.bot.id,
		});
		expect(mm.state.channelMember(stored.id, seed.bot.id)).toBeDefined();
		expect(item.json).toMatchObject({ id: stored.id, name: 'release-notes', type: 'O' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('makes the name from the display name when it is empty, and creates private channels as P', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			channel('create', {
				teamId: byUrl(`${mm.url}/${seed.team.name}`),
				displayName: 'Équipe  Zürich: Q3 Plans!',
				channelType: 'private',
			}),
			{ token: seed.tokens.bot },
		);
		const [request] = received('POST', `${API}/channels`);
		expect(request.body).toEqual({
			team_id: seed.team.id,
			name: 'equipe-zurich-q3-plans',
			display_name: 'Équipe  Zürich: Q3 Plans!',
			type: 'P',
		});
		expect(mm.state.channels.get(item.json.id)).toMatchObject({ name: 'equipe-zurich-q3-plans', type: 'P' });
	});

	it('refuses bad names, display names, texts and types before sending anything', async () => {
		const { mm, seed } = fake;
		const base = { teamId: byId(seed.team.id), displayName: 'Fine', channelType: 'public' };
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ channelName: 'Bad Name' }, /Name "Bad Name" is not a valid channel name/],
			[{ channelName: '-starts-with-dash' }, /is not a valid channel name/],
			[{ channelName: 'x'.repeat(65) }, /is not a valid channel name/],
			[{ displayName: '' }, /Display Name is empty/],
			[{ displayName: 'x'.repeat(65) }, /Display Name is 65 characters long; Mattermost accepts at most 64/],
			[{ displayName: '日本語' }, /No channel name can be made from the display name "日本語"/],
			[{ additionalFields: { purpose: 'p'.repeat(251) } }, /Purpose is 251 characters long/],
			[{ additionalFields: { header: 'h'.repeat(1025) } }, /Header is 1025 characters long/],
			[{ channelType: 'secret' }, /Type "secret" is not a channel type/],
			[{ teamId: byId('not-a-team') }, /Team "not-a-team" is not a Mattermost ID/],
		];
		mm.clearRequests();
		for (const [parameters, expected] of cases) {
			await expect(
				runNode(mm, channel('create', { ...base, ...parameters }), { token: seed.tokens.bot }),
			).rejects.toThrow(expected);
		}
		expect(mm.requests).toHaveLength(0);
	});

	it('accepts exactly 64 characters, and "O"/"P" given by expression', async () => {
		const { mm, seed } = fake;
		const name = `a${'b'.repeat(63)}`;
		const [item] = await runNode(
			mm,
			channel('create', { teamId: byId(seed.team.id), displayName: 'Long', channelName: name, channelType: '={{ "P" }}' }),
			{ token: seed.tokens.bot },
		);
		expect(mm.state.channels.get(item.json.id)).toMatchObject({ name, type: 'P' });
	});

	it('passes on the server\'s refusal of a name that is taken', async () => {
		const { mm, seed } = fake;
		const error = await runNode(
			mm,
			channel('create', { teamId: byId(seed.team.id), displayName: 'Town Square 2', channelName: 'town-square' }),
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe('A channel with that name already exists on the same team.');
	});
});

describe('Channel > Get', () => {
	it('by ID, simplified', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.offTopic;
		mm.clearRequests();
		const [item] = await runNode(mm, channel('get', { channelId: byId(target.id) }), { token: seed.tokens.bot });
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([`GET ${API}/channels/${target.id}`]);
		expect(item.json).toEqual({
			id: target.id,
			team_id: seed.team.id,
			name: 'off-topic',
			display_name: 'Off-Topic',
			type: 'O',
			purpose: '',
			header: '',
			creator_id: seed.admin.id,
			total_msg_count: mm.state.channels.get(target.id).total_msg_count,
			archived: false,
			created_at: new Date(target.create_at).toISOString(),
			last_post_at: new Date(mm.state.channels.get(target.id).last_post_at).toISOString(),
		});
	});

	it('by URL, raw', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.townSquare;
		const [item] = await runNode(
			mm,
			channel('get', { channelId: byUrl(`${mm.url}/${seed.team.name}/channels/${target.name}`), simplify: false }),
			{ token: seed.tokens.bot },
		);
		expect(item.json).toEqual(mm.state.channels.get(target.id));
	});

	it('by team and name, through /teams/{team}/channels/name/{name}', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.offTopic;
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			channel('get', { lookUpBy: 'teamAndName', teamId: byId(seed.team.id), channelName: 'off-topic', simplify: false }),
			{ token: seed.tokens.bot },
		);
		const [request] = received('GET');
		expect(request.path).toBe(`${API}/teams/${seed.team.id}/channels/name/off-topic`);
		expect(request.query).toEqual({ include_deleted: 'true' });
		expect(item.json.id).toBe(target.id);
	});

	it('finds archived channels by name and by URL too', async () => {
		const { mm, seed } = fake;
		const old = mm.createChannel({ team_id: seed.team.id, name: 'old-news', display_name: 'Old News' });
		mm.addChannelMember(old.id, seed.bot.id);
		mm.state.channels.get(old.id).delete_at = Date.now();
		const [byName] = await runNode(
			mm,
			channel('get', { lookUpBy: 'teamAndName', teamId: byId(seed.team.id), channelName: 'old-news' }),
			{ token: seed.tokens.bot },
		);
		expect(byName.json).toMatchObject({ id: old.id, archived: true });
		const [byLink] = await runNode(
			mm,
			channel('get', { channelId: byUrl(`${mm.url}/${seed.team.name}/channels/old-news`) }),
			{ token: seed.tokens.bot },
		);
		expect(byLink.json).toMatchObject({ id: old.id, archived: true });
	});

	it('a channel that does not exist: 404 naming what was looked up; a bad name is refused first', async () => {
		const { mm, seed } = fake;
		const error = await runNode(
			mm,
			channel('get', { lookUpBy: 'teamAndName', teamId: byId(seed.team.id), channelName: 'no-such-channel' }),
			{ token: seed.tokens.bot },
		).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain('channel named "no-such-channel"');

		mm.clearRequests();
		await expect(
			runNode(mm, channel('get', { lookUpBy: 'teamAndName', teamId: byId(seed.team.id), channelName: 'Off Topic' }), {
				token: seed.tokens.bot,
			}),
		).rejects.toThrow(/Channel Name "Off Topic" is not a valid channel name/);
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Channel > Get Many', () => {
	it('public channels: Return All pages through 650 channels, 200 per page', async () => {
		const { mm, seed } = fake;
		const team = bulkTeam('bulk-channels');
		for (let i = 0; i < 650; i++) {
			mm.createChannel({ team_id: team.id, name: `c${String(i).padStart(3, '0')}`, display_name: `C ${String(i).padStart(3, '0')}` });
		}
		mm.createChannel({ team_id: team.id, name: 'hidden', display_name: 'Hidden', type: 'P' });
		const gone = mm.createChannel({ team_id: team.id, name: 'gone', display_name: 'Gone' });
		mm.state.channels.get(gone.id).delete_at = Date.now();

		mm.clearRequests();
		const items = await runNode(
			mm,
			channel('getAll', { teamId: byId(team.id), scope: 'public', returnAll: true }),
			{ token: seed.tokens.bot },
		);
		const requests = received('GET', `${API}/teams/${team.id}/channels`);
		expect(pagesAsked(requests)).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(items).toHaveLength(650);
		expect(new Set(items.map((i: any) => i.json.id)).size).toBe(650);
		expect(items[0].json).toMatchObject({ name: 'c000', display_name: 'C 000', archived: false });
		expect(items[649].json.name).toBe('c649');
		expect(items[0].json.delete_at).toBeUndefined();
		expect(items.every((i: any) => i.pairedItem.item === 0)).toBe(true);

		mm.clearRequests();
		const limited = await runNode(
			mm,
			channel('getAll', { teamId: byId(team.id), scope: 'public', returnAll: false, limit: 250, simplify: false }),
			{ token: seed.tokens.bot },
		);
		expect(received('GET', `${API}/teams/${team.id}/channels`).map((r: any) => r.query.page)).toEqual(['0', '1']);
		expect(limited.map((i: any) => i.json.name)).toEqual(items.slice(0, 250).map((i: any) => i.json.name));
		expect(limited[0].json.delete_at).toBe(0);
	});

	it('channels I belong to: one request, team channels only unless direct messages are asked for', async () => {
		const { mm, seed } = fake;
		const { channel: direct } = mm.state.directChannel(seed.bot.id, seed.alice.id);
		const archived = mm.createChannel({ team_id: seed.team.id, name: 'bot-archive', display_name: 'Bot Archive' });
		mm.addChannelMember(archived.id, seed.bot.id);
		mm.state.channels.get(archived.id).delete_at = Date.now();
		const belongs = (extra: Record<string, unknown> = {}) =>
			runNode(mm, channel('getAll', { teamId: byId(seed.team.id), scope: 'mine', returnAll: true, ...extra }), {
				token: seed.tokens.bot,
			});

		mm.clearRequests();
		const items = await belongs();
		const requests = received('GET', `${API}/users/me/teams/${seed.team.id}/channels`);
		expect(requests).toHaveLength(1);
		expect(requests[0].query).toEqual({});
		const ids = items.map((i: any) => i.json.id);
		const expected = [...mm.state.channels.values()]
			.filter((c: any) => c.team_id === seed.team.id && c.delete_at === 0 && mm.state.channelMember(c.id, seed.bot.id))
			.map((c: any) => c.id);
		expect(ids.sort()).toEqual(expected.sort());
		expect(ids).toContain(seed.channels.townSquare.id);
		expect(ids).not.toContain(seed.channels.noBot.id);
		expect(ids).not.toContain(direct.id);
		expect(ids).not.toContain(archived.id);

		mm.clearRequests();
		const withExtras = await belongs({ options: { includeDirect: true, includeArchived: true } });
		expect(received('GET')[0].query).toEqual({ include_deleted: 'true' });
		const extraIds = withExtras.map((i: any) => i.json.id);
		expect(extraIds).toEqual(expect.arrayContaining([direct.id, archived.id, seed.channels.townSquare.id]));

		const limited = await runNode(
			mm,
			channel('getAll', { teamId: byId(seed.team.id), scope: 'mine', returnAll: false, limit: 1 }),
			{ token: seed.tokens.bot },
		);
		expect(limited).toHaveLength(1);
	});
});

describe('Channel > Update', () => {
	it('sends only the fields given; an empty purpose clears it', async () => {
		const { mm, seed } = fake;
		const target = mm.createChannel({
			team_id: seed.team.id,
			name: 'to-update',
			display_name: 'To Update',
			purpose: 'old purpose',
			header: 'old header',
		});
		mm.addChannelMember(target.id, seed.bot.id);
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			channel('update', { channelId: byId(target.id), updateFields: { purpose: '', header: 'new header' } }),
			{ token: seed.tokens.bot },
		);
		const [request] = received('PUT', `${API}/channels/${target.id}/patch`);
		expect(request.body).toEqual({ purpose: '', header: 'new header' });
		expect(mm.state.channels.get(target.id)).toMatchObject({
			display_name: 'To Update',
			name: 'to-update',
			purpose: '',
			header: 'new header',
		});
		expect(item.json).toMatchObject({ id: target.id, purpose: '', header: 'new header' });

		await runNode(
			mm,
			channel('update', { channelId: byId(target.id), updateFields: { displayName: 'Renamed', channelName: 'renamed' } }),
			{ token: seed.tokens.bot },
		);
		expect(received('PUT').pop().body).toEqual({ display_name: 'Renamed', name: 'renamed' });
		expect(mm.state.channels.get(target.id)).toMatchObject({ display_name: 'Renamed', name: 'renamed' });
	});

	it('refuses an empty update and bad fields before sending anything', async () => {
		const { mm, seed } = fake;
		const channelId = byId(seed.channels.offTopic.id);
		mm.clearRequests();
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{}, /Update Fields is empty/],
			[{ displayName: '  ' }, /Display Name is empty/],
			[{ channelName: 'UPPER' }, /Name "UPPER" is not a valid channel name/],
			[{ purpose: 'p'.repeat(251) }, /Purpose is 251 characters long/],
		];
		for (const [updateFields, expected] of cases) {
			await expect(
				runNode(mm, channel('update', { channelId, updateFields }), { token: seed.tokens.bot }),
			).rejects.toThrow(expected);
		}
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Channel > Archive and Restore', () => {
	it('archives, then restores a channel given by URL although it is archived', async () => {
		const { mm, seed } = fake;
		const target = mm.createChannel({ team_id: seed.team.id, name: 'short-lived', display_name: 'Short Lived' });
		mm.addChannelMember(target.id, seed.bot.id);

		mm.clearRequests();
		const [archived] = await runNode(mm, channel('archive', { channelId: byId(target.id) }), { token: seed.tokens.bot });
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([`DELETE ${API}/channels/${target.id}`]);
		expect(archived.json).toEqual({ archived: true, id: target.id });
		expect(mm.state.channels.get(target.id).delete_at).toBeGreaterThan(0);

		mm.clearRequests();
		const [restored] = await runNode(
			mm,
			channel('restore', { channelId: byUrl(`${mm.url}/${seed.team.name}/channels/short-lived`) }),
			{ token: seed.tokens.admin },
		);
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([
			`GET ${API}/teams/name/${seed.team.name}/channels/name/short-lived`,
			`POST ${API}/channels/${target.id}/restore`,
		]);
		expect(received()[0].query).toEqual({ include_deleted: 'true' });
		expect(mm.state.channels.get(target.id).delete_at).toBe(0);
		expect(restored.json).toMatchObject({ id: target.id, delete_at: 0 });
	});

	it('restoring needs team admin rights: the bot gets a 403 that says so', async () => {
		const { mm, seed } = fake;
		const target = mm.createChannel({ team_id: seed.team.id, name: 'stays-archived', display_name: 'Stays Archived' });
		mm.state.channels.get(target.id).delete_at = Date.now();
		const error = await runNode(mm, channel('restore', { channelId: byId(target.id) }), { token: seed.tokens.bot }).catch(
			(e) => e,
		);
		expect(error.httpCode).toBe('403');
		expect(mm.state.channels.get(target.id).delete_at).toBeGreaterThan(0);
	});
});

describe('Channel > Add Member and Remove Member', () => {
	it('adds a user given by username; adding them again is harmless; removing takes them out', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.offTopic;
		const carol = mm.createUser({ username: 'carol' });
		mm.addTeamMember(seed.team.id, carol.id);

		mm.clearRequests();
		const [added] = await runNode(
			mm,
			channel('addMember', { channelId: byId(target.id), userId: byUsername('carol') }),
			{ token: seed.tokens.bot },
		);
		const [request] = received('POST', `${API}/channels/${target.id}/members`);
		expect(request.body).toEqual({ user_id: carol.id });
		expect(mm.state.channelMember(target.id, carol.id)).toBeDefined();
		expect(added.json).toMatchObject({ channel_id: target.id, user_id: carol.id });

		const [again] = await runNode(
			mm,
			channel('addMember', { channelId: byId(target.id), userId: byId(carol.id) }),
			{ token: seed.tokens.bot },
		);
		expect(again.json).toEqual(added.json);
		expect(mm.state.membersOfChannel(target.id).filter((m: any) => m.user_id === carol.id)).toHaveLength(1);

		mm.clearRequests();
		const [removed] = await runNode(
			mm,
			channel('removeMember', { channelId: byId(target.id), userId: byId(carol.id) }),
			{ token: seed.tokens.bot },
		);
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([
			`DELETE ${API}/channels/${target.id}/members/${carol.id}`,
		]);
		expect(removed.json).toEqual({ removed: true });
		expect(mm.state.channelMember(target.id, carol.id)).toBeUndefined();
	});

	it('a user outside the channel\'s team: 404 that says to add them to the team first', async () => {
		const { mm, seed } = fake;
		const outsider = mm.createUser({ username: 'outsider' });
		const error = await runNode(
			mm,
			channel('addMember', { channelId: byId(seed.channels.townSquare.id), userId: byId(outsider.id) }),
			{ token: seed.tokens.admin },
		).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain(`user ${outsider.id} in the channel's team`);
		expect(error.description).toContain('Team > Add Member');
		expect(mm.state.channelMember(seed.channels.townSquare.id, outsider.id)).toBeUndefined();
	});

	it('removing someone who is not a member: the server\'s 404, nothing changes', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.private;
		const before = mm.state.membersOfChannel(target.id).length;
		const error = await runNode(mm, channel('removeMember', { channelId: byId(target.id), userId: byId(seed.bob.id) }), {
			token: seed.tokens.admin,
		}).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe('No channel member found for that user ID and channel ID.');
		expect(mm.state.membersOfChannel(target.id)).toHaveLength(before);
	});

	it('refuses bad IDs before sending anything', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		await expect(
			runNode(mm, channel('addMember', { channelId: byId(seed.channels.offTopic.id), userId: byId('nope') }), {
				token: seed.tokens.bot,
			}),
		).rejects.toThrow('User "nope" is not a Mattermost ID');
		await expect(
			runNode(mm, channel('removeMember', { channelId: byId('nope'), userId: byId(seed.alice.id) }), {
				token: seed.tokens.bot,
			}),
		).rejects.toThrow('Channel "nope" is not a Mattermost ID');
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Channel > Get Members', () => {
	let bigChannel: any;
	let users: any[];

	beforeAll(() => {
		const { mm, seed } = fake;
		const team = bulkTeam('bulk-members');
		bigChannel = mm.createChannel({ team_id: team.id, name: 'crowded', display_name: 'Crowded' });
		mm.addChannelMember(bigChannel.id, seed.bot.id);
		users = [];
		for (let i = 0; i < 649; i++) {
			const user = mm.createUser({ username: `crowd${i}`, first_name: `Crowd ${i}` });
			mm.addTeamMember(team.id, user.id);
			mm.addChannelMember(bigChannel.id, user.id);
			users.push(user);
		}
	});

	it('Return All: 650 members over four pages, each member once', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(mm, channel('getMembers', { channelId: byId(bigChannel.id), returnAll: true }), {
			token: seed.tokens.bot,
		});
		expect(pagesAsked(received('GET', `${API}/channels/${bigChannel.id}/members`))).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(received('POST', `${API}/users/ids`)).toHaveLength(0);
		expect(items).toHaveLength(650);
		const userIds = items.map((i: any) => i.json.user_id);
		expect(new Set(userIds).size).toBe(650);
		expect(userIds).toEqual(expect.arrayContaining([seed.bot.id, ...users.map((u) => u.id)]));
		expect(items[0].json).toMatchObject({ channel_id: bigChannel.id });
		expect(items[0].json.user).toBeUndefined();
	});

	it('Resolve Users: every page\'s users through /users/ids, 200 ids at most per call, merged as "user"', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			channel('getMembers', { channelId: byId(bigChannel.id), returnAll: true, options: { resolveUsers: true } }),
			{ token: seed.tokens.bot },
		);
		const lookups = received('POST', `${API}/users/ids`);
		expect(lookups.map((r: any) => r.body.length)).toEqual([200, 200, 200, 50]);
		expect(new Set(lookups.flatMap((r: any) => r.body)).size).toBe(650);
		expect(items).toHaveLength(650);
		for (const item of items) {
			expect(item.json.user).toMatchObject({ id: item.json.user_id, username: mm.state.users.get(item.json.user_id).username });
		}
		const crowd7 = items.find((i: any) => i.json.user.username === 'crowd7');
		expect(crowd7?.json).toMatchObject({ channel_id: bigChannel.id, roles: 'channel_user', user: { first_name: 'Crowd 7' } });
	});

	it('Limit 250 cuts the second page; only those members are resolved', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			channel('getMembers', { channelId: byId(bigChannel.id), returnAll: false, limit: 250, options: { resolveUsers: true } }),
			{ token: seed.tokens.bot },
		);
		expect(received('GET', `${API}/channels/${bigChannel.id}/members`).map((r: any) => r.query.page)).toEqual(['0', '1']);
		expect(items).toHaveLength(250);
		expect(received('POST', `${API}/users/ids`).map((r: any) => r.body.length)).toEqual([200, 50]);
		expect(items.every((i: any) => i.json.user?.id === i.json.user_id)).toBe(true);
	});

	it('a small channel, default limit', async () => {
		const { mm, seed } = fake;
		const items = await runNode(mm, channel('getMembers', { channelId: byId(seed.channels.private.id) }), {
			token: seed.tokens.alice,
		});
		expect(items.map((i: any) => i.json.user_id).sort()).toEqual([seed.admin.id, seed.alice.id].sort());
	});
});

describe('Channel > Search', () => {
	it('posts the term to /teams/{team}/channels/search; one item per channel, simplified', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(mm, channel('search', { teamId: byId(seed.team.id), term: 'off' }), {
			token: seed.tokens.bot,
		});
		const [request] = received('POST', `${API}/teams/${seed.team.id}/channels/search`);
		expect(request.body).toEqual({ term: 'off' });
		expect(items.map((i: any) => i.json.id)).toEqual([seed.channels.offTopic.id]);
		expect(items[0].json).toMatchObject({ name: 'off-topic', archived: false });
		expect(items[0].json.update_at).toBeUndefined();

		const none = await runNode(mm, channel('search', { teamId: byId(seed.team.id), term: 'zzz' }), { token: seed.tokens.bot });
		expect(none).toEqual([]);
	});

	it('an empty term is refused before sending anything', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		await expect(
			runNode(mm, channel('search', { teamId: byId(seed.team.id), term: '  ' }), { token: seed.tokens.bot }),
		).rejects.toThrow('Search Term is empty');
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Channel > Statistics', () => {
	it('answers the counts of /channels/{id}/stats', async () => {
		const { mm, seed } = fake;
		const target = seed.channels.townSquare;
		const pinned = mm.createPost({ channel_id: target.id, user_id: seed.alice.id, message: 'pin me' });
		mm.state.posts.get(pinned.id).is_pinned = true;
		mm.clearRequests();
		const [item] = await runNode(mm, channel('statistics', { channelId: byId(target.id) }), { token: seed.tokens.bot });
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([`GET ${API}/channels/${target.id}/stats`]);
		expect(item.json).toMatchObject({
			channel_id: target.id,
			member_count: mm.state.membersOfChannel(target.id).length,
			pinnedpost_count: 1,
		});
	});
});
