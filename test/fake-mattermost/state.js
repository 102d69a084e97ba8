'use strict';
const crypto = require('crypto');
const { newId } = require('./ids');
const { detectMimeType, imageDimensions } = require('./mime');

const DEFAULT_NOTIFY_PROPS = {
	email: 'true',
	push: 'mention',
	desktop: 'mention',
	desktop_sound: 'true',
	mention_keys: '',
	channel: 'true',
	first_name: 'false',
	comments: 'never',
	push_status: 'online',
	auto_responder_active: 'false',
	auto_responder_message: '',
};

function hasRole(roles, role) {
	return String(roles || '').split(' ').includes(role);
}

function channelMemberKey(channelId, userId) {
	return `${channelId}:${userId}`;
}

function teamMemberKey(teamId, userId) {
	return `${teamId}:${userId}`;
}

function reactionKey(postId, userId, emojiName) {
	return `${postId}:${userId}:${emojiName}`;
}

/** Name Mattermost gives a group message channel: sha1 over the sorted member ids. */
function groupChannelName(userIds) {
	const hash = crypto.createHash('sha1');
	for (const id of [...userIds].sort()) hash.update(id);
	return hash.digest('hex');
}

function directChannelName(userA, userB) {
	return [userA, userB].sort().join('__');
}

/**
 * Everything the fake server knows. Records are stored in the shape Mattermost returns them
 * (sanitising happens in serialize.js); files additionally carry their `content` Buffer.
 */
class FakeState {
	constructor() {
		this.users = new Map();
		this.tokens = new Map();
		this.teams = new Map();
		this.teamMembers = new Map();
		this.channels = new Map();
		this.channelMembers = new Map();
		this.posts = new Map();
		this.reactions = new Map();
		this.files = new Map();
		this.statuses = new Map();
		this.customStatuses = new Map();
		this.hooks = new Map();
		this.commands = new Map();
		this.commandWebhooks = new Map();
		this.pendingPostIds = new Map();
		this.ephemeralPosts = [];
		this.emailInvitations = [];
		// OAuth 2.0 provider (routes/oauth.js): apps by client id, auth codes by code, access data
		// by access token, "user authorized app" preferences as `${userId}:${clientId}`, and a log.
		this.oauthApps = new Map();
		this.oauthCodes = new Map();
		this.oauthAccessData = new Map();
		this.oauthAuthorized = new Set();
		this.oauthEvents = [];
		this.lastTimestamp = 0;
	}

	/** Milliseconds, strictly increasing, so create order and time order never disagree. */
	now() {
		this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
		return this.lastTimestamp;
	}

	// ---- users and tokens ----

	createUser({
		username,
		email,
		first_name = '',
		last_name = '',
		nickname = '',
		position = '',
		roles = 'system_user',
		is_bot = false,
		delete_at = 0,
		locale = 'en',
		bot_description,
		props = {},
	} = {}) {
		if (!username) throw new Error('createUser: username is required');
		if (this.userByUsername(username)) throw new Error(`createUser: username ${username} exists`);
		const at = this.now();
		const user = {
			id: newId(),
			create_at: at,
			update_at: at,
			delete_at,
			username: username.toLowerCase(),
			auth_data: '',
			auth_service: '',
			email: (email || `${username}@example.com`).toLowerCase(),
			email_verified: true,
			nickname,
			first_name,
			last_name,
			position,
			roles,
			props: { ...props },
			notify_props: { ...DEFAULT_NOTIFY_PROPS, mention_keys: `${username},@${username}` },
			last_password_update: at,
			last_picture_update: 0,
			locale,
			timezone: { useAutomaticTimezone: 'true', automaticTimezone: '', manualTimezone: '' },
			disable_welcome_email: false,
		};
		if (is_bot) {
			user.is_bot = true;
			user.bot_description = bot_description || '';
		}
		this.users.set(user.id, user);
		return user;
	}

	userByUsername(username) {
		const wanted = String(username).toLowerCase();
		for (const user of this.users.values()) if (user.username === wanted) return user;
		return undefined;
	}

	userByEmail(email) {
		const wanted = String(email).toLowerCase();
		for (const user of this.users.values()) if (user.email === wanted) return user;
		return undefined;
	}

