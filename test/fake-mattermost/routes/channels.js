'use strict';
const { errors } = require('../app-error');
const { reply } = require('../context');
const { isValidId } = require('../ids');
const { copy } = require('../serialize');

const DEFAULT_CHANNEL = 'town-square';
const DEFAULT_CHANNELS = ['town-square', 'off-topic'];
const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const byDisplayName = (a, b) => a.display_name.localeCompare(b.display_name);
const isPublicOrPrivate = (channel) => channel.type === 'O' || channel.type === 'P';
/** Permission names differ for public and private channels: manage_{scope}_channel_members etc. */
function channelPermission(channel, template) {
	return template.replace('{scope}', channel.type === 'P' ? 'private' : 'public');
}

function validateChannelFields(state, fields, teamId, ignoreId) {
	if (fields.name !== undefined) {
		if (!CHANNEL_NAME_PATTERN.test(String(fields.name))) {
			throw errors.badRequest('model.channel.is_valid.name.app_error', 'Name must be 1 or more lowercase alphanumeric characters.');
		}
		const clash = state.channelByName(teamId, fields.name);
		if (clash && clash.id !== ignoreId) {
			throw errors.badRequest('store.sql_channel.save_channel.exists.app_error', 'A channel with that name already exists on the same team.');
		}
	}
	if (fields.display_name !== undefined && (typeof fields.display_name !== 'string' || !fields.display_name || [...fields.display_name].length > 64)) {
		throw errors.badRequest('model.channel.is_valid.display_name.app_error', 'Invalid display name.');
	}
	if (fields.purpose !== undefined && [...String(fields.purpose)].length > 250) {
		throw errors.badRequest('model.channel.is_valid.purpose.app_error', 'Invalid purpose.');
	}
	if (fields.header !== undefined && [...String(fields.header)].length > 1024) {
		throw errors.badRequest('model.channel.is_valid.header.app_error', 'Invalid header.');
	}
}

function createChannel(ctx) {
	const body = ctx.json('channel');
	const type = body.type || 'O';
	if (type !== 'O' && type !== 'P') throw errors.badRequest('api.channel.create_channel.direct_channel.app_error', 'Must use createDirectChannel API service for direct message channel creation.');
	if (!isValidId(body.team_id)) throw errors.invalidBodyParam('team_id');
	const team = ctx.teamById(body.team_id);
	ctx.requireTeamMember(team, type === 'P' ? 'create_private_channel' : 'create_public_channel');
	if (body.name === undefined) throw errors.badRequest('model.channel.is_valid.name.app_error', 'Name must be 1 or more lowercase alphanumeric characters.');
	if (body.display_name === undefined) throw errors.badRequest('model.channel.is_valid.display_name.app_error', 'Invalid display name.');
	validateChannelFields(ctx.state, body, team.id);
	const channel = ctx.state.createChannel({
		team_id: team.id,
		name: body.name,
		display_name: body.display_name,
		type,
		purpose: body.purpose || '',
		header: body.header || '',
		creator_id: ctx.userId,
	});
	ctx.state.addChannelMember(channel.id, ctx.userId, 'channel_user channel_admin');
	return reply.created(copy(channel));
}

function listAllChannels(ctx) {
	ctx.requireAdmin('manage_system');
	const { state } = ctx;
	const channels = [...state.channels.values()]
		.filter(isPublicOrPrivate)
		.filter((c) => ctx.flag('include_deleted') || c.delete_at === 0)
		.filter((c) => !ctx.flag('exclude_default_channels') || !DEFAULT_CHANNELS.includes(c.name))
		.sort(byDisplayName)
		.map((c) => {
			const team = state.teams.get(c.team_id);
			return { ...c, team_display_name: team.display_name, team_name: team.name, team_update_at: team.update_at };
		});
	const page = ctx.page(channels);
	return reply.ok(ctx.flag('include_total_count') ? { channels: page, total_count: channels.length } : page);
}

function getChannel(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	ctx.requireReadChannel(channel);
	return reply.ok(copy(channel));
}

function listPublicChannels(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireTeamMember(team, 'list_team_channels');
	const channels = [...ctx.state.channels.values()]
		.filter((c) => c.team_id === team.id && c.type === 'O' && c.delete_at === 0)
		.sort(byDisplayName);
	return reply.ok(ctx.page(channels).map(copy));
}

/** A channel by team and name; private channels the caller cannot read are reported missing. */
function channelByName(ctx, team, name) {
	const channel = ctx.state.channelByName(team.id, name);
	const missing = () =>
		errors.notFound('app.channel.get_by_name.missing.app_error', 'Unable to find the existing channel.', `teamId=${team.id}, name=${name}`);
	if (!channel || (channel.delete_at !== 0 && !ctx.flag('include_deleted'))) throw missing();
	if (channel.type === 'O') ctx.requireTeamMember(team, 'read_public_channel');
	else if (!ctx.canReadChannel(channel)) throw missing();
	return reply.ok(copy(channel));
}

