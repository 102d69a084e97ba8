'use strict';
const { errors } = require('../app-error');
const { reply } = require('../context');
const { hasRole } = require('../state');
const { copy } = require('../serialize');

const USER_SEARCH_DEFAULT_LIMIT = 100;
const USER_SEARCH_MAX_LIMIT = 1000;
const STATUS_RANK = { online: 0, away: 1, dnd: 2, offline: 3 };
const USERNAME_PATTERN = /^[a-z][a-z0-9.\-_]{2,21}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function byUsername(a, b) {
	return a.username.localeCompare(b.username);
}

function searchLimit(value) {
	const limit = Number(value);
	if (!Number.isInteger(limit) || limit <= 0) return USER_SEARCH_DEFAULT_LIMIT;
	return Math.min(limit, USER_SEARCH_MAX_LIMIT);
}

/** Prefix match on username, names, nickname and email, like the user search of the store. */
function matchesTerm(user, term) {
	const wanted = String(term || '').toLowerCase().replace(/^@/, '');
	if (!wanted) return true;
	const fullName = `${user.first_name} ${user.last_name}`.toLowerCase();
	return [user.username, user.first_name, user.last_name, user.nickname, user.email, fullName].some((value) =>
		String(value).toLowerCase().startsWith(wanted),
	);
}

/** Shared membership filters of GET /users and POST /users/search. */
function filterUsers(ctx, users, { inTeam, notInTeam, inChannel, notInChannel, withoutTeam }) {
	const { state } = ctx;
	let result = users;
	if (inTeam) {
		const team = ctx.teamById(inTeam);
		ctx.requireTeamMember(team);
		result = result.filter((u) => state.teamMember(team.id, u.id));
	}
	if (notInTeam) result = result.filter((u) => !state.teamMember(notInTeam, u.id));
	if (inChannel) {
		const channel = ctx.channelById(inChannel);
		ctx.requireReadChannel(channel);
		result = result.filter((u) => state.channelMember(channel.id, u.id));
	}
	if (notInChannel) result = result.filter((u) => !state.channelMember(notInChannel, u.id));
	if (withoutTeam) {
		result = result.filter((u) => ![...state.teams.keys()].some((teamId) => state.teamMember(teamId, u.id)));
	}
	return result;
}

function getUser(ctx) {
	const user = ctx.userById(ctx.idParam('user_id'));
	return reply.ok(ctx.viewUser(user));
}

function getUserByUsername(ctx) {
	const user = ctx.state.userByUsername(ctx.params.username);
	if (!user) throw ctx.notFound('user', ctx.params.username);
	return reply.ok(ctx.viewUser(user));
}

function getUserByEmail(ctx) {
	const user = ctx.state.userByEmail(ctx.params.email);
	if (!user) throw ctx.notFound('user', ctx.params.email);
	return reply.ok(ctx.viewUser(user));
}

const USER_SORTS = ['', 'last_activity_at', 'create_at', 'status'];

/**
 * GET /users like api4 getUsers: the parameter checks first, then ONE list chosen by the first
 * filter present in this order: without_team, not_in_channel (with in_team), not_in_team,
 * in_team, in_channel, everyone. The other filters are ignored; active/inactive/role only apply
 * to the in_team (sorted by username), in_channel and everyone lists.
 */
