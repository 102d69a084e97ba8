'use strict';
const { AppError, errors } = require('../app-error');
const { reply } = require('../context');
const { newId, isValidId } = require('../ids');
const { readPaging, pageOf, parseGoInt } = require('../paging');
const { postView, postListView, fileInfoView } = require('../serialize');
const { flaggedPostIds } = require('./preferences');

// server/public/model/post.go
const POST_MESSAGE_MAX_RUNES = 16383;
const POST_FILE_IDS_MAX_RUNES = 300;
const POSTS_SINCE_LIMIT = 1000;
const PRIORITIES = ['', 'important', 'urgent'];

const newestFirst = (a, b) => b.create_at - a.create_at;

// ---- create ----

function validateNewPost(ctx, body) {
	if (!isValidId(body.channel_id)) throw errors.invalidBodyParam('channel_id');
	const channel = ctx.channelById(body.channel_id);
	ctx.requireChannelMember(channel, 'create_post');
	if (channel.delete_at !== 0) {
		throw errors.badRequest('api.post.create_post.can_not_post_to_deleted.error', 'Can not post to deleted channel.');
	}
	const message = body.message === undefined ? '' : body.message;
	if (typeof message !== 'string') throw errors.invalidBodyParam('post');
	const runes = [...message].length;
	if (runes > POST_MESSAGE_MAX_RUNES) {
		throw errors.badRequest(
			'model.post.is_valid.message_length.app_error',
			`Post Message property length ${runes} exceeds the maximum ${POST_MESSAGE_MAX_RUNES}.`,
		);
	}
	const fileIds = body.file_ids === undefined ? [] : body.file_ids;
	if (!Array.isArray(fileIds) || JSON.stringify(fileIds).length > POST_FILE_IDS_MAX_RUNES) {
		throw errors.badRequest(
			'model.post.is_valid.file_ids.app_error',
			'Invalid file ids. Note that uploads are limited to 10 files maximum. Please use additional posts for more files.',
		);
	}
	const rootId = body.root_id || '';
	if (rootId) {
		const root = ctx.state.posts.get(rootId);
		if (!root || root.delete_at !== 0 || root.channel_id !== channel.id || root.root_id) {
			throw errors.badRequest('api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
		}
	}
	const priority = body.metadata && body.metadata.priority;
	if (priority) validatePriority(ctx, priority, rootId);
	return { channel, message, fileIds, rootId, priority };
}

function validatePriority(ctx, priority, rootId) {
	if (rootId) {
		throw errors.badRequest('api.post.post_priority.priority_post_only_allowed_for_root_post.request_error', 'Post priority is only allowed for root posts.');
	}
	if (!PRIORITIES.includes(priority.priority === undefined ? '' : priority.priority)) {
		throw errors.badRequest('api.post.post_priority.invalid_priority.request_error', 'Invalid post priority.');
	}
	if ((priority.requested_ack || priority.persistent_notifications) && !ctx.config.licensed) {
		throw new AppError(501, 'license_error.feature_unavailable', 'Feature unavailable for current license.');
	}
	if (priority.persistent_notifications && priority.priority !== 'urgent') {
		throw errors.badRequest('api.post.post_priority.urgent_persistent_notification_post.request_error', 'Persistent notifications are only allowed for urgent posts.');
	}
}

/**
 * pending_post_id deduplication as in App.deduplicateCreatePost: a global key -> post id cache
 * with a TTL; a repeat while the first request is still saving gets a 500.
 */
function claimPendingPostId(ctx, key) {
	const cache = ctx.state.pendingPostIds;
	const entry = cache.get(key);
	if (entry && entry.expiresAt > Date.now()) {
		if (!entry.postId) {
			throw errors.internal('api.post.deduplicate_create_post.pending', 'Rejected post since another request with the same pending ID is still being processed.');
		}
		const existing = ctx.state.posts.get(entry.postId);
		if (!existing) {
			throw errors.internal('api.post.deduplicate_create_post.failed_to_get', 'Failed to fetch an old post for a repeated client request.');
		}
		return existing;
	}
	cache.set(key, { postId: '', expiresAt: Date.now() + ctx.config.pendingPostTtlMs });
	return null;
}

async function createPost(ctx) {
	const body = ctx.json('post');
	const pendingPostId = typeof body.pending_post_id === 'string' ? body.pending_post_id : '';
	const validated = validateNewPost(ctx, body);
	if (pendingPostId) {
		const existing = claimPendingPostId(ctx, pendingPostId);
		if (existing) return reply.created(postView(existing, ctx.state));
	}
	try {
		if (ctx.config.postSaveDelayMs > 0) await ctx.mm.sleep(ctx.config.postSaveDelayMs);
		const post = ctx.state.createPost({
			channel_id: validated.channel.id,
			user_id: ctx.userId,
			message: validated.message,
			root_id: validated.rootId,
			props: body.props && typeof body.props === 'object' ? body.props : {},
			file_ids: validated.fileIds,
			pending_post_id: pendingPostId,
			metadata: validated.priority ? { priority: validated.priority } : undefined,
			// Only system admins may choose create_at; the server zeroes it for everybody else.
			create_at: body.create_at && ctx.isAdmin() ? body.create_at : undefined,
		});
		if (pendingPostId) {
			ctx.state.pendingPostIds.set(pendingPostId, { postId: post.id, expiresAt: Date.now() + ctx.config.pendingPostTtlMs });
		}
		ctx.mm.outbound.postCreated(post);
		return reply.created(postView(post, ctx.state));
	} catch (error) {
		if (pendingPostId) ctx.state.pendingPostIds.delete(pendingPostId);
		throw error;
	}
}

function createEphemeralPost(ctx) {
	const body = ctx.json('body');
	if (!isValidId(body.user_id)) throw errors.invalidBodyParam('user_id');
	if (!body.post || typeof body.post !== 'object') throw errors.invalidBodyParam('post');
	ctx.requireAdmin('create_post_ephemeral');
	const at = ctx.state.now();
	const post = {
		id: newId(),
		create_at: at,
		update_at: at,
		edit_at: 0,
		delete_at: 0,
		is_pinned: false,
		user_id: ctx.userId,
		channel_id: body.post.channel_id || '',
		root_id: body.post.root_id || '',
		original_id: '',
		message: body.post.message || '',
		type: 'system_ephemeral',
		props: body.post.props || {},
		hashtags: '',
		pending_post_id: '',
		reply_count: 0,
		last_reply_at: 0,
		participants: null,
		metadata: {},
	};
	ctx.state.ephemeralPosts.push({ user_id: body.user_id, post });
	return reply.created({ ...post });
}

// ---- read ----

function readablePost(ctx, postId) {
	const post = ctx.postById(postId);
	ctx.requireReadChannel(ctx.channelById(post.channel_id), 'read_channel_content');
	return post;
}

function getPost(ctx) {
	return reply.ok(postView(readablePost(ctx, ctx.idParam('post_id')), ctx.state));
}

function getThread(ctx) {
	const post = readablePost(ctx, ctx.idParam('post_id'));
	const root = post.root_id ? ctx.postById(post.root_id) : post;
	const thread = [root, ...ctx.state.repliesTo(root.id)].sort(newestFirst);
	return reply.ok(postListView(thread, ctx.state, { hasNext: false }));
}

function fileInfosOfPost(ctx) {
	const post = readablePost(ctx, ctx.idParam('post_id'));
	return reply.ok(ctx.state.filesOfPost(post).map(fileInfoView));
}

/** The id of the nearest live post strictly after (or before) a time, as the cursors need. */
function neighbourId(newestFirstPosts, time, direction) {
	const live = newestFirstPosts.filter((p) => p.delete_at === 0);
	const candidates = live.filter((p) => (direction === 'after' ? p.create_at > time : p.create_at < time));
	if (!candidates.length) return '';
	return direction === 'after' ? candidates[candidates.length - 1].id : candidates[0].id;
}

/** One page of a channel's posts, newest first, for the plain, `before` and `after` variants. */
function channelPostsPage(state, channel, all, query, paging) {
	const anchorId = query.after || query.before;
	let candidates = all;
	if (anchorId) {
		const anchor = state.posts.get(anchorId);
		if (!anchor || anchor.channel_id !== channel.id) return { ordered: [], hasNext: false };
		// `after` pages walk forward in time from the anchor, `before` pages backward.
		candidates = query.after
			? all.filter((p) => p.create_at > anchor.create_at).reverse()
			: all.filter((p) => p.create_at < anchor.create_at);
	}
	const { items, hasNext } = pageOf(candidates, paging);
	return { ordered: query.after ? [...items].reverse() : items, hasNext };
}

/** next_post_id / prev_post_id exactly as App.AddCursorIdsForPostList sets them. */
function cursorIds(all, ordered, query, { page, perPage }) {
	const next = () => (ordered.length ? neighbourId(all, ordered[0].create_at, 'after') : '');
	const prev = () => (ordered.length ? neighbourId(all, ordered[ordered.length - 1].create_at, 'before') : '');
	const short = ordered.length < perPage;
	if (query.after) return { prevPostId: page === 0 ? query.after : prev(), nextPostId: short ? '' : next() };
	if (query.before) return { nextPostId: page === 0 ? query.before : next(), prevPostId: short ? '' : prev() };
	return { nextPostId: next(), prevPostId: prev() };
}

/** Thread roots of replies on the page travel along in `posts`, outside `order`. */
function threadRootsOutside(state, ordered) {
	const inOrder = new Set(ordered.map((p) => p.id));
	const rootIds = new Set(ordered.filter((p) => p.root_id && !inOrder.has(p.root_id)).map((p) => p.root_id));
	return [...rootIds].map((id) => state.posts.get(id)).filter((p) => p && p.delete_at === 0);
}

/** GET /channels/{id}/posts: since > after > before > plain page. */
function getPostsForChannel(ctx) {
	const { state, query } = ctx;
	const channel = ctx.channelById(ctx.idParam('channel_id'));
	for (const cursor of ['after', 'before']) {
		if (query[cursor] && !isValidId(query[cursor])) throw errors.invalidUrlParam(cursor);
	}
	const since = query.since === undefined || query.since === '' ? 0 : parseGoInt(query.since);
	if (Number.isNaN(since)) throw errors.invalidUrlParam('since');
	const includeDeleted = ctx.flag('include_deleted');
	if (includeDeleted && !ctx.isAdmin()) throw ctx.deny('read_deleted_posts');
	ctx.requireReadChannel(channel, 'read_channel_content');

	if (since > 0) {
		// Everything changed since then (edits and deletions too), at most 1000, no paging. The SQL
		// leaves which 1000 to the database (LIMIT without ORDER BY): here the earliest changes, as a
		// scan of the (ChannelId, UpdateAt) index finds them.
		const changed = state
			.postsIn(channel.id, { includeDeleted: true })
			.filter((p) => p.update_at > since)
			.sort((a, b) => a.update_at - b.update_at)
			.slice(0, POSTS_SINCE_LIMIT)
			.sort(newestFirst);
		return reply.ok(postListView(changed, state));
	}

	const all = state.postsIn(channel.id, { includeDeleted }).sort(newestFirst);
	const paging = readPaging(query);
	const { ordered, hasNext } = channelPostsPage(state, channel, all, query, paging);
	return reply.ok(
		postListView(ordered, state, {
			...cursorIds(all, ordered, query, paging),
			hasNext,
			extraPosts: threadRootsOutside(state, ordered),
		}),
	);
}

// ---- saved (flagged) posts ----

/**
 * GET /users/{user_id}/posts/flagged as api4 getFlaggedPostsForUser and the store's
 * getFlaggedPosts: the user's flagged_post preferences, live posts in channels the user is a
 * member of, narrowed to a channel (channel_id) or a team and its direct/group messages
 * (team_id), newest first, page * per_page offset; then only posts whose channel the session
 * may read. One PostList (the spec says an array of them; the server sends one).
 */
function getFlaggedPosts(ctx) {
	const { state, query } = ctx;
	const userId = ctx.idParam('user_id');
	ctx.requireSelfOrAdmin(userId);
	const channelId = typeof query.channel_id === 'string' ? query.channel_id : '';
	const teamId = typeof query.team_id === 'string' ? query.team_id : '';
	const flagged = flaggedPostIds(state, userId)
		.map((id) => state.posts.get(id))
		.filter((p) => p && p.delete_at === 0)
		.filter((p) => !channelId || p.channel_id === channelId)
		.filter((p) => state.channelMember(p.channel_id, userId))
		.filter((p) => {
			if (!teamId) return true;
			const channel = state.channels.get(p.channel_id);
			return Boolean(channel) && (channel.team_id === teamId || channel.team_id === '');
		})
		.sort(newestFirst);
	const { items } = pageOf(flagged, readPaging(query));
	const readable = items.filter((p) => {
		const channel = state.channels.get(p.channel_id);
		return channel && ctx.canReadChannel(channel);
	});
	return reply.ok(postListView(readable, state));
}

// ---- search ----

/** Splits search terms into words, "phrases", -exclusions, from:user and in:channel. */
function parseSearchTerms(terms) {
	const parsed = { include: [], exclude: [], from: [], in: [] };
	const pattern = /(-?)(?:"([^"]*)"|(\S+))/g;
	let match;
	while ((match = pattern.exec(terms))) {
		const [, minus, phrase, word] = match;
		if (phrase !== undefined) {
			(minus ? parsed.exclude : parsed.include).push({ text: phrase.toLowerCase(), phrase: true });
			continue;
		}
		const lower = word.toLowerCase();
		if (lower.startsWith('from:')) parsed.from.push(lower.slice(5).replace(/^@/, ''));
		else if (lower.startsWith('in:')) parsed.in.push(lower.slice(3).replace(/^~/, ''));
		else {
			const prefix = lower.endsWith('*');
			const text = prefix ? lower.slice(0, -1) : lower;
			if (text) (minus ? parsed.exclude : parsed.include).push({ text, prefix });
		}
	}
	return parsed;
}

