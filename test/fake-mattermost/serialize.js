'use strict';

/**
 * A user as the API shows it. Your own record passes through Sanitize({}) only; other users get
 * ClearNonProfileFields treatment (no notify props, no password update time, ...).
 */
function userView(user, viewerId) {
	const view = structuredClone(user);
	if (viewerId !== user.id) {
		view.notify_props = {};
		view.email_verified = false;
		view.last_password_update = 0;
		view.auth_data = '';
	}
	return view;
}

function fileInfoView(file) {
	const { content, ...info } = file;
	return { ...info };
}

function threadRootId(post) {
	return post.root_id || post.id;
}

function postView(post, state) {
	const view = structuredClone(post);
	const replies = state.repliesTo(threadRootId(post));
	view.reply_count = replies.length;
	view.last_reply_at = replies.length ? replies[replies.length - 1].create_at : 0;

	const metadata = {};
	if (post.metadata.priority) metadata.priority = { ...post.metadata.priority };
	const files = state.filesOfPost(post).map(fileInfoView);
	if (files.length) metadata.files = files;
	const reactions = state.reactionsFor(post.id).map((r) => ({ ...r }));
	if (reactions.length) {
		metadata.reactions = reactions;
		view.has_reactions = true;
	}
	view.metadata = metadata;
	// Go's omitempty drops an empty file_ids array.
	if (!view.file_ids.length) delete view.file_ids;
	return view;
}

/**
 * A PostList: `order` newest first; `posts` may hold extra thread roots that are not in `order`.
 */
function postListView(orderedPosts, state, { nextPostId = '', prevPostId = '', hasNext, extraPosts = [] } = {}) {
	const list = {
		order: orderedPosts.map((p) => p.id),
		posts: {},
		next_post_id: nextPostId,
		prev_post_id: prevPostId,
	};
	for (const post of [...orderedPosts, ...extraPosts]) list.posts[post.id] = postView(post, state);
	if (hasNext !== undefined) list.has_next = hasNext;
	list.first_inaccessible_post_time = 0;
	return list;
}

function copy(record) {
	return { ...record };
}

module.exports = { userView, fileInfoView, postView, postListView, copy };