function listUsers(ctx) {
	const q = ctx.query;
	const sort = q.sort || '';
	if (q.not_in_channel && !q.in_team) throw errors.invalidUrlParam('team_id');
	if (!USER_SORTS.includes(sort)) throw errors.invalidUrlParam('sort');
	if (
		(sort === 'last_activity_at' || sort === 'create_at') &&
		(!q.in_team || q.not_in_team || q.in_channel || q.not_in_channel || q.without_team)
	) {
		throw errors.invalidUrlParam('sort');
	}
	if (sort === 'status' && !q.in_channel) throw errors.invalidUrlParam('sort');
	if (q.active === 'true' && q.inactive === 'true') throw errors.invalidUrlParam('inactive');

	const all = [...ctx.state.users.values()];
	let users;
	let accountFilters = false;
	if (q.without_team === 'true') {
		ctx.requireAdmin('list_users_without_team');
		users = filterUsers(ctx, all, { withoutTeam: true });
		accountFilters = true;
	} else if (q.not_in_channel) {
		const channel = ctx.channelById(q.not_in_channel);
		ctx.requireReadChannel(channel);
		users = filterUsers(ctx, all, { inTeam: q.in_team, notInChannel: channel.id });
	} else if (q.not_in_team) {
		const team = ctx.teamById(q.not_in_team);
		ctx.requireTeamMember(team);
		users = filterUsers(ctx, all, { notInTeam: team.id });
	} else if (q.in_team) {
		users = filterUsers(ctx, all, { inTeam: q.in_team });
		accountFilters = sort === '';
	} else if (q.in_channel) {
		users = filterUsers(ctx, all, { inChannel: q.in_channel });
		accountFilters = true;
	} else {
		users = all;
		accountFilters = true;
	}
	if (accountFilters) {
		if (q.active === 'true') users = users.filter((u) => u.delete_at === 0);
		if (q.inactive === 'true') users = users.filter((u) => u.delete_at !== 0);
		if (q.role) users = users.filter((u) => hasRole(u.roles, q.role));
		if (q.roles) {
			const wanted = String(q.roles).split(',');
			users = users.filter((u) => wanted.some((role) => hasRole(u.roles, role)));
		}
	}
	users.sort(byUsername);
	if (q.in_team && (sort === 'create_at' || sort === 'last_activity_at')) {
		users.sort((a, b) => (b[sort] || 0) - (a[sort] || 0));
	}
	if (q.in_channel && sort === 'status') {
		const rank = (u) => STATUS_RANK[ctx.state.statusOf(u.id).status];
		users.sort((a, b) => rank(a) - rank(b) || byUsername(a, b));
	}
	return reply.ok(ctx.page(users).map((u) => ctx.viewUser(u)));
}

function searchUsers(ctx) {
	const body = ctx.json('props');
	if (typeof body.term !== 'string' || body.term === '') throw errors.invalidBodyParam('term');
	if (!body.team_id && body.not_in_channel_id) throw errors.invalidBodyParam('team_id');
	// searchUsers: a missing or 0 limit means 100; anything else outside 1..1000 is refused.
	const limit = body.limit === undefined || body.limit === 0 ? USER_SEARCH_DEFAULT_LIMIT : Number(body.limit);
	if (!Number.isInteger(limit) || limit <= 0 || limit > USER_SEARCH_MAX_LIMIT) throw errors.invalidBodyParam('limit');
	const users = filterUsers(ctx, [...ctx.state.users.values()], {
		inTeam: body.team_id,
		notInTeam: body.not_in_team_id,
		inChannel: body.in_channel_id,
		notInChannel: body.not_in_channel_id,
		withoutTeam: body.without_team === true,
	})
		.filter((u) => body.allow_inactive === true || u.delete_at === 0)
		.filter((u) => matchesTerm(u, body.term))
		.sort(byUsername);
	return reply.ok(users.slice(0, limit).map((u) => ctx.viewUser(u)));
}

function autocompleteUsers(ctx) {
	const { state, query } = ctx;
	const limit = searchLimit(query.limit);
	const candidates = [...state.users.values()]
		.filter((u) => u.delete_at === 0 && matchesTerm(u, query.name))
		.sort(byUsername);
	const view = (list) => list.slice(0, limit).map((u) => ctx.viewUser(u));
	if (query.in_channel) {
		const channel = ctx.channelById(query.in_channel);
		ctx.requireReadChannel(channel);
		const teamId = query.in_team || channel.team_id;
		return reply.ok({
			users: view(candidates.filter((u) => state.channelMember(channel.id, u.id))),
			out_of_channel: view(
				candidates.filter((u) => !state.channelMember(channel.id, u.id) && state.teamMember(teamId, u.id)),
			),
		});
	}
	if (query.in_team) {
		const team = ctx.teamById(query.in_team);
		ctx.requireTeamMember(team);
		return reply.ok({ users: view(candidates.filter((u) => state.teamMember(team.id, u.id))) });
	}
	return reply.ok({ users: view(candidates) });
}

function getUsersByIds(ctx) {
	const ids = ctx.json('user_ids', { array: true });
	if (ids.length === 0) throw errors.invalidBodyParam('user_ids');
	const since = Number(ctx.query.since) || 0;
	const users = [...new Set(ids)]
		.map((id) => ctx.state.users.get(id))
		.filter((u) => u && u.update_at > since);
	return reply.ok(users.map((u) => ctx.viewUser(u)));
}

