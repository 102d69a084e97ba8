'use strict';
const { errors } = require('../app-error');
const { reply } = require('../context');
const { isValidId } = require('../ids');
const { reactionKey } = require('../state');
const { copy } = require('../serialize');

const EMOJI_NAME_PATTERN = /^[a-zA-Z0-9\-+_]{1,64}$/;

function saveReaction(ctx) {
	const body = ctx.json('reaction');
	if (!isValidId(body.user_id) || !isValidId(body.post_id) || !EMOJI_NAME_PATTERN.test(String(body.emoji_name || ''))) {
		throw errors.badRequest('api.reaction.save_reaction.invalid.app_error', 'Reaction is not valid.');
	}
	if (body.user_id !== ctx.userId) {
		throw errors.forbidden('api.reaction.save_reaction.user_id.app_error', 'You cannot save reaction for the other user.');
	}
	const post = ctx.postById(body.post_id);
	ctx.requireChannelMember(ctx.channelById(post.channel_id), 'add_reaction');
	const key = reactionKey(post.id, ctx.userId, body.emoji_name);
	const at = ctx.state.now();
	const existing = ctx.state.reactions.get(key);
	const reaction = existing && existing.delete_at === 0
		? existing
		: {
			user_id: ctx.userId,
			post_id: post.id,
			emoji_name: body.emoji_name,
			create_at: at,
			update_at: at,
			delete_at: 0,
			remote_id: '',
			channel_id: post.channel_id,
		};
	ctx.state.reactions.set(key, reaction);
	post.update_at = at;
	// The handler writes the reaction without WriteHeader: 200, although the spec says 201.
	return reply.ok(copy(reaction));
}

function deleteReaction(ctx) {
	const userId = ctx.idParam('user_id');
	const post = ctx.postById(ctx.idParam('post_id'));
	ctx.requireChannelMember(ctx.channelById(post.channel_id), 'remove_reaction');
	if (userId !== ctx.userId) ctx.requireAdmin('remove_others_reactions');
	const reaction = ctx.state.reactions.get(reactionKey(post.id, userId, ctx.params.emoji_name));
	if (reaction && reaction.delete_at === 0) {
		reaction.delete_at = ctx.state.now();
		reaction.update_at = reaction.delete_at;
		post.update_at = reaction.delete_at;
	}
	return reply.statusOk();
}

/** `null` for a post that never had reactions (Go's nil slice), else the live ones, maybe []. */
function listReactions(ctx) {
	const post = ctx.postById(ctx.idParam('post_id'));
	ctx.requireReadChannel(ctx.channelById(post.channel_id), 'read_channel_content');
	if (ctx.state.reactionsFor(post.id, { includeDeleted: true }).length === 0) return reply.ok(null);
	return reply.ok(ctx.state.reactionsFor(post.id).map(copy));
}

module.exports = [
	['POST', '/api/v4/reactions', saveReaction],
	['GET', '/api/v4/posts/:post_id/reactions', listReactions],
	['DELETE', '/api/v4/users/:user_id/posts/:post_id/reactions/:emoji_name', deleteReaction],
];