function getChannelByName(ctx) {
	return channelByName(ctx, ctx.teamById(ctx.idParam('team_id')), ctx.params.channel_name);
}

function getChannelByTeamNameAndName(ctx) {
	return channelByName(ctx, ctx.teamByName(ctx.params.team_name), ctx.params.channel_name);
}

function patchChannel(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	ctx.requireChannelMember(channel, channelPermission(channel, 'manage_{scope}_channel_properties'));
	if (channel.delete_at !== 0) {
		throw errors.badRequest('api.channel.patch_update_channel.forbidden.app_error', 'Failed to patch the channel.');
	}
	const body = ctx.json('channel');
	const fields = {};
	for (const key of ['name', 'display_name', 'purpose', 'header']) if (body[key] !== undefined) fields[key] = body[key];
	validateChannelFields(ctx.state, fields, channel.team_id, channel.id);
	Object.assign(channel, fields, { update_at: ctx.state.now() });
	return reply.ok(copy(channel));
}

function deleteChannel(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	if (!isPublicOrPrivate(channel)) {
		throw errors.badRequest('api.channel.delete_channel.type.invalid', 'Unable to delete direct or group message channels.');
	}
	ctx.requireChannelMember(channel, channelPermission(channel, 'delete_{scope}_channel'));
	if (channel.name === DEFAULT_CHANNEL) {
		throw errors.badRequest('api.channel.delete_channel.cannot.app_error', `Unable to delete the default channel ${DEFAULT_CHANNEL}.`);
	}
	if (channel.delete_at !== 0) {
		throw errors.badRequest('api.channel.delete_channel.deleted.app_error', 'The channel has been archived or deleted.');
	}
	channel.delete_at = ctx.state.now();
	channel.update_at = channel.delete_at;
	return reply.statusOk();
}

function restoreChannel(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	ctx.requireTeamAdmin(ctx.teamById(channel.team_id), 'manage_team');
	if (channel.delete_at === 0) {
		throw errors.badRequest('api.channel.restore_channel.restored.app_error', 'Unable to unarchive channel. The channel is not archived.');
	}
	channel.delete_at = 0;
	channel.update_at = ctx.state.now();
	return reply.ok(copy(channel));
}

function listChannelMembers(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	ctx.requireReadChannel(channel);
	return reply.ok(ctx.page(ctx.state.membersOfChannel(channel.id)).map(copy));
}

function addChannelMembers(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	const body = ctx.json('channel_member');
	const userIds = Array.isArray(body.user_ids) ? body.user_ids : [body.user_id];
	if (userIds.length === 0 || !userIds.every(isValidId)) throw errors.invalidBodyParam(Array.isArray(body.user_ids) ? 'user_ids' : 'user_id');
	if (!isPublicOrPrivate(channel)) {
		throw errors.badRequest('api.channel.add_user_to_channel.type.app_error', 'Can not add user to this channel type.');
	}
	if (channel.delete_at !== 0) {
		throw errors.badRequest('api.channel.add_user.to.channel.failed.deleted.app_error', 'Failed to add user to channel because channel has been archived.');
	}
	const selfJoinsPublic = userIds.length === 1 && userIds[0] === ctx.userId && channel.type === 'O';
	if (selfJoinsPublic) ctx.requireTeamMember(ctx.teamById(channel.team_id), 'join_public_channels');
	else ctx.requireChannelMember(channel, channelPermission(channel, 'manage_{scope}_channel_members'));
	const members = userIds.map((userId) => {
		ctx.userById(userId);
		// AddUserToChannel: never in the team → 404 from the team member lookup; removed from it → 400.
		const teamMember = ctx.state.teamMembers.get(`${channel.team_id}:${userId}`);
		if (!teamMember) {
			throw errors.notFound('app.team.get_member.missing.app_error', 'No team member found for that user ID and team ID.', `user_id=${userId}, team_id=${channel.team_id}`);
		}
		if (teamMember.delete_at !== 0) {
			throw errors.badRequest('api.channel.add_user.to.channel.failed.deleted.app_error', 'Failed to add user to channel because they have been removed from the team.');
		}
		return copy(ctx.state.addChannelMember(channel.id, userId));
	});
	return reply.created(Array.isArray(body.user_ids) ? members : members[0]);
}