	createToken(userId) {
		if (!this.users.has(userId)) throw new Error(`createToken: unknown user ${userId}`);
		const token = newId();
		this.tokens.set(token, { id: newId(), token, user_id: userId, create_at: this.now() });
		return token;
	}

	revokeToken(token) {
		return this.tokens.delete(token);
	}

	/** The session a token opens, or undefined when unknown or expired (OAuth sessions expire). */
	activeSession(token) {
		const session = this.tokens.get(token);
		if (!session) return undefined;
		if (session.expires_at && session.expires_at <= Date.now()) return undefined;
		return session;
	}

	// ---- OAuth 2.0 apps (Mattermost as provider) ----

	createOAuthApp({
		name,
		callback_urls = [],
		is_trusted = false,
		is_public = false,
		creator_id = '',
		description = '',
		homepage = 'https://n8n.example.com',
		icon_url = '',
	} = {}) {
		if (!name) throw new Error('createOAuthApp: name is required');
		const urls = [].concat(callback_urls);
		if (urls.length === 0) throw new Error('createOAuthApp: callback_urls is required');
		const at = this.now();
		const app = {
			id: newId(),
			creator_id,
			create_at: at,
			update_at: at,
			// Public clients have no secret; confidential ones get one like CreateOAuthApp does.
			client_secret: is_public ? '' : newId(),
			name,
			description,
			icon_url,
			callback_urls: urls,
			homepage,
			is_trusted: Boolean(is_trusted),
			is_public: Boolean(is_public),
			mattermost_app_id: '',
		};
		this.oauthApps.set(app.id, app);
		return app;
	}

	/** A new OAuth session token for a user and app (a real session: Bearer on the API). */
	createOAuthSession(userId, clientId, lifetimeSeconds) {
		const token = newId();
		const at = this.now();
		this.tokens.set(token, {
			id: newId(),
			token,
			user_id: userId,
			create_at: at,
			oauth: true,
			client_id: clientId,
			expires_at: at + lifetimeSeconds * 1000,
		});
		return this.tokens.get(token);
	}

	/** Ends every current OAuth access token: the API answers 401 until the client refreshes. */
	expireOAuthAccessTokens() {
		const past = Date.now() - 1;
		let count = 0;
		for (const session of this.tokens.values()) {
			if (!session.oauth || session.expires_at <= past) continue;
			session.expires_at = past;
			count += 1;
		}
		for (const data of this.oauthAccessData.values()) data.expires_at = Math.min(data.expires_at, past);
		return count;
	}

	// ---- teams ----

	createTeam({ name, display_name, type = 'O', description = '', email = '' } = {}) {
		if (!name) throw new Error('createTeam: name is required');
		const at = this.now();
		const team = {
			id: newId(),
			create_at: at,
			update_at: at,
			delete_at: 0,
			display_name: display_name || name,
			name,
			description,
			email,
			type,
			company_name: '',
			allowed_domains: '',
			invite_id: newId(),
			allow_open_invite: type === 'O',
			last_team_icon_update: 0,
			scheme_id: '',
			group_constrained: false,
			policy_id: null,
			cloud_limits_archived: false,
		};
		this.teams.set(team.id, team);
		return team;
	}

	teamByName(name) {
		for (const team of this.teams.values()) if (team.name === name) return team;
		return undefined;
	}

	addTeamMember(teamId, userId, roles = 'team_user') {
		if (!this.teams.has(teamId)) throw new Error(`addTeamMember: unknown team ${teamId}`);
		if (!this.users.has(userId)) throw new Error(`addTeamMember: unknown user ${userId}`);
		const member = {
			team_id: teamId,
			user_id: userId,
			roles,
			delete_at: 0,
			scheme_guest: false,
			scheme_user: true,
			scheme_admin: hasRole(roles, 'team_admin'),
			msg_count: 0,
			mention_count: 0,
			msg_count_root: 0,
			mention_count_root: 0,
		};
		this.teamMembers.set(teamMemberKey(teamId, userId), member);
		return member;
	}

	teamMember(teamId, userId) {
		const member = this.teamMembers.get(teamMemberKey(teamId, userId));
		return member && member.delete_at === 0 ? member : undefined;
	}

