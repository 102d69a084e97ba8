'use strict';
const { AppError, errors } = require('../app-error');
const { reply } = require('../context');
const { newId, isValidId } = require('../ids');
const { copy, postView } = require('../serialize');
const { newTriggerId } = require('./dialogs');

const CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

function isHttpUrl(value) {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

function pick(source, keys) {
	const picked = {};
	for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
	return picked;
}

// ---- outgoing webhooks ----

const HOOK_FIELDS = ['channel_id', 'display_name', 'description', 'trigger_words', 'trigger_when', 'callback_urls', 'content_type', 'username', 'icon_url'];

function requireOutgoingHooksEnabled(ctx) {
	if (!ctx.config.enableOutgoingWebhooks) {
		throw new AppError(501, 'api.outgoing_webhook.disabled.app_error', 'Outgoing webhooks have been disabled by the system admin.');
	}
}

/** The hook's fields after the checks of OutgoingWebhook.IsValid and createOutgoingHook. */
function validateHook(ctx, hook) {
	const team = ctx.teamById(hook.team_id);
	if (hook.channel_id) {
		const channel = ctx.channelById(hook.channel_id);
		if (channel.team_id !== team.id) throw errors.invalidBodyParam('channel_id');
		if (channel.type !== 'O') {
			throw errors.forbidden('api.webhook.create_outgoing.not_open.app_error', 'Outgoing webhooks can only be created for public channels.');
		}
	}
	if (!Array.isArray(hook.trigger_words) || !hook.trigger_words.every((w) => typeof w === 'string')) {
		throw errors.badRequest('model.outgoing_hook.is_valid.words.app_error', 'Invalid trigger words.');
	}
	if (!hook.channel_id && hook.trigger_words.length === 0) {
		throw errors.badRequest('api.webhook.create_outgoing.triggers.app_error', 'Either trigger_words or channel_id must be set.');
	}
	if (!Array.isArray(hook.callback_urls) || hook.callback_urls.length === 0 || !hook.callback_urls.every(isHttpUrl)) {
		throw errors.badRequest('model.outgoing_hook.is_valid.callback.app_error', 'Invalid callback urls.');
	}
	if (![0, 1].includes(hook.trigger_when)) {
		throw errors.badRequest('model.outgoing_hook.is_valid.trigger_when.app_error', 'Invalid trigger when.');
	}
	if (!CONTENT_TYPES.includes(hook.content_type)) {
		throw errors.badRequest('model.outgoing_hook.is_valid.content_type.app_error', 'Invalid content type.');
	}
	return team;
}

function createHook(ctx) {
	requireOutgoingHooksEnabled(ctx);
	const body = ctx.json('outgoing_webhook');
	if (!isValidId(body.team_id)) throw errors.badRequest('model.outgoing_hook.is_valid.team_id.app_error', 'Invalid team id.');
	ctx.requireTeamAdmin(ctx.teamById(body.team_id), 'manage_outgoing_webhooks');
	const at = ctx.state.now();
	const hook = {
		id: newId(),
		token: newId(),
		create_at: at,
		update_at: at,
		delete_at: 0,
		creator_id: ctx.isAdmin() && isValidId(body.creator_id) ? body.creator_id : ctx.userId,
		team_id: body.team_id,
		channel_id: '',
		trigger_words: [],
		trigger_when: 0,
		callback_urls: [],
		display_name: '',
		description: '',
		content_type: 'application/x-www-form-urlencoded',
		username: '',
		icon_url: '',
		...pick(body, HOOK_FIELDS),
	};
	validateHook(ctx, hook);
	ctx.state.hooks.set(hook.id, hook);
	return reply.created(copy(hook));
}

function listHooks(ctx) {
	requireOutgoingHooksEnabled(ctx);
	const { channel_id: channelId, team_id: teamId } = ctx.query;
	let hooks = [...ctx.state.hooks.values()].filter((h) => h.delete_at === 0);
	if (channelId) {
		const channel = ctx.channelById(channelId);
		ctx.requireTeamAdmin(ctx.teamById(channel.team_id), 'manage_outgoing_webhooks');
		hooks = hooks.filter((h) => h.channel_id === channel.id);
	} else if (teamId) {
		ctx.requireTeamAdmin(ctx.teamById(teamId), 'manage_outgoing_webhooks');
		hooks = hooks.filter((h) => h.team_id === teamId);
	} else {
		ctx.requireAdmin('manage_others_outgoing_webhooks');
	}
	return reply.ok(ctx.page(hooks).map(copy));
}

function manageableHook(ctx) {
	requireOutgoingHooksEnabled(ctx);
	const hook = ctx.hookById(ctx.idParam('hook_id'));
	ctx.requireTeamAdmin(ctx.teamById(hook.team_id), 'manage_outgoing_webhooks');
	return hook;
}

function getHook(ctx) {
	return reply.ok(copy(manageableHook(ctx)));
}

function updateHook(ctx) {
	const hook = manageableHook(ctx);
	const body = ctx.json('outgoing_webhook');
	if (body.id !== hook.id) throw errors.invalidBodyParam('hook_id');
	if (body.team_id !== undefined && body.team_id !== hook.team_id) {
		throw errors.forbidden('api.webhook.team_mismatch.app_error', 'Unable to update webhook across teams.');
	}
	const updated = { ...hook, ...pick(body, HOOK_FIELDS) };
	validateHook(ctx, updated);
	Object.assign(hook, updated, { update_at: ctx.state.now() });
	return reply.ok(copy(hook));
}

function deleteHook(ctx) {
	const hook = manageableHook(ctx);
	hook.delete_at = ctx.state.now();
	return reply.statusOk();
}

function regenerateHookToken(ctx) {
	const hook = manageableHook(ctx);
	hook.token = newId();
	hook.update_at = ctx.state.now();
	return reply.ok(copy(hook));
}

// ---- slash commands ----

const COMMAND_FIELDS = ['trigger', 'method', 'url', 'username', 'icon_url', 'auto_complete', 'auto_complete_desc', 'auto_complete_hint', 'display_name', 'description'];

function requireCommandsEnabled(ctx) {
	if (!ctx.config.enableCommands) {
		throw new AppError(501, 'api.command.disabled.app_error', 'Commands have been disabled by the system admin.');
	}
}

function validateCommand(ctx, command) {
	const trigger = String(command.trigger || '');
	if (!trigger || trigger.length > 128 || trigger.startsWith('/') || /\s/.test(trigger)) {
		throw errors.badRequest('model.command.is_valid.trigger.app_error', 'Invalid trigger.');
	}
	if (!isHttpUrl(command.url)) throw errors.badRequest('model.command.is_valid.url.app_error', 'Invalid URL.');
	if (command.method !== 'P' && command.method !== 'G') {
		throw errors.badRequest('model.command.is_valid.method.app_error', 'Invalid Method.');
	}
	const clash = [...ctx.state.commands.values()].find(
		(c) => c.delete_at === 0 && c.team_id === command.team_id && c.trigger === trigger && c.id !== command.id,
	);
	if (clash) {
		throw errors.badRequest('api.command.duplicate_trigger.app_error', 'This trigger word is already in use. Please choose another word.');
	}
}

function createCommand(ctx) {
	requireCommandsEnabled(ctx);
	const body = ctx.json('command');
	if (!isValidId(body.team_id)) throw errors.invalidBodyParam('team_id');
	ctx.requireTeamAdmin(ctx.teamById(body.team_id), 'manage_slash_commands');
	const at = ctx.state.now();
	const command = {
		id: newId(),
		token: newId(),
		create_at: at,
		update_at: at,
		delete_at: 0,
		creator_id: ctx.userId,
		team_id: body.team_id,
		trigger: '',
		method: 'P',
		url: '',
		username: '',
		icon_url: '',
		auto_complete: false,
		auto_complete_desc: '',
		auto_complete_hint: '',
		display_name: '',
		description: '',
		plugin_id: '',
		...pick(body, COMMAND_FIELDS),
	};
	validateCommand(ctx, command);
	ctx.state.commands.set(command.id, command);
	return reply.created(copy(command));
}

function listCommands(ctx) {
	requireCommandsEnabled(ctx);
	if (!ctx.query.team_id) throw errors.invalidUrlParam('team_id');
	const team = ctx.teamById(ctx.query.team_id);
	const custom = [...ctx.state.commands.values()].filter((c) => c.team_id === team.id && c.delete_at === 0);
	if (ctx.flag('custom_only')) {
		ctx.requireTeamAdmin(team, 'manage_slash_commands');
		return reply.ok(custom.map(copy));
	}
	ctx.requireTeamMember(team);
	// Built-in commands are not modelled; custom ones are listed for those who may manage them.
	return reply.ok(ctx.isTeamAdmin(team.id) ? custom.map(copy) : []);
}

function manageableCommand(ctx) {
	requireCommandsEnabled(ctx);
	const command = ctx.commandById(ctx.idParam('command_id'));
	ctx.requireTeamAdmin(ctx.teamById(command.team_id), 'manage_slash_commands');
	return command;
}

function getCommand(ctx) {
	return reply.ok(copy(manageableCommand(ctx)));
}

function updateCommand(ctx) {
	const command = manageableCommand(ctx);
	const body = ctx.json('command');
	if (body.id !== command.id) throw errors.invalidBodyParam('command_id');
	const updated = { ...command, ...pick(body, COMMAND_FIELDS) };
	validateCommand(ctx, updated);
	Object.assign(command, updated, { update_at: ctx.state.now() });
	return reply.ok(copy(command));
}

function regenerateCommandToken(ctx) {
	const command = manageableCommand(ctx);
	command.token = newId();
	command.update_at = ctx.state.now();
	return reply.ok({ token: command.token });
}

function deleteCommand(ctx) {
	const command = manageableCommand(ctx);
	command.delete_at = ctx.state.now();
	return reply.statusOk();
}

/** Runs a custom command; built-in commands (/join, /me, ...) are not modelled. */
async function executeCommand(ctx) {
	requireCommandsEnabled(ctx);
	const body = ctx.json('command_args');
	if (!isValidId(body.channel_id)) throw errors.invalidBodyParam('channel_id');
	const channel = ctx.channelById(body.channel_id);
	ctx.requireChannelMember(channel, 'use_slash_commands');
	const line = String(body.command || '');
	if (!line.startsWith('/')) {
		throw errors.badRequest('api.command.execute_command.start.app_error', 'No command trigger found.');
	}
	const trigger = line.slice(1).split(' ')[0];
	const team = ctx.teamById(channel.team_id || body.team_id);
	const command = [...ctx.state.commands.values()].find((c) => c.delete_at === 0 && c.team_id === team.id && c.trigger === trigger);
	if (!command) {
		throw errors.notFound('api.command.execute_command.not_found.app_error', `Command with a trigger of '${trigger}' not found.`);
	}
	const response = await ctx.mm.outbound.executeCommand(command, {
		user: ctx.user,
		channel,
		team,
		text: line.slice(trigger.length + 2),
		rootId: body.root_id || '',
	});
	if (!response) {
		throw errors.internal('api.command.execute_command.failed.app_error', `Command with a trigger of '${trigger}' failed.`);
	}
	return reply.ok({ response_type: 'ephemeral', text: '', ...response });
}

// server/public/model/command_webhook.go: 5 uses within 30 minutes.
const COMMAND_WEBHOOK_MAX_USES = 5;
const COMMAND_WEBHOOK_LIFETIME_MS = 30 * 60 * 1000;

/** The response_url of a command: delayed replies as JSON CommandResponse or plain text. */
function commandWebhook(ctx) {
	const callback = ctx.state.commandWebhooks.get(ctx.params.hook_id);
	if (!callback || callback.uses >= COMMAND_WEBHOOK_MAX_USES || Date.now() - callback.create_at > COMMAND_WEBHOOK_LIFETIME_MS) {
		throw errors.badRequest('web.command_webhook.invalid.app_error', 'Invalid webhook.');
	}
	const body = ctx.body;
	const response = body !== null && typeof body === 'object' ? body : { text: ctx.raw ? ctx.raw.toString('utf8') : '' };
	callback.uses += 1;
	ctx.mm.outbound.applyCommandResponse(response, {
		userId: callback.user_id,
		channelId: response.channel_id || callback.channel_id,
		rootId: callback.root_id,
	});
	return reply.raw(200, 'ok', { 'Content-Type': 'text/plain' });
}

// ---- interactive message buttons and menus ----

/** Action ids the server's route accepts: /posts/{post_id}/actions/{action_id:[A-Za-z0-9]+}. */
const ACTION_ID = /^[A-Za-z0-9]+$/;

function findAction(post, actionId) {
	const attachments = post.props && Array.isArray(post.props.attachments) ? post.props.attachments : [];
	for (const attachment of attachments) {
		for (const action of (attachment && Array.isArray(attachment.actions) ? attachment.actions : [])) {
			if (action && action.id === actionId) return action;
		}
	}
	return null;
}

/**
 * A click on a button (or a menu choice), like App.DoPostActionWithCookie: the server POSTs a
 * PostActionIntegrationRequest as JSON to the action's integration URL and applies the answer
 * (`update` replaces message and props, `ephemeral_text` goes to the clicking user only).
 */
async function doPostAction(ctx) {
	if (!ACTION_ID.test(ctx.params.action_id)) throw errors.routeNotFound(ctx.path);
	const post = ctx.postById(ctx.idParam('post_id'));
	const channel = ctx.channelById(post.channel_id);
	ctx.requireReadChannel(channel, 'read_channel');
	const body = ctx.body !== null && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {};
	const action = findAction(post, ctx.params.action_id);
	if (!action || !action.integration || !action.integration.url) {
		throw errors.notFound('api.post.do_action.action_id.app_error', 'Unable to find action with ID.', `action_id=${ctx.params.action_id}`);
	}
	const context = { ...(action.integration.context || {}) };
	if (action.type === 'select' && body.selected_option !== undefined) context.selected_option = body.selected_option;
	const team = channel.team_id ? ctx.state.teams.get(channel.team_id) : null;
	const triggerId = newTriggerId(ctx.mm, ctx.userId, { channel_id: channel.id, team_id: team ? team.id : '' });
	const request = {
		user_id: ctx.userId,
		user_name: ctx.user.username,
		channel_id: channel.id,
		channel_name: channel.name,
		team_id: team ? team.id : '',
		team_domain: team ? team.name : '',
		post_id: post.id,
		trigger_id: triggerId,
		type: action.type || 'button',
		data_source: action.data_source || '',
		context,
	};
	const call = await ctx.mm.outbound.track(
		ctx.mm.outbound.request('action', post.id, action.integration.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify(request),
		}),
	);
	if (!call || call.status !== 200) {
		throw errors.badRequest('api.post.do_action.action_integration.app_error', 'Action integration error.', `status=${call ? call.status : 0}`);
	}
	let response = {};
	if (call.responseText.trim()) {
		try {
			response = JSON.parse(call.responseText);
		} catch {
			throw errors.badRequest('api.post.do_action.action_integration.app_error', 'Action integration error.', 'invalid JSON response');
		}
	}
	if (response && response.update && typeof response.update === 'object') {
		const at = ctx.state.now();
		post.message = typeof response.update.message === 'string' ? response.update.message : '';
		post.props = { ...(response.update.props && typeof response.update.props === 'object' ? response.update.props : {}) };
		post.edit_at = at;
		post.update_at = at;
		ctx.mm.webSocket.emitEvent('post_edited', { post: JSON.stringify(postView(post, ctx.state)) }, { channel_id: post.channel_id });
	}
	if (response && typeof response.ephemeral_text === 'string' && response.ephemeral_text) {
		ctx.state.ephemeralPosts.push({ user_id: ctx.userId, post: { channel_id: channel.id, root_id: post.root_id || post.id, message: response.ephemeral_text, props: {} } });
	}
	return reply.ok({ status: 'OK', trigger_id: triggerId });
}

module.exports = [
	['POST', '/api/v4/hooks/outgoing', createHook],
	['GET', '/api/v4/hooks/outgoing', listHooks],
	['GET', '/api/v4/hooks/outgoing/:hook_id', getHook],
	['PUT', '/api/v4/hooks/outgoing/:hook_id', updateHook],
	['DELETE', '/api/v4/hooks/outgoing/:hook_id', deleteHook],
	['POST', '/api/v4/hooks/outgoing/:hook_id/regen_token', regenerateHookToken],
	['POST', '/api/v4/commands', createCommand],
	['GET', '/api/v4/commands', listCommands],
	['GET', '/api/v4/commands/:command_id', getCommand],
	['PUT', '/api/v4/commands/:command_id', updateCommand],
	['DELETE', '/api/v4/commands/:command_id', deleteCommand],
	['PUT', '/api/v4/commands/:command_id/regen_token', regenerateCommandToken],
	['POST', '/api/v4/commands/execute', executeCommand],
	['POST', '/hooks/commands/:hook_id', commandWebhook, { auth: false }],
	['POST', '/api/v4/posts/:post_id/actions/:action_id', doPostAction],
];
module.exports.doPostAction = doPostAction;
