'use strict';
const crypto = require('crypto');
const { errors } = require('../app-error');
const { reply } = require('../context');
const { newId } = require('../ids');

/**
 * Interactive dialogs, like server/channels/app/integration_action.go:
 *
 * - Every click payload and slash command request carries a fresh trigger id: base64 of
 *   `clientTriggerId:userId:millis:signature`. The real server signs with its ECDSA key; the fake
 *   with an HMAC key of its own, so a made-up or altered id fails the same way.
 * - `POST /actions/dialogs/open` verifies the id (valid OutgoingIntegrationRequestsTimeout = 30 s
 *   from its making), validates the dialog (Dialog.IsValid) and sends `open_dialog` to the user.
 * - `POST /actions/dialogs/submit` (the webapp's call) POSTs a SubmitDialogRequest to the
 *   dialog's url as the session user and hands the integration's answer back to the client.
 */

const TRIGGER_ID_TTL_MS = 30000;
// model/integration_action.go limits.
const DIALOG_TITLE_MAX_RUNES = 24;
const ELEMENT_DISPLAY_NAME_MAX_RUNES = 24;
const ELEMENT_NAME_MAX_RUNES = 300;
const ELEMENT_HELP_TEXT_MAX_RUNES = 150;
const TEXT_FIELD_MAX_LENGTH = 150;
const TEXTAREA_FIELD_MAX_LENGTH = 3000;
const TEXT_SUBTYPES = ['', 'text', 'email', 'number', 'password', 'tel', 'url'];
const ELEMENT_TYPES = ['text', 'textarea', 'select', 'bool', 'radio', 'date', 'datetime'];

function signingKey(mm) {
	mm.triggerSigningKey = mm.triggerSigningKey || crypto.randomBytes(32);
	return mm.triggerSigningKey;
}

function sign(mm, text) {
	return crypto.createHmac('sha256', signingKey(mm)).update(text).digest('base64');
}

/**
 * A fresh trigger id for a user (model.GenerateTriggerId). `where` (channel and team of the
 * click) is what the webapp knows when it later submits the dialog the id opens.
 */
function newTriggerId(mm, userId, where = {}) {
	const payload = `${newId()}:${userId}:${Date.now()}`;
	const triggerId = Buffer.from(`${payload}:${sign(mm, payload)}`).toString('base64');
	mm.triggerContexts = mm.triggerContexts || new Map();
	mm.triggerContexts.set(triggerId, { channel_id: where.channel_id || '', team_id: where.team_id || '' });
	return triggerId;
}

/** model.DecodeAndVerifyTriggerId: the user id the trigger id was made for, or a 400. */
function verifyTriggerId(mm, triggerId) {
	const fail = (suffix, message) => errors.badRequest(`interactive_message.decode_trigger_id.${suffix}`, message);
	const decoded = Buffer.from(String(triggerId), 'base64').toString('utf8');
	const parts = decoded.split(':');
	if (parts.length !== 4) throw fail('missing_data', 'Trigger ID missing required data.');
	const [clientId, userId, millis, signature] = parts;
	const expected = sign(mm, `${clientId}:${userId}:${millis}`);
	if (signature.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
		throw fail('verify_signature_failed', 'Signature verification failed.');
	}
	if (Date.now() - Number(millis) > (mm.config.triggerIdTtlMs || TRIGGER_ID_TTL_MS)) {
		throw fail('expired', `Trigger ID expired. Trigger IDs are valid for ${TRIGGER_ID_TTL_MS / 1000}s.`);
	}
	return userId;
}

const runes = (value) => [...String(value)].length;

