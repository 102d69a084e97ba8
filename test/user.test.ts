import type { INodeParameters } from 'n8n-workflow';

import { endOfDay, endOfWeek } from '../nodes/MattermostSuite/actions/user/shared';
import { executeNode } from './harness';
import { byId, credentialsFor, credentialType, nodeType, pagesAsked, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const user = (operation: string, parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'user',
	operation,
	...parameters,
});
const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });
const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });

/** Requests recorded since `mark` (an index into mm.requests), as "METHOD /path". */
function requestsSince(mark: number): string[] {
	return fake.mm.requests.slice(mark).map((r: any) => `${r.method} ${r.path}`);
}

async function failure(parameters: INodeParameters, token: string) {
	const mark = fake.mm.requests.length;
	const error = await runNode(fake.mm, parameters, { token }).catch((e) => e);
	expect(error).toBeInstanceOf(Error);
	return { error, sent: requestsSince(mark) };
}

describe('User > Create', () => {
	it('creates the account (admin token); the server holds it; output simplified or raw', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(
			mm,
			user('create', {
				email: 'nathan@example.com',
				username: 'Nathan',
				password: 'correct-horse-battery',
				additionalFields: { first_name: 'Nathan', last_name: 'Nord', nickname: 'nate', position: 'Ops' },
			}),
			{ token: seed.tokens.admin },
		);
		const sent = mm.requests.at(-1);
		expect(`${sent.method} ${sent.path}`).toBe('POST /api/v4/users');
		expect(sent.body).toEqual({
			email: 'nathan@example.com',
			username: 'nathan',
			password: 'correct-horse-battery',
			first_name: 'Nathan',
			last_name: 'Nord',
			nickname: 'nate',
			position: 'Ops',
		});
		const stored = mm.state.users.get(item.json.id);
		expect(stored).toMatchObject({ username: 'nathan', email: 'nathan@example.com', first_name: 'Nathan', nickname: 'nate' });
		expect(item.json).toEqual({
			id: stored.id,
			username: 'nathan',
			email: 'nathan@example.com',
			first_name: 'Nathan',
			last_name: 'Nord',
			nickname: 'nate',
			position: 'Ops',
			roles: 'system_user',
			locale: 'en',
			is_bot: undefined,
			active: true,
			created_at: new Date(stored.create_at).toISOString(),
		});

		const [raw] = await runNode(
			mm,
			user('create', { email: 'olivia@example.com', username: 'olivia', password: 'pw-12345678', simplify: false }),
			{ token: seed.tokens.admin },
		);
		expect(raw.json).toMatchObject({ username: 'olivia', notify_props: expect.any(Object), update_at: expect.any(Number) });
	});

	it('refuses a bad email or username before any request, and reports the server refusing a non-admin', async () => {
		const { seed } = fake;
		const badEmail = await failure(user('create', { email: 'not-an-email', username: 'x-user', password: 'pw-12345678' }), seed.tokens.admin);
		expect(badEmail.error.message).toBe('Email "not-an-email" is not an email address');
		expect(badEmail.sent).toEqual([]);
		const badName = await failure(user('create', { email: 'p@example.com', username: '1abc', password: 'pw-12345678' }), seed.tokens.admin);
		expect(badName.error.message).toMatch(/Username "1abc" is not allowed/);
		expect(badName.sent).toEqual([]);

		const denied = await failure(user('create', { email: 'q@example.com', username: 'quentin', password: 'pw-12345678' }), seed.tokens.bot);
		expect(denied.error.httpCode).toBe('403');
		expect(denied.sent).toEqual(['POST /api/v4/users']);
		expect(fake.mm.state.users.size).toBeGreaterThan(0);
		expect([...fake.mm.state.users.values()].some((u: any) => u.username === 'quentin')).toBe(false);
	});
});