	removeTeamMember(teamId, userId) {
		const member = this.teamMember(teamId, userId);
		if (!member) return false;
		member.delete_at = this.now();
		for (const channel of this.channels.values()) {
			if (channel.team_id === teamId) this.channelMembers.delete(channelMemberKey(channel.id, userId));
		}
		return true;
	}

	membersOfTeam(teamId) {
		return [...this.teamMembers.values()].filter((m) => m.team_id === teamId && m.delete_at === 0);
	}

	// ---- channels ----

	createChannel({
		team_id = '',
		name,
		display_name,
		type = 'O',
		purpose = '',
		header = '',
		creator_id = '',
	} = {}) {
		if (!name) throw new Error('createChannel: name is required');
		if ((type === 'O' || type === 'P') && !this.teams.has(team_id)) {
			throw new Error(`createChannel: unknown team ${team_id}`);
		}
		const at = this.now();
		const channel = {
			id: newId(),
			create_at: at,
			update_at: at,
			delete_at: 0,
			team_id,
			type,
			display_name: display_name === undefined ? name : display_name,
			name,
			header,
			purpose,
			last_post_at: at,
			total_msg_count: 0,
			extra_update_at: 0,
			creator_id,
			scheme_id: null,
			props: null,
			group_constrained: null,
			shared: null,
			total_msg_count_root: 0,
			policy_id: null,
			last_root_post_at: at,
		};
		this.channels.set(channel.id, channel);
		return channel;
	}

	channelByName(teamId, name) {
		for (const channel of this.channels.values()) {
			if (channel.team_id === teamId && channel.name === name) return channel;
		}
		return undefined;
	}

	addChannelMember(channelId, userId, roles = 'channel_user') {
		if (!this.channels.has(channelId)) throw new Error(`addChannelMember: unknown channel ${channelId}`);
		if (!this.users.has(userId)) throw new Error(`addChannelMember: unknown user ${userId}`);
		const existing = this.channelMember(channelId, userId);
		if (existing) return existing;
		const at = this.now();
		const member = {
			channel_id: channelId,
			user_id: userId,
			roles,
			last_viewed_at: 0,
			msg_count: 0,
			mention_count: 0,
			mention_count_root: 0,
			urgent_mention_count: 0,
			msg_count_root: 0,
			notify_props: {
				desktop: 'default',
				email: 'default',
				ignore_channel_mentions: 'default',
				mark_unread: 'all',
				push: 'default',
			},
			last_update_at: at,
			scheme_guest: false,
			scheme_user: true,
			scheme_admin: hasRole(roles, 'channel_admin'),
		};
		this.channelMembers.set(channelMemberKey(channelId, userId), member);
		return member;
	}

	channelMember(channelId, userId) {
		return this.channelMembers.get(channelMemberKey(channelId, userId));
	}

	removeChannelMember(channelId, userId) {
		return this.channelMembers.delete(channelMemberKey(channelId, userId));
	}

	membersOfChannel(channelId) {
		return [...this.channelMembers.values()].filter((m) => m.channel_id === channelId);
	}

	/** The existing direct channel between two users, or a new one. */
	directChannel(userA, userB) {
		const name = directChannelName(userA, userB);
		const existing = this.channelByName('', name);
		if (existing) return { channel: existing, created: false };
		const channel = this.createChannel({ name, display_name: '', type: 'D', creator_id: userA });
		for (const userId of new Set([userA, userB])) this.addChannelMember(channel.id, userId);
		return { channel, created: true };
	}

	groupChannel(userIds, creatorId) {
		const name = groupChannelName(userIds);
		const existing = this.channelByName('', name);
		if (existing) return { channel: existing, created: false };
		const displayName = userIds
			.map((id) => this.users.get(id).username)
			.sort()
			.join(', ');
		const channel = this.createChannel({ name, display_name: displayName, type: 'G', creator_id: creatorId });
		for (const userId of userIds) this.addChannelMember(channel.id, userId);
		return { channel, created: true };
	}

	// ---- posts, reactions, files ----

