import { byId, byUrl, pagesAsked, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const API = '/api/v4';

function received(method?: string, path?: string) {
	return fake.mm.requests.filter(
		(r: any) => (method === undefined || r.method === method) && (path === undefined || r.path === path),
	);
}

const team = (operation: string, parameters: Record<string, unknown> = {}) => ({
	resource: 'team',
	operation,
	...parameters,
});

const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });

describe('Team > Get', () => {
	it('by ID, simplified', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const [item] = await runNode(mm, team('get', { teamId: byId(seed.team.id) }), { token: seed.tokens.bot });
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([`GET ${API}/teams/${seed.team.id}`]);
		expect(item.json).toEqual({
			id: seed.team.id,
			name: 'test-team',
			display_name: 'Test Team',
			description: 'Where the tests happen',
			type: 'O',
			email: '',
			allow_open_invite: true,
			archived: false,
			created_at: new Date(seed.team.create_at).toISOString(),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('by URL and by name, raw', async () => {
		const { mm, seed } = fake;
		const [fromUrl] = await runNode(
			mm,
			team('get', { teamId: byUrl(`${mm.url}/${seed.team.name}`), simplify: false }),
			{ token: seed.tokens.bot },
		);
		expect(fromUrl.json).toEqual(mm.state.teams.get(seed.team.id));

		mm.clearRequests();
		const [fromName] = await runNode(
			mm,
			team('get', { lookUpBy: 'name', teamName: 'other-team', simplify: false }),
			{ token: seed.tokens.alice },
		);
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([`GET ${API}/teams/name/other-team`]);
		expect(fromName.json).toEqual(mm.state.teams.get(seed.otherTeam.id));
	});

	it('an invite-only team the token\'s user is not in: 403; a bad name or ID is refused before any request', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, team('get', { teamId: byId(seed.otherTeam.id) }), { token: seed.tokens.bot }).catch(
			(e) => e,
		);
		expect(error.httpCode).toBe('403');

		mm.clearRequests();
		await expect(
			runNode(mm, team('get', { lookUpBy: 'name', teamName: 'Test Team' }), { token: seed.tokens.bot }),
		).rejects.toThrow('Team Name "Test Team" is not a team name');
		await expect(runNode(mm, team('get', { lookUpBy: 'name', teamName: '' }), { token: seed.tokens.bot })).rejects.toThrow(
			'Team Name is empty',
		);
		await expect(runNode(mm, team('get', { teamId: byId('abc') }), { token: seed.tokens.bot })).rejects.toThrow(
			'Team "abc" is not a Mattermost ID',
		);
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Team > Get Members', () => {
	let bigTeam: any;

	beforeAll(() => {
		const { mm, seed } = fake;
		bigTeam = mm.createTeam({ name: 'big-team', display_name: 'Big Team' });
		mm.addTeamMember(bigTeam.id, seed.bot.id);
		for (let i = 0; i < 649; i++) {
			const user = mm.createUser({ username: `member${i}`, last_name: `Number ${i}` });
			mm.addTeamMember(bigTeam.id, user.id);
		}
	});

	it('Return All: 650 members over four pages', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(mm, team('getMembers', { teamId: byId(bigTeam.id), returnAll: true }), {
			token: seed.tokens.bot,
		});
		expect(pagesAsked(received('GET', `${API}/teams/${bigTeam.id}/members`))).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(items).toHaveLength(650);
		const expected = mm.state.membersOfTeam(bigTeam.id).map((m: any) => m.user_id);
		expect(items.map((i: any) => i.json.user_id)).toEqual(expected);
		expect(items[0].json).toMatchObject({ team_id: bigTeam.id, roles: 'team_user', delete_at: 0 });
		expect(received('POST', `${API}/users/ids`)).toHaveLength(0);
	});

	it('Limit 250 cuts the second page; Resolve Users merges each member\'s user', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			team('getMembers', { teamId: byId(bigTeam.id), returnAll: false, limit: 250, options: { resolveUsers: true } }),
			{ token: seed.tokens.bot },
		);
		expect(received('GET', `${API}/teams/${bigTeam.id}/members`).map((r: any) => r.query.page)).toEqual(['0', '1']);
		expect(items).toHaveLength(250);
		const lookups = received('POST', `${API}/users/ids`);
		expect(lookups.map((r: any) => r.body.length)).toEqual([200, 50]);
		for (const item of items) {
			expect(item.json.user).toMatchObject({ id: item.json.user_id, username: mm.state.users.get(item.json.user_id).username });
		}
		const member5 = items.find((i: any) => i.json.user.username === 'member5');
		expect(member5?.json).toMatchObject({ team_id: bigTeam.id, user: { last_name: 'Number 5' } });
	});

	it('a team the token\'s user is not in: 403', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, team('getMembers', { teamId: byId(seed.otherTeam.id) }), {
			token: seed.tokens.bot,
		}).catch((e) => e);
		expect(error.httpCode).toBe('403');
	});
});