function createUser(ctx) {
	ctx.requireAdmin('create_user');
	const body = ctx.json('user');
	const username = String(body.username || '').toLowerCase();
	if (!USERNAME_PATTERN.test(username)) {
		throw errors.badRequest('model.user.is_valid.username.app_error', 'Username must begin with a letter and contain between 3 to 22 lowercase characters made up of numbers, letters, and the symbols \'.\', \'-\', and \'_\'.');
	}
	if (!EMAIL_PATTERN.test(String(body.email || ''))) {
		throw errors.badRequest('model.user.is_valid.email.app_error', 'Please enter a valid email address.');
	}
	if (typeof body.password !== 'string' || body.password.length < 8) {
		throw errors.badRequest('model.user.is_valid.pwd_min_length.app_error', 'Your password must contain at least 8 characters.');
	}
	if (ctx.state.userByUsername(username)) {
		throw errors.badRequest('app.user.save.username_exists.app_error', 'An account with that username already exists.');
	}
	if (ctx.state.userByEmail(body.email)) {
		throw errors.badRequest('app.user.save.email_exists.app_error', 'An account with that email already exists.');
	}
	const user = ctx.state.createUser({
		username,
		email: body.email,
		first_name: body.first_name,
		last_name: body.last_name,
		nickname: body.nickname,
		position: body.position,
		locale: body.locale || 'en',
		props: body.props,
	});
	// A freshly created account is shown to its creator unsanitised, like Sanitize({}).
	return reply.created({ ...ctx.viewUser(user), notify_props: { ...user.notify_props }, email_verified: true });
}

function deactivateUser(ctx) {
	const user = ctx.userById(ctx.idParam('user_id'));
	const selfAllowed = user.id === ctx.userId && ctx.config.enableUserDeactivation;
	if (!selfAllowed) ctx.requireAdmin('manage_system');
	if (user.delete_at === 0) {
		user.delete_at = ctx.state.now();
		user.update_at = user.delete_at;
	}
	return reply.statusOk();
}

function getStatus(ctx) {
	const user = ctx.userById(ctx.idParam('user_id'));
	return reply.ok(copy(ctx.state.statusOf(user.id)));
}

function updateStatus(ctx) {
	const userId = ctx.idParam('user_id');
	const body = ctx.json('status');
	if (body.user_id !== userId) throw errors.invalidBodyParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	ctx.userById(userId);
	if (!(body.status in STATUS_RANK)) throw errors.invalidBodyParam('status');
	const status = {
		user_id: userId,
		status: body.status,
		manual: true,
		last_activity_at: ctx.state.now(),
		// truncateDNDEndTime: whole minutes (seconds since the epoch).
		dnd_end_time: body.status === 'dnd' ? Math.floor((Number(body.dnd_end_time) || 0) / 60) * 60 : 0,
	};
	ctx.state.statuses.set(userId, status);
	return reply.ok(copy(status));
}

const CUSTOM_STATUS_DURATIONS = ['thirty_minutes', 'one_hour', 'four_hours', 'today', 'this_week', 'date_and_time'];
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** model.CustomStatus.AreDurationAndExpirationTimeValid */
function customStatusTimesValid(duration, expiresAt, now) {
	const expires = expiresAt ? Date.parse(expiresAt) : Number.NaN;
	const zero = !expiresAt || expiresAt === ZERO_TIME;
	if (!zero && Number.isNaN(expires)) return false;
	const notBeforeNow = !zero && expires >= now;
	if (!duration && (zero || notBeforeNow)) return true;
	return CUSTOM_STATUS_DURATIONS.includes(duration) && notBeforeNow;
}

