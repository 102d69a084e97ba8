'use strict';
const { errors } = require('../app-error');
const { reply } = require('../context');
const { isValidId } = require('../ids');

// server/public/model/preference.go and api4/preference.go
const FLAGGED_POST = 'flagged_post';
const MAX_UPDATE_PREFERENCES = 100;
const CATEGORY_MAX_RUNES = 32;
const NAME_MAX_RUNES = 32;
const VALUE_MAX_RUNES = 2000;

/**
 * The Preferences table: `${user_id}:${category}:${name}` -> {user_id, category, name, value}.
 * Created on first use, so the state needs no field of its own; a saved post ("flag") is a
 * preference of category flagged_post named after the post id.
 */
function preferenceTable(state) {
	if (!state.preferences) state.preferences = new Map();
	return state.preferences;
}

const keyOf = (pref) => `${pref.user_id}:${pref.category}:${pref.name}`;

function preferencesOf(state, userId, category) {
	return [...preferenceTable(state).values()].filter(
		(pref) => pref.user_id === userId && (category === undefined || pref.category === category),
	);
}

/** Ids of the posts a user has saved (flagged), in no particular order. */
function flaggedPostIds(state, userId) {
	return preferencesOf(state, userId, FLAGGED_POST).map((pref) => pref.name);
}

function setPreference(state, { user_id, category, name, value = 'true' }) {
	const pref = { user_id, category, name, value: String(value) };
	preferenceTable(state).set(keyOf(pref), pref);
	return pref;
}

/** The preference list of a PUT or delete body, checked as model.Preferences / Preference.IsValid. */
function preferenceList(ctx, userId) {
	const list = ctx.json('preferences', { array: true });
	if (list.length === 0 || list.length > MAX_UPDATE_PREFERENCES) throw errors.invalidParam('preferences');
	for (const pref of list) {
		if (!pref || typeof pref !== 'object') throw errors.invalidParam('preferences');
		// App.UpdatePreferences / DeletePreferences: every preference must belong to the path's user.
		if (pref.user_id !== userId) {
			throw errors.forbidden('api.preference.update_preferences.set.app_error', 'Unable to set user preferences.', `session_user_id=${ctx.userId}, preference_user_id=${pref.user_id}`);
		}
		const category = typeof pref.category === 'string' ? pref.category : '';
		const name = typeof pref.name === 'string' ? pref.name : '';
		const value = pref.value === undefined ? '' : pref.value;
		if (!isValidId(pref.user_id)) throw errors.badRequest('model.preference.is_valid.id.app_error', 'Invalid user id.');
		if (!category || [...category].length > CATEGORY_MAX_RUNES) {
			throw errors.badRequest('model.preference.is_valid.category.app_error', 'Invalid category.');
		}
		if ([...name].length > NAME_MAX_RUNES) throw errors.badRequest('model.preference.is_valid.name.app_error', 'Invalid name.');
		if (typeof value !== 'string' || [...value].length > VALUE_MAX_RUNES) {
			throw errors.badRequest('model.preference.is_valid.value.app_error', 'Value is too long.');
		}
	}
	return list;
}

function pathUser(ctx) {
	const userId = ctx.idParam('user_id');
	// SessionHasPermissionToUser: yourself, or edit_other_users (system admins).
	ctx.requireSelfOrAdmin(userId);
	return userId;
}

function getPreferences(ctx) {
	return reply.ok(preferencesOf(ctx.state, pathUser(ctx)).map((pref) => ({ ...pref })));
}

function getPreferencesByCategory(ctx) {
	const userId = pathUser(ctx);
	const found = preferencesOf(ctx.state, userId, ctx.params.category);
	if (found.length === 0) {
		throw errors.notFound('api.preference.preferences_category.get.app_error', 'Unable to find the requested preferences.');
	}
	return reply.ok(found.map((pref) => ({ ...pref })));
}

function updatePreferences(ctx) {
	const userId = pathUser(ctx);
	const list = preferenceList(ctx, userId);
	for (const pref of list) {
		if (pref.category !== FLAGGED_POST) continue;
		// Saving a post needs the post (not deleted) and read access to its channel.
		const post = ctx.state.posts.get(pref.name);
		if (!post || post.delete_at !== 0) throw errors.invalidParam('preference.name');
		ctx.requireReadChannel(ctx.channelById(post.channel_id), 'read_channel_content');
	}
	for (const pref of list) setPreference(ctx.state, pref);
	return reply.statusOk();
}

function deletePreferences(ctx) {
	const userId = pathUser(ctx);
	for (const pref of preferenceList(ctx, userId)) preferenceTable(ctx.state).delete(keyOf(pref));
	return reply.statusOk();
}

module.exports = [
	['GET', '/api/v4/users/:user_id/preferences', getPreferences],
	['PUT', '/api/v4/users/:user_id/preferences', updatePreferences],
	['POST', '/api/v4/users/:user_id/preferences/delete', deletePreferences],
	['GET', '/api/v4/users/:user_id/preferences/:category', getPreferencesByCategory],
];
module.exports.FLAGGED_POST = FLAGGED_POST;
module.exports.flaggedPostIds = flaggedPostIds;
module.exports.setPreference = setPreference;
