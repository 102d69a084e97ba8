'use strict';
const { AppError, errors } = require('../app-error');
const { reply } = require('../context');
const { copy } = require('../serialize');

const DEFAULT_CHANNELS = ['town-square', 'off-topic'];
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function byDisplayName(a, b) {
	return a.display_name.localeCompare(b.display_name);
}

/** Admins see every team, others the open ones and their own. */
function canSeeTeam(ctx, team) {
	return ctx.isAdmin() || team.allow_open_invite || ctx.isTeamMember(team.id);
}

function requireVisibleTeam(ctx, team) {
	if (!canSeeTeam(ctx, team)) throw ctx.deny('view_team');
	return team;
}

/**
 * Like getAllTeams: a system admin (list_private_teams + list_public_teams) gets every team, anyone
 * else only the open-invite teams, not even the invite-only teams they belong to.
 */
function listTeams(ctx) {
	const teams = [...ctx.state.teams.values()]
		.filter((t) => t.delete_at === 0 && (ctx.isAdmin() || t.allow_open_invite))
		.sort(byDisplayName);
	const page = ctx.page(teams).map(copy);
	return reply.ok(ctx.flag('include_total_count') ? { teams: page, total_count: teams.length } : page);
}

function getTeam(ctx) {
	return reply.ok(copy(requireVisibleTeam(ctx, ctx.teamById(ctx.idParam('team_id')))));
}

function getTeamByName(ctx) {
	return reply.ok(copy(requireVisibleTeam(ctx, ctx.teamByName(ctx.params.name))));
}

function listTeamMembers(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireTeamMember(team);
	return reply.ok(ctx.page(ctx.state.membersOfTeam(team.id)).map(copy));
}

/** Adds the user to the team and, like JoinUserToTeam, to its default channels. */
function joinTeam(state, team, userId) {
	const member = state.addTeamMember(team.id, userId);
	for (const name of DEFAULT_CHANNELS) {
		const channel = state.channelByName(team.id, name);
		if (channel && channel.delete_at === 0) state.addChannelMember(channel.id, userId);
	}
	return member;
}

function addTeamMember(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	const body = ctx.json('team_member');
	if (body.team_id !== team.id) throw errors.invalidBodyParam('team_id');
	const user = ctx.userById(body.user_id);
	if (user.id === ctx.userId) {
		if (!team.allow_open_invite && !ctx.isAdmin()) throw ctx.deny('join_private_teams');
	} else {
		ctx.requireTeamMember(team, 'add_user_to_team');
	}
	const member = ctx.state.teamMember(team.id, user.id) || joinTeam(ctx.state, team, user.id);
	return reply.created(copy(member));
}

function removeTeamMember(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	const userId = ctx.idParam('user_id');
	if (userId !== ctx.userId) ctx.requireTeamAdmin(team, 'remove_user_from_team');
	if (!ctx.state.removeTeamMember(team.id, userId)) {
		throw errors.badRequest('api.team.remove_user_from_team.missing.app_error', 'The user does not appear to be part of this team.');
	}
	return reply.statusOk();
}

function inviteByEmail(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireTeamMember(team, 'invite_user');
	if (!ctx.config.enableEmailInvitations) {
		throw new AppError(501, 'api.team.invite_members.disabled.app_error', 'Email invitations are disabled.');
	}
	const emails = ctx.json('emails', { array: true });
	if (emails.length === 0) throw errors.invalidBodyParam('emails');
	const invalid = emails.filter((email) => typeof email !== 'string' || !EMAIL_PATTERN.test(email));
	if (invalid.length) {
		throw errors.badRequest('api.team.invite_members.invalid_email.app_error', `The following email addresses are invalid: ${invalid.join(', ')}`);
	}
	for (const email of emails) {
		ctx.state.emailInvitations.push({ team_id: team.id, email, invited_by: ctx.userId, create_at: ctx.state.now() });
	}
	return reply.statusOk();
}

module.exports = [
	['GET', '/api/v4/teams', listTeams],
	['GET', '/api/v4/teams/name/:name', getTeamByName],
	['GET', '/api/v4/teams/:team_id', getTeam],
	['GET', '/api/v4/teams/:team_id/members', listTeamMembers],
	['POST', '/api/v4/teams/:team_id/members', addTeamMember],
	['DELETE', '/api/v4/teams/:team_id/members/:user_id', removeTeamMember],
	['POST', '/api/v4/teams/:team_id/invite/email', inviteByEmail],
];