/** Self, or anyone with edit_other_users (SessionHasPermissionToUser). */
function setCustomStatus(ctx) {
	const userId = ctx.idParam('user_id');
	const body = ctx.json('custom_status');
	const emoji = typeof body.emoji === 'string' ? body.emoji : '';
	const text = typeof body.text === 'string' ? body.text : '';
	const duration = typeof body.duration === 'string' ? body.duration : '';
	const expiresAt = typeof body.expires_at === 'string' ? body.expires_at : '';
	if ((emoji === '' && text === '') || !customStatusTimesValid(duration, expiresAt, ctx.state.now())) {
		throw errors.invalidBodyParam('custom_status');
	}
	ctx.requireSelfOrAdmin(userId);
	const user = ctx.userById(userId);
	// PreSave: default emoji, date_and_time for a bare future expiry, text cut to 100 runes.
	const hasExpiry = expiresAt !== '' && expiresAt !== ZERO_TIME;
	const customStatus = {
		emoji: emoji || 'speech_balloon',
		text: [...text].slice(0, 100).join(''),
		duration: duration || (hasExpiry ? 'date_and_time' : ''),
		expires_at: hasExpiry ? new Date(Date.parse(expiresAt)).toISOString() : ZERO_TIME,
	};
	ctx.state.customStatuses.set(userId, customStatus);
	// The server keeps the custom status as a JSON string in the user's props.
	user.props.customStatus = JSON.stringify(customStatus);
	user.update_at = ctx.state.now();
	return reply.statusOk();
}

function clearCustomStatus(ctx) {
	const userId = ctx.idParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	const user = ctx.userById(userId);
	ctx.state.customStatuses.delete(userId);
	user.props.customStatus = '';
	user.update_at = ctx.state.now();
	return reply.statusOk();
}

function teamsOfUser(ctx) {
	const userId = ctx.idParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	ctx.userById(userId);
	const teams = [...ctx.state.teams.values()].filter((t) => t.delete_at === 0 && ctx.state.teamMember(t.id, userId));
	return reply.ok(teams.map(copy));
}

function teamMembershipsOfUser(ctx) {
	const userId = ctx.idParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	ctx.userById(userId);
	const members = [...ctx.state.teamMembers.values()].filter((m) => m.user_id === userId && m.delete_at === 0);
	return reply.ok(members.map(copy));
}

/** All channels of one team the user belongs to, plus their direct and group channels. */
function channelsOfUserInTeam(ctx) {
	const userId = ctx.idParam('user_id');
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireSelfOrAdmin(userId);
	const includeDeleted = ctx.flag('include_deleted');
	const channels = [...ctx.state.channels.values()]
		.filter((c) => (c.team_id === team.id || c.team_id === '') && ctx.state.channelMember(c.id, userId))
		.filter((c) => includeDeleted || c.delete_at === 0)
		.sort((a, b) => a.display_name.localeCompare(b.display_name));
	return reply.ok(channels.map(copy));
}

/**
 * GET /users/{user_id}/channels (server 6.1+): every channel of the user in every team, direct
 * and group messages included, in one answer (the server streams its pages); archived channels
 * only with include_deleted, and then only those archived after last_delete_at.
 */
function channelsOfUser(ctx) {
	const userId = ctx.idParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	const includeDeleted = ctx.flag('include_deleted');
	const lastDeleteAt = Number.parseInt(ctx.query.last_delete_at, 10) || 0;
	const channels = [...ctx.state.channels.values()]
		.filter((c) => ctx.state.channelMember(c.id, userId))
		.filter((c) => c.delete_at === 0 || (includeDeleted && c.delete_at > lastDeleteAt))
		.sort((a, b) => a.id.localeCompare(b.id));
	return reply.ok(channels.map(copy));
}

module.exports = [
	['GET', '/api/v4/users', listUsers],
	['POST', '/api/v4/users', createUser],
	['POST', '/api/v4/users/search', searchUsers],
	['GET', '/api/v4/users/autocomplete', autocompleteUsers],
	['POST', '/api/v4/users/ids', getUsersByIds],
	['GET', '/api/v4/users/username/:username', getUserByUsername],
	['GET', '/api/v4/users/email/:email', getUserByEmail],
	['GET', '/api/v4/users/:user_id', getUser],
	['DELETE', '/api/v4/users/:user_id', deactivateUser],
	['GET', '/api/v4/users/:user_id/status', getStatus],
	['PUT', '/api/v4/users/:user_id/status', updateStatus],
	['PUT', '/api/v4/users/:user_id/status/custom', setCustomStatus],
	['DELETE', '/api/v4/users/:user_id/status/custom', clearCustomStatus],
	['GET', '/api/v4/users/:user_id/teams', teamsOfUser],
	['GET', '/api/v4/users/:user_id/teams/members', teamMembershipsOfUser],
	['GET', '/api/v4/users/:user_id/teams/:team_id/channels', channelsOfUserInTeam],
	['GET', '/api/v4/users/:user_id/channels', channelsOfUser],
];
