'use strict';
const { errors } = require('./app-error');
const { isValidId } = require('./ids');
const { paginate } = require('./paging');
const { hasRole } = require('./state');
const { userView } = require('./serialize');
const { NOT_JSON } = require('./body');

// Not-found answers, with the ids and messages the real store layer uses.
const NOT_FOUND = {
	user: ['app.user.missing_account.const', 'Unable to find the user.'],
	team: ['app.team.get.find.app_error', 'Unable to find the existing team.'],
	channel: ['app.channel.get.existing.app_error', 'Unable to find the existing channel.'],
	post: ['app.post.get.app_error', 'Unable to get the post.'],
	file: ['app.file_info.get.app_error', 'Unable to get the file info.'],
	hook: ['app.webhooks.get_outgoing.app_error', 'Unable to get the webhook.'],
	command: ['app.command.getcommand.app_error', 'Unable to get the command.'],
};

const notDeleted = (record) => record.delete_at === 0;

const reply = {
	ok: (json) => ({ status: 200, json }),
	created: (json) => ({ status: 201, json }),
	statusOk: () => ({ status: 200, json: { status: 'OK' } }),
	raw: (status, body, headers = {}) => ({ status, body, headers }),
};

/**
 * Everything a route handler needs: the parsed request, the authenticated user, lookups that
 * answer 400/404 like the server, and permission checks that answer 403.
 */
class RequestContext {
	constructor(mm, request) {
		this.mm = mm;
		this.state = mm.state;
		this.config = mm.config;
		Object.assign(this, request);
		this.user = null;
	}

	get userId() {
		return this.user ? this.user.id : '';
	}

	// ---- body ----

	/** The JSON body, which must be an object (or an array with `{ array: true }`). */
	json(name, { array = false } = {}) {
		const body = this.body;
		const fits = array ? Array.isArray(body) : body !== null && typeof body === 'object' && !Array.isArray(body);
		if (body === NOT_JSON || !fits) throw errors.invalidBodyParam(name);
		return body;
	}

	// ---- lookups ----

	/** A path parameter that must be a valid 26-character id, else 400 like c.RequireXxxId(). */
	idParam(name) {
		const value = this.params[name];
		if (!isValidId(value)) throw errors.invalidUrlParam(name);
		return value;
	}

	notFound(kind, id) {
		const [errorId, message] = NOT_FOUND[kind];
		return errors.notFound(errorId, message, `${kind}_id=${id}`);
	}

	find(kind, map, id, isLive = () => true) {
		const record = map.get(id);
		if (!record || !isLive(record)) throw this.notFound(kind, id);
		return record;
	}

	userById(id) {
		return this.find('user', this.state.users, id);
	}

	teamById(id) {
		return this.find('team', this.state.teams, id);
	}

	teamByName(name) {
		const team = this.state.teamByName(name);
		if (!team) throw errors.notFound('app.team.get_by_name.missing.app_error', 'Unable to find the existing team.', `name=${name}`);
		return team;
	}

	channelById(id) {
		return this.find('channel', this.state.channels, id);
	}

	postById(id) {
		return this.find('post', this.state.posts, id, notDeleted);
	}

	fileById(id) {
		return this.find('file', this.state.files, id, notDeleted);
	}

	hookById(id) {
		return this.find('hook', this.state.hooks, id, notDeleted);
	}

	commandById(id) {
		return this.find('command', this.state.commands, id, notDeleted);
	}

	// ---- permissions (a simplified but real role model) ----

	isAdmin() {
		return hasRole(this.user.roles, 'system_admin');
	}

	deny(permission) {
		return errors.permission(this.userId, permission);
	}

	requireAdmin(permission = 'manage_system') {
		if (!this.isAdmin()) throw this.deny(permission);
	}

	requireSelfOrAdmin(userId, permission = 'edit_other_users') {
		if (userId !== this.userId && !this.isAdmin()) throw this.deny(permission);
	}

	isTeamMember(teamId) {
		return Boolean(this.state.teamMember(teamId, this.userId));
	}

	isTeamAdmin(teamId) {
		const member = this.state.teamMember(teamId, this.userId);
		return this.isAdmin() || Boolean(member && hasRole(member.roles, 'team_admin'));
	}

	requireTeamMember(team, permission = 'view_team') {
		if (!this.isAdmin() && !this.isTeamMember(team.id)) throw this.deny(permission);
	}

	requireTeamAdmin(team, permission) {
		if (!this.isTeamAdmin(team.id)) throw this.deny(permission);
	}

	isChannelMember(channel) {
		return Boolean(this.state.channelMember(channel.id, this.userId));
	}

	/** Members read a channel; team members may also read its public channels. */
	canReadChannel(channel) {
		return (
			this.isAdmin() ||
			this.isChannelMember(channel) ||
			(channel.type === 'O' && this.isTeamMember(channel.team_id))
		);
	}

	requireReadChannel(channel, permission = 'read_channel') {
		if (!this.canReadChannel(channel)) throw this.deny(permission);
	}

	requireChannelMember(channel, permission) {
		if (!this.isAdmin() && !this.isChannelMember(channel)) throw this.deny(permission);
	}

	// ---- views and paging ----

	viewUser(user) {
		return userView(user, this.userId);
	}

	page(items, source = this.query) {
		return paginate(items, source);
	}

	flag(name) {
		return this.query[name] === 'true';
	}
}

module.exports = { RequestContext, reply };