	createPost({
		channel_id,
		user_id,
		message = '',
		root_id = '',
		props = {},
		file_ids = [],
		create_at,
		type = '',
		pending_post_id = '',
		metadata,
	} = {}) {
		const channel = this.channels.get(channel_id);
		if (!channel) throw new Error(`createPost: unknown channel ${channel_id}`);
		const at = create_at === undefined ? this.now() : create_at;
		const post = {
			id: newId(),
			create_at: at,
			update_at: at,
			edit_at: 0,
			delete_at: 0,
			is_pinned: false,
			user_id,
			channel_id,
			root_id,
			original_id: '',
			message,
			type,
			props: { ...props },
			hashtags: parseHashtags(message),
			file_ids: [],
			pending_post_id,
			reply_count: 0,
			last_reply_at: 0,
			participants: null,
			metadata: metadata && metadata.priority ? { priority: { ...metadata.priority } } : {},
		};
		this.posts.set(post.id, post);
		post.file_ids = this.attachFiles(post, file_ids);
		channel.last_post_at = Math.max(channel.last_post_at, at);
		channel.total_msg_count += 1;
		if (!root_id) {
			channel.last_root_post_at = Math.max(channel.last_root_post_at, at);
			channel.total_msg_count_root += 1;
		}
		return post;
	}

	/**
	 * Like the real server: only files that are not attached yet and were uploaded by the poster
	 * are attached; other ids are silently dropped, duplicates removed.
	 */
	attachFiles(post, fileIds) {
		const attached = [];
		for (const fileId of new Set(fileIds)) {
			const file = this.files.get(fileId);
			if (!file || file.delete_at || file.post_id || file.user_id !== post.user_id) continue;
			file.post_id = post.id;
			file.channel_id = post.channel_id;
			file.update_at = this.now();
			attached.push(fileId);
		}
		return attached;
	}

	/** Posts in a channel in create order, without deleted ones. */
	postsIn(channelId, { includeDeleted = false } = {}) {
		return [...this.posts.values()]
			.filter((p) => p.channel_id === channelId && (includeDeleted || p.delete_at === 0))
			.sort((a, b) => a.create_at - b.create_at);
	}

	repliesTo(rootId) {
		return [...this.posts.values()]
			.filter((p) => p.root_id === rootId && p.delete_at === 0)
			.sort((a, b) => a.create_at - b.create_at);
	}

	deletePost(post) {
		const at = this.now();
		for (const doomed of [post, ...(post.root_id ? [] : this.repliesTo(post.id))]) {
			doomed.delete_at = at;
			doomed.update_at = at;
			for (const fileId of doomed.file_ids) {
				const file = this.files.get(fileId);
				if (file) file.delete_at = at;
			}
		}
	}

	reactionsFor(postId, { includeDeleted = false } = {}) {
		return [...this.reactions.values()].filter(
			(r) => r.post_id === postId && (includeDeleted || r.delete_at === 0),
		);
	}

	createFile({ user_id, channel_id, name, mime_type, content = Buffer.alloc(0), post_id = '' } = {}) {
		if (!name) throw new Error('createFile: name is required');
		const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
		const at = this.now();
		const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
		const file = {
			id: newId(),
			user_id,
			post_id,
			channel_id,
			create_at: at,
			update_at: at,
			delete_at: 0,
			name,
			extension,
			size: data.length,
			mime_type: mime_type || detectMimeType(extension),
			mini_preview: null,
			remote_id: '',
			archived: false,
			content: data,
		};
		const dimensions = imageDimensions(data, file.mime_type);
		if (dimensions) {
			file.width = dimensions.width;
			file.height = dimensions.height;
			file.has_preview_image = true;
		}
		this.files.set(file.id, file);
		return file;
	}

	filesOfPost(post) {
		return post.file_ids.map((id) => this.files.get(id)).filter((f) => f && f.delete_at === 0);
	}

	// ---- statuses ----

	statusOf(userId) {
		return (
			this.statuses.get(userId) || {
				user_id: userId,
				status: 'offline',
				manual: false,
				last_activity_at: 0,
				dnd_end_time: 0,
			}
		);
	}
}

function parseHashtags(message) {
	const tags = String(message).match(/(?:^|\s)#[A-Za-z][\w.-]*[A-Za-z0-9]/g) || [];
	return tags.map((t) => t.trim()).join(' ');
}

module.exports = { FakeState, hasRole, reactionKey, groupChannelName, directChannelName };