describe('User > Deactivate', () => {
	it('deactivates a user given by username; the server holds the account as deactivated', async () => {
		const { mm, seed } = fake;
		const victim = mm.createUser({ username: 'leaving-soon' });
		const mark = mm.requests.length;
		const [item] = await runNode(mm, user('deactivate', { userId: byUsername('@leaving-soon') }), { token: seed.tokens.admin });
		expect(requestsSince(mark)).toEqual(['GET /api/v4/users/username/leaving-soon', `DELETE /api/v4/users/${victim.id}`]);
		expect(mm.state.users.get(victim.id).delete_at).toBeGreaterThan(0);
		expect(item.json).toEqual({ deactivated: true, id: victim.id });
	});

	it('a non-admin token gets the server\'s 403', async () => {
		const { mm, seed } = fake;
		const { error, sent } = await failure(user('deactivate', { userId: byId(seed.bob.id) }), seed.tokens.bot);
		expect(error.httpCode).toBe('403');
		expect(sent).toEqual([`DELETE /api/v4/users/${seed.bob.id}`]);
		expect(mm.state.users.get(seed.bob.id).delete_at).toBe(0);
	});
});

describe('User > Get', () => {
	it.each([
		['username', () => byUsername('alice'), () => '/api/v4/users/username/alice'],
		['email', () => byEmail('alice@example.com'), () => '/api/v4/users/email/alice%40example.com'],
		['id', () => byId(fake.seed.alice.id), () => `/api/v4/users/${fake.seed.alice.id}`],
	])('by %s: one request, the user', async (_mode, locator, path) => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const [item] = await runNode(mm, user('get', { userId: locator() }), { token: seed.tokens.bot });
		expect(mm.requests.length - mark).toBe(1);
		expect(decodeURIComponent(mm.requests.at(-1).path)).toBe(decodeURIComponent(path()));
		expect(item.json).toMatchObject({ id: seed.alice.id, username: 'alice', first_name: 'Alice', position: 'Engineer', active: true });
	});

	it('raw output without Simplify; an invalid ID or email fails before any request; a missing user names what was looked up', async () => {
		const { mm, seed } = fake;
		const [raw] = await runNode(mm, user('get', { userId: byId(seed.bob.id), simplify: false }), { token: seed.tokens.bot });
		expect(raw.json).toMatchObject({ id: seed.bob.id, nickname: 'bobby', update_at: expect.any(Number), delete_at: 0 });

		const badId = await failure(user('get', { userId: byId('bob') }), seed.tokens.bot);
		expect(badId.error.message).toBe('User "bob" is not a Mattermost ID');
		expect(badId.sent).toEqual([]);
		const badEmail = await failure(user('get', { userId: byEmail('bob') }), seed.tokens.bot);
		expect(badEmail.error.message).toBe('Email "bob" is not an email address');
		expect(badEmail.sent).toEqual([]);

		const missing = await failure(user('get', { userId: byUsername('nobody-here') }), seed.tokens.bot);
		expect(missing.error.httpCode).toBe('404');
		expect(missing.error.description).toContain('user named "nobody-here"');
	});
});

describe('User > Get Me', () => {
	it('returns the credential\'s user', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(mm, user('getMe'), { token: seed.tokens.bot });
		expect(mm.requests.at(-1).path).toBe('/api/v4/users/me');
		expect(item.json).toMatchObject({ id: seed.bot.id, username: 'n8n-bot', is_bot: true, active: true });
	});
});