function removeChannelMember(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	const userId = ctx.idParam('user_id');
	if (!isPublicOrPrivate(channel)) {
		throw errors.badRequest('api.channel.remove_user_from_channel.app_error', 'Can not remove user from this channel type.');
	}
	if (userId !== ctx.userId) ctx.requireChannelMember(channel, channelPermission(channel, 'manage_{scope}_channel_members'));
	if (channel.name === DEFAULT_CHANNEL) {
		throw errors.badRequest('api.channel.remove.default.app_error', `Unable to remove user from the default channel ${DEFAULT_CHANNEL}.`);
	}
	if (!ctx.state.removeChannelMember(channel.id, userId)) {
		throw errors.notFound('app.channel.get_member.missing.app_error', 'No channel member found for that user ID and channel ID.');
	}
	return reply.statusOk();
}

function searchChannels(ctx) {
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireTeamMember(team, 'list_team_channels');
	const body = ctx.json('channel_search');
	const term = String(body.term || '').toLowerCase();
	const matches = (c) =>
		c.name.startsWith(term) ||
		c.display_name.toLowerCase().startsWith(term) ||
		c.display_name.toLowerCase().split(/\s+/).some((word) => word.startsWith(term));
	const channels = [...ctx.state.channels.values()]
		.filter((c) => c.team_id === team.id && c.type === 'O' && (c.delete_at === 0 || body.include_deleted === true))
		.filter(matches)
		.sort(byDisplayName);
	return reply.ok(channels.map(copy));
}

function channelStats(ctx) {
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	ctx.requireReadChannel(channel);
	const { state } = ctx;
	const activeMembers = state.membersOfChannel(channel.id).filter((m) => state.users.get(m.user_id).delete_at === 0);
	const posts = state.postsIn(channel.id);
	return reply.ok({
		channel_id: channel.id,
		member_count: activeMembers.length,
		guest_count: 0,
		pinnedpost_count: posts.filter((p) => p.is_pinned).length,
		files_count: [...state.files.values()].filter((f) => f.channel_id === channel.id && f.post_id && f.delete_at === 0).length,
	});
}

function requireUserIds(ctx, name) {
	const ids = ctx.json(name, { array: true });
	if (!ids.every(isValidId)) throw errors.invalidBodyParam(name);
	return ids;
}

function createDirectChannel(ctx) {
	const ids = requireUserIds(ctx, 'user_ids');
	if (ids.length !== 2) throw errors.invalidBodyParam('user_ids');
	for (const id of ids) {
		if (!ctx.state.users.has(id)) {
			throw errors.badRequest('api.channel.create_direct_channel.invalid_user.app_error', 'Invalid user ID for direct channel creation.', `user_id=${id}`);
		}
	}
	if (!ids.includes(ctx.userId)) ctx.requireAdmin('manage_system');
	const { channel } = ctx.state.directChannel(ids[0], ids[1]);
	return reply.created(copy(channel));
}

function createGroupChannel(ctx) {
	const ids = [...new Set([...requireUserIds(ctx, 'user_ids'), ctx.userId])];
	if (ids.length < 3 || ids.length > 8) {
		throw errors.badRequest('api.channel.create_group.bad_size.app_error', 'Group message channels must contain at least 3 and no more than 8 users.');
	}
	for (const id of ids) {
		if (!ctx.state.users.has(id)) {
			throw errors.badRequest('api.channel.create_group.bad_user.app_error', 'One of the provided users does not exist.', `user_id=${id}`);
		}
	}
	const { channel } = ctx.state.groupChannel(ids, ctx.userId);
	return reply.created(copy(channel));
}

module.exports = [
	['GET', '/api/v4/channels', listAllChannels],
	['POST', '/api/v4/channels', createChannel],
	['POST', '/api/v4/channels/direct', createDirectChannel],
	['POST', '/api/v4/channels/group', createGroupChannel],
	['GET', '/api/v4/channels/:channel_id', getChannel],
	['DELETE', '/api/v4/channels/:channel_id', deleteChannel],
	['PUT', '/api/v4/channels/:channel_id/patch', patchChannel],
	['POST', '/api/v4/channels/:channel_id/restore', restoreChannel],
	['GET', '/api/v4/channels/:channel_id/stats', channelStats],
	['GET', '/api/v4/channels/:channel_id/members', listChannelMembers],
	['POST', '/api/v4/channels/:channel_id/members', addChannelMembers],
	['DELETE', '/api/v4/channels/:channel_id/members/:user_id', removeChannelMember],
	['GET', '/api/v4/teams/:team_id/channels', listPublicChannels],
	['POST', '/api/v4/teams/:team_id/channels/search', searchChannels],
	['GET', '/api/v4/teams/:team_id/channels/name/:channel_name', getChannelByName],
	['GET', '/api/v4/teams/name/:team_name/channels/name/:channel_name', getChannelByTeamNameAndName],
];