function termMatches(term, message, words) {
	if (term.phrase) return message.includes(term.text);
	return term.prefix ? words.some((w) => w.startsWith(term.text)) : words.includes(term.text);
}

function searchPosts(ctx) {
	const { state } = ctx;
	const team = ctx.teamById(ctx.idParam('team_id'));
	ctx.requireTeamMember(team);
	const body = ctx.json('search_params');
	if (typeof body.terms !== 'string' || !body.terms.trim()) throw errors.invalidBodyParam('terms');
	const parsed = parseSearchTerms(body.terms);

	const channelIds = new Set(
		[...state.channels.values()]
			.filter((c) => (c.team_id === team.id || c.team_id === '') && state.channelMember(c.id, ctx.userId))
			.filter((c) => c.delete_at === 0 || body.include_deleted_channels === true)
			.filter((c) => !parsed.in.length || parsed.in.includes(c.name))
			.map((c) => c.id),
	);
	const fromIds = new Set(parsed.from.map((name) => (state.userByUsername(name) || {}).id));

	const hits = [...state.posts.values()]
		.filter((p) => p.delete_at === 0 && channelIds.has(p.channel_id))
		.filter((p) => !parsed.from.length || fromIds.has(p.user_id))
		.filter((p) => {
			const message = p.message.toLowerCase();
			const words = message.split(/[^\p{L}\p{N}_#@.-]+/u).map((w) => w.replace(/^[.-]+|[.-]+$/g, ''));
			const check = (term) => termMatches(term, message, words);
			const included = !parsed.include.length || (body.is_or_search === true ? parsed.include.some(check) : parsed.include.every(check));
			return included && !parsed.exclude.some(check);
		})
		.sort(newestFirst);
	const { items, hasNext } = pageOf(hits, readPaging(body));
	const list = postListView(items, state, { hasNext });
	// PostSearchResults adds `matches`, which the database search engine leaves null.
	return reply.ok({ ...list, matches: null });
}

// ---- change ----

/**
 * file_ids of a patch are the post's complete new list (App.processPostFileChanges): new ids are
 * attached where attachable (others silently dropped), ids left out are detached and deleted.
 */
function replaceFiles(ctx, post, fileIds, at) {
	if (JSON.stringify(fileIds).length > POST_FILE_IDS_MAX_RUNES) {
		throw errors.badRequest(
			'model.post.is_valid.file_ids.app_error',
			'Invalid file ids. Note that uploads are limited to 10 files maximum. Please use additional posts for more files.',
		);
	}
	const wanted = [...new Set(fileIds)];
	const old = new Set(post.file_ids);
	const attached = new Set(ctx.state.attachFiles(post, wanted.filter((id) => !old.has(id))));
	const removed = [...old].filter((id) => !wanted.includes(id));
	for (const id of removed) {
		const file = ctx.state.files.get(id);
		if (file) file.delete_at = at;
	}
	post.file_ids = wanted.filter((id) => old.has(id) || attached.has(id));
	// Changed files mark the post as edited, as a changed message does.
	if (attached.size > 0 || removed.length > 0) post.edit_at = at;
}

function patchPost(ctx) {
	const post = ctx.postById(ctx.idParam('post_id'));
	const body = ctx.json('post');
	if (post.user_id !== ctx.userId) ctx.requireAdmin('edit_others_posts');
	else ctx.requireChannelMember(ctx.channelById(post.channel_id), 'edit_post');
	const at = ctx.state.now();
	if (typeof body.message === 'string' && body.message !== post.message) {
		if ([...body.message].length > POST_MESSAGE_MAX_RUNES) {
			throw errors.badRequest('model.post.is_valid.message_length.app_error', `Post Message property length exceeds the maximum ${POST_MESSAGE_MAX_RUNES}.`);
		}
		post.message = body.message;
		post.edit_at = at;
	}
	if (typeof body.is_pinned === 'boolean') post.is_pinned = body.is_pinned;
	if (body.props && typeof body.props === 'object') post.props = body.props;
	if (Array.isArray(body.file_ids)) replaceFiles(ctx, post, body.file_ids, at);
	post.update_at = at;
	return reply.ok(postView(post, ctx.state));
}

function deletePost(ctx) {
	const post = ctx.postById(ctx.idParam('post_id'));
	if (post.user_id !== ctx.userId) ctx.requireAdmin('delete_others_posts');
	else ctx.requireChannelMember(ctx.channelById(post.channel_id), 'delete_post');
	ctx.state.deletePost(post);
	return reply.statusOk();
}

function setPinned(isPinned) {
	return (ctx) => {
		const post = readablePost(ctx, ctx.idParam('post_id'));
		post.is_pinned = isPinned;
		post.update_at = ctx.state.now();
		return reply.statusOk();
	};
}

module.exports = [
	['POST', '/api/v4/posts', createPost],
	['POST', '/api/v4/posts/ephemeral', createEphemeralPost],
	['GET', '/api/v4/posts/:post_id', getPost],
	['DELETE', '/api/v4/posts/:post_id', deletePost],
	['PUT', '/api/v4/posts/:post_id/patch', patchPost],
	['GET', '/api/v4/posts/:post_id/thread', getThread],
	['GET', '/api/v4/posts/:post_id/files/info', fileInfosOfPost],
	['POST', '/api/v4/posts/:post_id/pin', setPinned(true)],
	['POST', '/api/v4/posts/:post_id/unpin', setPinned(false)],
	['GET', '/api/v4/channels/:channel_id/posts', getPostsForChannel],
	['POST', '/api/v4/teams/:team_id/posts/search', searchPosts],
	['GET', '/api/v4/users/:user_id/posts/flagged', getFlaggedPosts],
];