/** Dialog.IsValid: every problem found, as the server joins them. */
function dialogProblems(request) {
	const problems = [];
	if (!request.url) problems.push('empty URL');
	const dialog = request.dialog;
	if (!dialog || typeof dialog !== 'object') return [...problems, 'missing dialog'];
	if (!dialog.title || runes(dialog.title) > DIALOG_TITLE_MAX_RUNES) problems.push(`invalid dialog title "${dialog.title || ''}"`);
	if (dialog.icon_url && !/^https?:\/\//.test(dialog.icon_url)) problems.push('invalid icon url');
	const names = new Set();
	for (const element of Array.isArray(dialog.elements) ? dialog.elements : []) {
		const name = element && element.name;
		if (!name || runes(name) > ELEMENT_NAME_MAX_RUNES) problems.push(`invalid element name "${name || ''}"`);
		if (names.has(name)) problems.push(`duplicate dialog element "${name}"`);
		names.add(name);
		if (!element.display_name || runes(element.display_name) > ELEMENT_DISPLAY_NAME_MAX_RUNES) {
			problems.push(`invalid display name "${element.display_name || ''}" of element "${name}"`);
		}
		if (element.help_text && runes(element.help_text) > ELEMENT_HELP_TEXT_MAX_RUNES) problems.push(`help text of element "${name}" too long`);
		if (!ELEMENT_TYPES.includes(element.type)) problems.push(`invalid element type "${element.type}" of "${name}"`);
		if (element.type === 'text' || element.type === 'textarea') {
			const max = element.type === 'text' ? TEXT_FIELD_MAX_LENGTH : TEXTAREA_FIELD_MAX_LENGTH;
			if ((element.max_length || 0) > max || (element.min_length || 0) > (element.max_length || max)) {
				problems.push(`invalid length of element "${name}"`);
			}
			if (!TEXT_SUBTYPES.includes(element.subtype || '')) problems.push(`invalid subtype "${element.subtype}" of "${name}"`);
		}
		if ((element.type === 'select' || element.type === 'radio') && !element.data_source) {
			const options = Array.isArray(element.options) ? element.options : [];
			if (options.length === 0 || options.some((option) => !option || option.text === undefined || option.value === undefined)) {
				problems.push(`invalid options of element "${name}"`);
			}
		}
	}
	return problems;
}

function openDialog(ctx) {
	const request = ctx.json('dialog');
	const userId = verifyTriggerId(ctx.mm, request.trigger_id);
	const problems = dialogProblems(request);
	if (problems.length) {
		throw errors.badRequest('app.open_interactive_dialog.invalid_request', 'Invalid dialog request.', problems.join(', '));
	}
	const where = (ctx.mm.triggerContexts && ctx.mm.triggerContexts.get(request.trigger_id)) || {};
	ctx.state.openDialogs = ctx.state.openDialogs || [];
	ctx.state.openDialogs.push({
		id: newId(),
		user_id: userId,
		opened_by: ctx.userId,
		open: true,
		channel_id: where.channel_id || '',
		team_id: where.team_id || '',
		request: JSON.parse(JSON.stringify(request)),
	});
	ctx.mm.webSocket.emitEvent('open_dialog', { dialog: JSON.stringify(request) }, { user_id: userId });
	return reply.statusOk();
}

/** App.SubmitInteractiveDialog for the session user; the integration's answer, or {} when empty. */
async function submitDialog(ctx) {
	const body = ctx.json('dialog');
	if (!body.url) throw errors.invalidBodyParam('url');
	const channel = ctx.channelById(body.channel_id);
	ctx.requireReadChannel(channel, 'read_channel');
	const submission = {
		type: 'dialog_submission',
		callback_id: body.callback_id || '',
		state: body.state || '',
		user_id: ctx.userId,
		channel_id: channel.id,
		team_id: body.team_id || channel.team_id || '',
		submission: body.submission && typeof body.submission === 'object' ? body.submission : {},
		cancelled: body.cancelled === true,
	};
	const call = await ctx.mm.outbound.track(
		ctx.mm.outbound.request('dialog', body.callback_id || '', body.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify(submission),
		}),
	);
	if (call.status !== 200) {
		throw errors.badRequest('app.submit_interactive_dialog.json_error', 'Encountered an error decoding JSON response from interactive dialog.', `status=${call.status}`);
	}
	let response = {};
	if (call.responseText.trim()) {
		try {
			response = JSON.parse(call.responseText);
		} catch {
			throw errors.badRequest('app.submit_interactive_dialog.decode_json_error', 'Encountered an error decoding JSON response from interactive dialog.');
		}
	}
	return reply.ok(response && typeof response === 'object' ? response : {});
}

// ---- control routes: what a user does in the webapp ----

function actAs(ctx, who) {
	const user = ctx.state.users.get(who) || [...ctx.state.users.values()].find((u) => u.username === who);
	if (!user) throw errors.badRequest('fake.user.unknown', `No user "${who}".`);
	ctx.user = user;
}

/** `{user, post_id, action_id, selected_option?}`: the user clicks a button of a post. */
async function clickAsUser(ctx) {
	const body = ctx.json('click');
	actAs(ctx, body.user);
	ctx.params = { post_id: body.post_id, action_id: body.action_id };
	ctx.body = body.selected_option === undefined ? {} : { selected_option: body.selected_option };
	const { doPostAction } = require('./integrations');
	const before = ctx.mm.outbound.calls.length;
	try {
		const result = await doPostAction(ctx);
		return reply.ok({ ...result.json, integration: integrationCallView(ctx.mm.outbound.calls[before]) });
	} catch (error) {
		if (!error.statusCode) throw error;
		return {
			status: error.statusCode,
			json: { id: error.id, message: error.message, status_code: error.statusCode, integration: integrationCallView(ctx.mm.outbound.calls[before]) },
		};
	}
}

function integrationCallView(call) {
	return call ? { url: call.url, status: call.status, response: call.responseText } : null;
}

/**
 * `{user, submission, cancelled?, dialog_id?}`: the user submits (or cancels) their newest open
 * dialog. The webapp closes it unless the answer carries `errors` (or an `error`).
 */
async function submitAsUser(ctx) {
	const body = ctx.json('submit');
	actAs(ctx, body.user);
	const dialogs = (ctx.state.openDialogs || []).filter((d) => d.user_id === ctx.userId && d.open && (!body.dialog_id || d.id === body.dialog_id));
	const dialog = dialogs.at(-1);
	if (!dialog) throw errors.badRequest('fake.dialog.none_open', `User "${body.user}" has no open dialog.`);
	const { request } = dialog;
	if (body.cancelled === true && !request.dialog.notify_on_cancel) {
		dialog.open = false;
		return reply.ok({ closed: true, response: null });
	}
	ctx.body = {
		url: request.url,
		callback_id: request.dialog.callback_id || '',
		state: request.dialog.state || '',
		channel_id: dialog.channel_id,
		team_id: dialog.team_id,
		submission: body.submission || {},
		cancelled: body.cancelled === true,
	};
	const result = await submitDialog(ctx);
	const response = result.json;
	const keepsOpen = Boolean(response.error) || Boolean(response.errors && Object.keys(response.errors).length);
	if (!keepsOpen) dialog.open = false;
	return reply.ok({ closed: !keepsOpen, response });
}

const control = (handler) => [handler, { auth: false }];

module.exports = [
	['POST', '/api/v4/actions/dialogs/open', openDialog],
	['POST', '/api/v4/actions/dialogs/submit', submitDialog],
	['POST', '/__fake/click', ...control(clickAsUser)],
	['GET', '/__fake/dialogs', ...control((ctx) => reply.ok(ctx.state.openDialogs || []))],
	['POST', '/__fake/dialogs/submit', ...control(submitAsUser)],
];
module.exports.newTriggerId = newTriggerId;
module.exports.verifyTriggerId = verifyTriggerId;