describe('Team > Add Member and Remove Member', () => {
	it('adds a user (who joins the default channels); adding again is harmless; removing takes them out', async () => {
		const { mm, seed } = fake;
		const otherTownSquare = seed.channels.otherTownSquare;

		mm.clearRequests();
		const [added] = await runNode(
			mm,
			team('addMember', { teamId: byId(seed.otherTeam.id), userId: byUsername('bob') }),
			{ token: seed.tokens.admin },
		);
		const [request] = received('POST', `${API}/teams/${seed.otherTeam.id}/members`);
		expect(request.body).toEqual({ team_id: seed.otherTeam.id, user_id: seed.bob.id });
		expect(mm.state.teamMember(seed.otherTeam.id, seed.bob.id)).toBeDefined();
		expect(mm.state.channelMember(otherTownSquare.id, seed.bob.id)).toBeDefined();
		expect(added.json).toMatchObject({ team_id: seed.otherTeam.id, user_id: seed.bob.id, roles: 'team_user' });

		const [again] = await runNode(
			mm,
			team('addMember', { teamId: byId(seed.otherTeam.id), userId: byId(seed.bob.id) }),
			{ token: seed.tokens.admin },
		);
		expect(again.json).toEqual(added.json);
		expect(mm.state.membersOfTeam(seed.otherTeam.id).filter((m: any) => m.user_id === seed.bob.id)).toHaveLength(1);

		mm.clearRequests();
		const [removed] = await runNode(
			mm,
			team('removeMember', { teamId: byId(seed.otherTeam.id), userId: byId(seed.bob.id) }),
			{ token: seed.tokens.admin },
		);
		expect(received().map((r: any) => `${r.method} ${r.path}`)).toEqual([
			`DELETE ${API}/teams/${seed.otherTeam.id}/members/${seed.bob.id}`,
		]);
		expect(removed.json).toEqual({ removed: true });
		expect(mm.state.teamMember(seed.otherTeam.id, seed.bob.id)).toBeUndefined();
		expect(mm.state.channelMember(otherTownSquare.id, seed.bob.id)).toBeUndefined();
	});

	it('removing someone who is not a member: the server\'s 400, nothing changes', async () => {
		const { mm, seed } = fake;
		const before = mm.state.membersOfTeam(seed.otherTeam.id).length;
		const error = await runNode(
			mm,
			team('removeMember', { teamId: byId(seed.otherTeam.id), userId: byId(seed.bot.id) }),
			{ token: seed.tokens.admin },
		).catch((e) => e);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe('The user does not appear to be part of this team.');
		expect(mm.state.membersOfTeam(seed.otherTeam.id)).toHaveLength(before);
	});

	it('refuses bad IDs before sending anything', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		await expect(
			runNode(mm, team('addMember', { teamId: byId(seed.team.id), userId: byId('x') }), { token: seed.tokens.admin }),
		).rejects.toThrow('User "x" is not a Mattermost ID');
		await expect(
			runNode(mm, team('removeMember', { teamId: byId('x'), userId: byId(seed.bob.id) }), { token: seed.tokens.admin }),
		).rejects.toThrow('Team "x" is not a Mattermost ID');
		expect(mm.requests).toHaveLength(0);
	});
});

describe('Team > Get Many', () => {
	it('mine: /users/me/teams once, all at once, simplified', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(mm, team('getAll', { scope: 'mine', returnAll: true }), { token: seed.tokens.alice });
		const requests = received('GET', `${API}/users/me/teams`);
		expect(requests).toHaveLength(1);
		expect(requests[0].query).toEqual({});
		expect(items.map((i: any) => i.json.id).sort()).toEqual([seed.team.id, seed.otherTeam.id].sort());
		expect(items[0].json.archived).toBe(false);
		expect(items[0].json.invite_id).toBeUndefined();

		const limited = await runNode(mm, team('getAll', { scope: 'mine', limit: 1 }), { token: seed.tokens.alice });
		expect(limited).toHaveLength(1);
	});

	it('all the token can see: a non-admin gets only open teams, not even its own invite-only ones', async () => {
		const { mm, seed } = fake;
		const items = await runNode(mm, team('getAll', { scope: 'all', returnAll: true }), { token: seed.tokens.alice });
		const ids = items.map((i: any) => i.json.id);
		expect(ids).toContain(seed.team.id);
		expect(ids).not.toContain(seed.otherTeam.id);
		const admin = await runNode(mm, team('getAll', { scope: 'all', returnAll: true }), { token: seed.tokens.admin });
		expect(admin.map((i: any) => i.json.id)).toEqual(expect.arrayContaining([seed.team.id, seed.otherTeam.id]));
	});

	it('all: Return All pages through more than 600 teams; Limit 250 cuts the second page', async () => {
		const { mm, seed } = fake;
		for (let i = 0; i < 620; i++) mm.createTeam({ name: `t${String(i).padStart(3, '0')}`, display_name: `T ${String(i).padStart(3, '0')}` });
		const total = [...mm.state.teams.values()].filter((t: any) => t.delete_at === 0).length;

		mm.clearRequests();
		const items = await runNode(mm, team('getAll', { scope: 'all', returnAll: true, simplify: false }), {
			token: seed.tokens.admin,
		});
		expect(pagesAsked(received('GET', `${API}/teams`))).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(items).toHaveLength(total);
		expect(new Set(items.map((i: any) => i.json.id)).size).toBe(total);
		expect(items[0].json.invite_id).toBeDefined();

		mm.clearRequests();
		const limited = await runNode(mm, team('getAll', { scope: 'all', limit: 250 }), { token: seed.tokens.admin });
		expect(received('GET', `${API}/teams`).map((r: any) => r.query.page)).toEqual(['0', '1']);
		expect(limited.map((i: any) => i.json.id)).toEqual(items.slice(0, 250).map((i: any) => i.json.id));
	});
});