describe('User > Get Many', () => {
	const PREFIX = 'zz-many-';
	const COUNT = 650;

	beforeAll(() => {
		for (let i = 0; i < COUNT; i++) fake.mm.createUser({ username: `${PREFIX}${String(i).padStart(3, '0')}` });
	});

	it('Return All walks every page (per_page 200) of a list longer than three pages', async () => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const items = await runNode(mm, user('getAll', { returnAll: true }), { token: seed.tokens.bot });
		const pages = mm.requests.slice(mark);
		expect(pages.every((r: any) => r.path === '/api/v4/users')).toBe(true);
		expect(pagesAsked(pages)).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(items).toHaveLength(mm.state.users.size);
		expect(items.filter((i) => String(i.json.username).startsWith(PREFIX))).toHaveLength(COUNT);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(items.length);
		expect(items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('Limit cuts a page: 250 takes two pages of 200 and keeps 250; 30 asks for 30', async () => {
		const { mm, seed } = fake;
		let mark = mm.requests.length;
		const items = await runNode(mm, user('getAll', { returnAll: false, limit: 250 }), { token: seed.tokens.bot });
		expect(items).toHaveLength(250);
		expect(mm.requests.slice(mark).map((r: any) => [r.query.page, r.query.per_page])).toEqual([['0', '200'], ['1', '200']]);

		mark = mm.requests.length;
		const few = await runNode(mm, user('getAll', { limit: 30 }), { token: seed.tokens.bot });
		expect(few).toHaveLength(30);
		expect(mm.requests.slice(mark).map((r: any) => [r.query.page, r.query.per_page])).toEqual([['0', '30']]);
		expect(few.map((i) => i.json.username)).toEqual(items.slice(0, 30).map((i) => i.json.username));
	});

	it('filters: a team by join date, a channel by status, team members not in a channel, deactivated, role', async () => {
		const { mm, seed } = fake;
		const run = async (filters: INodeParameters) => {
			const items = await runNode(mm, user('getAll', { returnAll: true, filters }), { token: seed.tokens.admin });
			return { usernames: items.map((i) => i.json.username), query: mm.requests.at(-1).query };
		};

		const newcomer = mm.createUser({ username: 'aaa-newcomer' });
		mm.addTeamMember(seed.team.id, newcomer.id);
		const byJoin = await run({ inTeam: seed.team.id, sort: 'create_at' });
		expect(byJoin.query).toMatchObject({ in_team: seed.team.id, sort: 'create_at' });
		expect(byJoin.usernames[0]).toBe('aaa-newcomer');
		expect(byJoin.usernames).toEqual(expect.arrayContaining(['admin', 'alice', 'bob', 'n8n-bot']));

		mm.state.statuses.set(seed.bob.id, { user_id: seed.bob.id, status: 'online', manual: true, last_activity_at: 1, dnd_end_time: 0 });
		const byStatus = await run({ inChannel: seed.channels.offTopic.id, sort: 'status' });
		expect(byStatus.query).toMatchObject({ in_channel: seed.channels.offTopic.id, sort: 'status' });
		expect(byStatus.usernames[0]).toBe('bob');
		expect([...byStatus.usernames].sort()).toEqual(['admin', 'alice', 'bob', 'n8n-bot']);

		const notInPrivate = await run({ inTeam: seed.team.id, notInChannel: seed.channels.private.id });
		expect(notInPrivate.query).toMatchObject({ in_team: seed.team.id, not_in_channel: seed.channels.private.id });
		expect(notInPrivate.usernames).toEqual(['aaa-newcomer', 'bob', 'n8n-bot']);

		const gone = mm.createUser({ username: 'aaa-gone', delete_at: 1 });
		const deactivated = await run({ accountStatus: 'inactive' });
		expect(deactivated.query).toMatchObject({ inactive: 'true' });
		expect(deactivated.usernames).toContain(gone.username);
		expect(deactivated.usernames.every((name) => mm.state.userByUsername(name).delete_at !== 0)).toBe(true);

		const admins = await run({ role: 'system_admin', accountStatus: 'active' });
		expect(admins.query).toMatchObject({ role: 'system_admin', active: 'true' });
		expect(admins.usernames).toEqual(['admin']);
	});

	it.each([
		[{ notInChannel: 'x'.repeat(26) }, /Not In Channel needs In Team/],
		[{ inTeam: 't'.repeat(26), notInTeam: 'u'.repeat(26) }, /Not In Team cannot be combined/],
		[{ inTeam: 't'.repeat(26), inChannel: 'c'.repeat(26) }, /In Team and In Channel cannot be combined/],
		[{ sort: 'create_at' }, /Join Date" needs In Team/],
		[{ inChannel: 'c'.repeat(26), sort: 'last_activity_at' }, /Last Activity" needs In Team/],
		[{ inTeam: 't'.repeat(26), sort: 'status' }, /"Status" needs In Channel/],
		[{ notInTeam: 't'.repeat(26), accountStatus: 'active' }, /Account Status cannot be combined with Not In Team/],
		[{ inTeam: 't'.repeat(26), sort: 'create_at', role: 'system_admin' }, /Role cannot be combined with this Sort By/],
		[{ inTeam: 'my-team' }, /In Team "my-team" is not a Mattermost ID/],
	])('refuses %j before any request', async (filters, message) => {
		const { error, sent } = await failure(user('getAll', { filters }), fake.seed.tokens.bot);
		expect(error.message).toMatch(message);
		expect(sent).toEqual([]);
	});
});

describe('User > Search', () => {
	it('posts the term, limit and filters; returns the matches', async () => {
		const { mm, seed } = fake;
		mm.createUser({ username: 'alina-gone', delete_at: 5 });
		const items = await runNode(mm, user('search', { term: 'ali', limit: 10 }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v4/users/search', body: { term: 'ali', allow_inactive: false, limit: 10 } });
		expect(items.map((i) => i.json.username)).toEqual(['alice']);

		const inactive = await runNode(
			mm,
			user('search', { term: 'ali', options: { allowInactive: true, teamId: seed.team.id }, simplify: false }),
			{ token: seed.tokens.admin },
		);
		expect(mm.requests.at(-1).body).toEqual({ term: 'ali', allow_inactive: true, limit: 50, team_id: seed.team.id });
		expect(inactive.map((i) => i.json.username)).toEqual(['alice']);

		const everyone = await runNode(mm, user('search', { term: 'ali', options: { allowInactive: true } }), { token: seed.tokens.admin });
		expect(everyone.map((i) => i.json.username)).toEqual(['alice', 'alina-gone']);
		expect(everyone[1].json.active).toBe(false);

		const inChannel = await runNode(mm, user('search', { term: 'b', options: { inChannel: seed.channels.offTopic.id } }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1).body).toMatchObject({ in_channel_id: seed.channels.offTopic.id });
		expect(inChannel.map((i) => i.json.username)).toEqual(['bob']);
	});

	it('refuses an empty term before any request', async () => {
		const { error, sent } = await failure(user('search', { term: '  ' }), fake.seed.tokens.bot);
		expect(error.message).toBe('Search Term is empty');
		expect(sent).toEqual([]);
	});
});

describe('User > Invite to Team by Email', () => {
	it('sends the list of emails; the server records the invitations', async () => {
		const { mm, seed } = fake;
		const before = mm.state.emailInvitations.length;
		const [item] = await runNode(
			mm,
			user('inviteByEmail', {
				teamId: byId(seed.team.id),
				emails: 'Pia@example.com, quinn@example.com;\nrosa@example.org pia@example.com',
			}),
			{ token: seed.tokens.admin },
		);
		const sent = mm.requests.at(-1);
		expect(`${sent.method} ${sent.path}`).toBe(`POST /api/v4/teams/${seed.team.id}/invite/email`);
		expect(sent.body).toEqual(['pia@example.com', 'quinn@example.com', 'rosa@example.org']);
		expect(mm.state.emailInvitations.slice(before).map((i: any) => [i.team_id, i.email])).toEqual([
			[seed.team.id, 'pia@example.com'],
			[seed.team.id, 'quinn@example.com'],
			[seed.team.id, 'rosa@example.org'],
		]);
		expect(item.json).toEqual({ invited: true, team_id: seed.team.id, emails: ['pia@example.com', 'quinn@example.com', 'rosa@example.org'] });
	});

	it('names invalid emails before any request; explains a server with invitations off', async () => {
		const { mm, seed } = fake;
		const bad = await failure(user('inviteByEmail', { teamId: byId(seed.team.id), emails: 'ok@example.com, nope, also@bad' }), seed.tokens.admin);
		expect(bad.error.message).toBe('Emails: "nope", "also@bad" are not email addresses');
		expect(bad.sent).toEqual([]);

		mm.config.enableEmailInvitations = false;
		try {
			const off = await failure(user('inviteByEmail', { teamId: byId(seed.team.id), emails: 'ok@example.com' }), seed.tokens.admin);
			expect(off.error.httpCode).toBe('501');
			expect(off.error.description).toMatch(/EnableEmailInvitations/);
			expect(off.error.description).toMatch(/Mattermost request ID: [a-z0-9]+/);
		} finally {
			mm.config.enableEmailInvitations = true;
		}
	});
});

describe('User > Get Status / Set Status', () => {
	it('gets a user\'s status', async () => {
		const { mm, seed } = fake;
		mm.state.statuses.set(seed.alice.id, { user_id: seed.alice.id, status: 'away', manual: true, last_activity_at: 42, dnd_end_time: 0 });
		const [item] = await runNode(mm, user('getStatus', { userId: byUsername('alice') }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1).path).toBe(`/api/v4/users/${seed.alice.id}/status`);
		expect(item.json).toEqual({ user_id: seed.alice.id, status: 'away', manual: true, last_activity_at: 42, dnd_end_time: 0 });
	});

	it('sets Do Not Disturb until a time (workflow timezone), sent as epoch seconds', async () => {
		const { mm, seed } = fake;
		const { output } = await executeNode({
			nodeType,
			parameters: user('setStatus', { userId: byId(seed.bot.id), status: 'dnd', dndEndTime: '2031-03-04T09:30:00' }),
			credentials: credentialsFor(mm, seed.tokens.bot),
			credentialTypes: [credentialType],
			workflowSettings: { timezone: 'Asia/Tokyo' },
		});
		const expected = Date.parse('2031-03-04T00:30:00Z') / 1000;
		expect(mm.requests.at(-1)).toMatchObject({
			method: 'PUT',
			path: `/api/v4/users/${seed.bot.id}/status`,
			body: { user_id: seed.bot.id, status: 'dnd', dnd_end_time: expected },
		});
		expect(mm.state.statuses.get(seed.bot.id)).toMatchObject({ status: 'dnd', manual: true, dnd_end_time: expected });
		expect(output[0][0].json).toMatchObject({ user_id: seed.bot.id, status: 'dnd', dnd_end_time: expected });

		await runNode(mm, user('setStatus', { userId: byId(seed.bot.id), status: 'online' }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1).body).toEqual({ user_id: seed.bot.id, status: 'online' });
		expect(mm.state.statuses.get(seed.bot.id)).toMatchObject({ status: 'online', dnd_end_time: 0 });
	});

	it('a date that does not parse or lies in the past fails before any request; another user\'s status needs an admin', async () => {
		const { mm, seed } = fake;
		const garbled = await failure(user('setStatus', { userId: byId(seed.bot.id), status: 'dnd', dndEndTime: 'next tuesday' }), seed.tokens.bot);
		expect(garbled.error.message).toBe('Do Not Disturb Until "next tuesday" is not a date');
		expect(garbled.sent).toEqual([]);
		const past = await failure(user('setStatus', { userId: byId(seed.bot.id), status: 'dnd', dndEndTime: '2001-01-01T00:00:00Z' }), seed.tokens.bot);
		expect(past.error.message).toMatch(/Do Not Disturb Until \(2001-01-01T00:00:00.000Z\) is in the past/);
		expect(past.sent).toEqual([]);

		const other = await failure(user('setStatus', { userId: byId(seed.alice.id), status: 'away' }), seed.tokens.bot);
		expect(other.error.httpCode).toBe('403');
		const [asAdmin] = await runNode(mm, user('setStatus', { userId: byId(seed.alice.id), status: 'offline' }), { token: seed.tokens.admin });
		expect(asAdmin.json).toMatchObject({ user_id: seed.alice.id, status: 'offline' });
		expect(mm.state.statuses.get(seed.alice.id).status).toBe('offline');
	});
});

describe('User > Set Custom Status / Clear Custom Status', () => {
	it('sets emoji, text and "1 Hour"; the server holds it; Clear removes it', async () => {
		const { mm, seed } = fake;
		const before = Date.now();
		const [item] = await runNode(
			mm,
			user('setCustomStatus', { userId: byId(seed.bot.id), emoji: ':calendar:', text: 'In a meeting', duration: 'one_hour' }),
			{ token: seed.tokens.bot },
		);
		const sent = mm.requests.at(-1);
		expect(`${sent.method} ${sent.path}`).toBe(`PUT /api/v4/users/${seed.bot.id}/status/custom`);
		expect(sent.body).toMatchObject({ emoji: 'calendar', text: 'In a meeting', duration: 'one_hour' });
		const expires = Date.parse(sent.body.expires_at);
		expect(expires).toBeGreaterThan(before + 59 * 60_000 - 1);
		expect(expires).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
		expect(expires % 60_000).toBe(0);
		expect(mm.state.customStatuses.get(seed.bot.id)).toEqual({
			emoji: 'calendar',
			text: 'In a meeting',
			duration: 'one_hour',
			expires_at: sent.body.expires_at,
		});
		expect(item.json).toEqual({ user_id: seed.bot.id, emoji: 'calendar', text: 'In a meeting', duration: 'one_hour', expires_at: sent.body.expires_at });

		const [cleared] = await runNode(mm, user('clearCustomStatus', { userId: byId(seed.bot.id) }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/api/v4/users/${seed.bot.id}/status/custom` });
		expect(mm.state.customStatuses.has(seed.bot.id)).toBe(false);
		expect(cleared.json).toEqual({ cleared: true, user_id: seed.bot.id });
	});

	it('"Don\'t Clear" sends no expiry; "Date and Time" sends the given time; "Today" ends at midnight in the workflow timezone', async () => {
		const { mm, seed } = fake;
		await runNode(mm, user('setCustomStatus', { userId: byId(seed.bot.id), text: 'Working remotely' }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1).body).toEqual({ emoji: '', text: 'Working remotely' });
		expect(mm.state.customStatuses.get(seed.bot.id)).toMatchObject({ emoji: 'speech_balloon', duration: '', expires_at: '0001-01-01T00:00:00Z' });

		await runNode(
			mm,
			user('setCustomStatus', { userId: byId(seed.bot.id), emoji: 'palm_tree', duration: 'date_and_time', expiresAt: '2031-07-01T08:00:00Z' }),
			{ token: seed.tokens.bot },
		);
		expect(mm.requests.at(-1).body).toEqual({ emoji: 'palm_tree', text: '', duration: 'date_and_time', expires_at: '2031-07-01T08:00:00.000Z' });
		expect(mm.state.customStatuses.get(seed.bot.id)).toMatchObject({ duration: 'date_and_time', expires_at: '2031-07-01T08:00:00.000Z' });

		const { output } = await executeNode({
			nodeType,
			parameters: user('setCustomStatus', { userId: byId(seed.bot.id), emoji: 'sunny', duration: 'today' }),
			credentials: credentialsFor(mm, seed.tokens.bot),
			credentialTypes: [credentialType],
			workflowSettings: { timezone: 'Pacific/Auckland' },
		});
		const expiresAt = String(output[0][0].json.expires_at);
		expect(Date.parse(expiresAt)).toBe(endOfDay(Date.now(), 'Pacific/Auckland'));
		const wall = new Intl.DateTimeFormat('en-GB', { timeZone: 'Pacific/Auckland', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(expiresAt));
		expect(wall).toBe('23:59:59');
		expect(mm.state.customStatuses.get(seed.bot.id)).toMatchObject({ emoji: 'sunny', duration: 'today' });
	});

	it('refuses empty, too long, unparsable or past input before any request; someone else\'s needs an admin', async () => {
		const { mm, seed } = fake;
		const empty = await failure(user('setCustomStatus', { userId: byId(seed.bot.id) }), seed.tokens.bot);
		expect(empty.error.message).toBe('Emoji and Text are both empty');
		expect(empty.sent).toEqual([]);
		const long = await failure(user('setCustomStatus', { userId: byId(seed.bot.id), text: 'x'.repeat(101) }), seed.tokens.bot);
		expect(long.error.message).toMatch(/101 characters long; Mattermost keeps at most 100/);
		expect(long.sent).toEqual([]);
		const garbled = await failure(
			user('setCustomStatus', { userId: byId(seed.bot.id), text: 'x', duration: 'date_and_time', expiresAt: '31.12.2030' }),
			seed.tokens.bot,
		);
		expect(garbled.error.message).toBe('Clear At "31.12.2030" is not a date');
		expect(garbled.sent).toEqual([]);
		const past = await failure(
			user('setCustomStatus', { userId: byId(seed.bot.id), text: 'x', duration: 'date_and_time', expiresAt: '2020-01-01T00:00:00Z' }),
			seed.tokens.bot,
		);
		expect(past.error.message).toMatch(/Clear At .* is in the past/);
		expect(past.sent).toEqual([]);

		const other = await failure(user('setCustomStatus', { userId: byId(seed.alice.id), text: 'hacked' }), seed.tokens.bot);
		expect(other.error.httpCode).toBe('403');
		expect(mm.state.customStatuses.has(seed.alice.id)).toBe(false);
		await runNode(mm, user('setCustomStatus', { userId: byId(seed.alice.id), text: 'Set by admin' }), { token: seed.tokens.admin });
		expect(mm.state.customStatuses.get(seed.alice.id)).toMatchObject({ text: 'Set by admin' });
		const otherClear = await failure(user('clearCustomStatus', { userId: byId(seed.alice.id) }), seed.tokens.bot);
		expect(otherClear.error.httpCode).toBe('403');
		expect(mm.state.customStatuses.has(seed.alice.id)).toBe(true);
	});
});

describe('end of day / week in a timezone', () => {
	it('finds local midnight across offsets and DST', () => {
		// 2025-03-30 is the day Europe/Berlin moves to summer time (UTC+2 from 01:00 UTC).
		const now = Date.parse('2025-03-30T00:30:00Z');
		expect(new Date(endOfDay(now, 'Europe/Berlin')).toISOString()).toBe('2025-03-30T21:59:59.999Z');
		expect(new Date(endOfDay(now, 'America/New_York')).toISOString()).toBe('2025-03-30T03:59:59.999Z');
		expect(new Date(endOfDay(now, 'UTC')).toISOString()).toBe('2025-03-30T23:59:59.999Z');
		// Wednesday 2025-06-04 → Saturday 2025-06-07 23:59:59.999 local.
		expect(new Date(endOfWeek(Date.parse('2025-06-04T12:00:00Z'), 'Asia/Tokyo')).toISOString()).toBe('2025-06-07T14:59:59.999Z');
		// A Saturday ends the same day.
		expect(new Date(endOfWeek(Date.parse('2025-06-07T10:00:00Z'), 'UTC')).toISOString()).toBe('2025-06-07T23:59:59.999Z');
	});
});
