'use strict';
const crypto = require('crypto');
const { newId } = require('./ids');
const { postView, copy } = require('./serialize');
const { reactionKey } = require('./state');

/**
 * The fake's WebSocket endpoint, `GET {site}/api/v4/websocket`, like the server's web connections
 * (server/channels/api4/websocket.go, app/platform/web_conn.go, web_hub.go):
 *
 * - RFC 6455 written out here (text, binary, continuation, ping/pong, close; no extensions).
 * - Authentication at upgrade (`Authorization: Bearer|Token`) or by the
 *   `authentication_challenge` action; a bad token closes the socket, so does silence for
 *   `mm.config.webSocketAuthTimeoutMs` (5 s, as `authCheckInterval`).
 * - A `hello` (seq 0) carries the connection id; each event then gets the next `seq`.
 * - A connection id outlives its socket: events keep being numbered and queued for it while no
 *   socket is attached, and the last 128 (the dead queue) stay available. Reconnecting with
 *   `?connection_id=&sequence_number=` replays from that number without a new hello; when that is
 *   impossible (more than 128 events since, or an unknown id) the client gets a new connection id
 *   and a new hello (seq from 0 again), and the events it missed are gone.
 * - State changes emit the server's events (posted, post_edited, post_deleted, reactions, channel
 *   and membership changes, status changes), delivered by the broadcast rules: a user, the
 *   members of a channel or team, or everybody.
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const DEAD_QUEUE_SIZE = 128;
const SERVER_VERSION = '11.2.0';
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const OPCODES = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };

function emptyBroadcast() {
	return { omit_users: null, user_id: '', channel_id: '', team_id: '', connection_id: '', omit_connection_id: '' };
}

/** One upgraded TCP socket speaking RFC 6455 (server side: frames out unmasked, in masked). */
class FrameSocket {
	constructor(socket, head, { onText, onClose }) {
		this.socket = socket;
		this.onText = onText;
		this.onClose = onClose;
		this.buffer = Buffer.alloc(0);
		this.fragments = null;
		this.closeSent = false;
		this.closed = false;
		/** A frozen socket stays open but neither reads nor writes: a dead peer behind a live TCP connection. */
		this.frozen = false;
		socket.setNoDelay(true);
		socket.on('data', (chunk) => this.receive(chunk));
		socket.on('close', () => this.finish());
		socket.on('error', () => this.finish());
		if (head && head.length) this.receive(head);
	}

	receive(chunk) {
		if (this.frozen || this.closed) return;
		this.buffer = Buffer.concat([this.buffer, chunk]);
		for (;;) {
			const frame = this.nextFrame();
			if (!frame) return;
			this.handleFrame(frame);
			if (this.closed) return;
		}
	}

	nextFrame() {
		const buffer = this.buffer;
		if (buffer.length < 2) return null;
		const fin = (buffer[0] & 0x80) !== 0;
		const opcode = buffer[0] & 0x0f;
		const masked = (buffer[1] & 0x80) !== 0;
		let length = buffer[1] & 0x7f;
		let offset = 2;
		if (length === 126) {
			if (buffer.length < 4) return null;
			length = buffer.readUInt16BE(2);
			offset = 4;
		} else if (length === 127) {
			if (buffer.length < 10) return null;
			length = Number(buffer.readBigUInt64BE(2));
			offset = 10;
		}
		if (length > MAX_FRAME_BYTES) {
			this.close(1009, 'message too big');
			return null;
		}
		const maskLength = masked ? 4 : 0;
		if (buffer.length < offset + maskLength + length) return null;
		const mask = masked ? buffer.subarray(offset, offset + 4) : null;
		const payload = Buffer.from(buffer.subarray(offset + maskLength, offset + maskLength + length));
		if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
		this.buffer = buffer.subarray(offset + maskLength + length);
		return { fin, opcode, payload, masked };
	}

	handleFrame({ fin, opcode, payload, masked }) {
		if (!masked) {
			// Clients must mask every frame (RFC 6455 5.1).
			this.close(1002, 'unmasked frame');
			return;
		}
		switch (opcode) {
			case OPCODES.text:
			case OPCODES.binary:
				if (fin) this.onText(payload.toString('utf8'));
				else this.fragments = [payload];
				return;
			case OPCODES.continuation:
				if (!this.fragments) return;
				this.fragments.push(payload);
				if (fin) {
					const whole = Buffer.concat(this.fragments);
					this.fragments = null;
					this.onText(whole.toString('utf8'));
				}
				return;
			case OPCODES.ping:
				this.writeFrame(OPCODES.pong, payload);
				return;
			case OPCODES.pong:
				return;
			case OPCODES.close: {
				const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
				if (!this.closeSent) this.writeFrame(OPCODES.close, closePayload(code === 1005 ? 1000 : code, ''));
				this.closeSent = true;
				this.socket.end();
				this.finish();
				return;
			}
			default:
				this.close(1002, 'unknown opcode');
		}
	}

	writeFrame(opcode, payload) {
		if (this.closed || this.frozen || this.socket.destroyed) return;
		const length = payload.length;
		let header;
		if (length < 126) {
			header = Buffer.from([0x80 | opcode, length]);
		} else if (length < 65536) {
			header = Buffer.alloc(4);
			header[0] = 0x80 | opcode;
			header[1] = 126;
			header.writeUInt16BE(length, 2);
		} else {
			header = Buffer.alloc(10);
			header[0] = 0x80 | opcode;
			header[1] = 127;
			header.writeBigUInt64BE(BigInt(length), 2);
		}
		this.socket.write(Buffer.concat([header, payload]));
	}

	sendText(text) {
		this.writeFrame(OPCODES.text, Buffer.from(text, 'utf8'));
	}

	ping(data = '') {
		this.writeFrame(OPCODES.ping, Buffer.from(data));
	}

	/** Close handshake: a close frame, then the TCP connection ends. */
	close(code = 1000, reason = '') {
		if (this.closed) return;
		if (!this.closeSent && !this.frozen) this.writeFrame(OPCODES.close, closePayload(code, reason));
		this.closeSent = true;
		this.socket.end();
		// A peer that never answers the close frame loses the connection anyway.
		this.socket.setTimeout(1000, () => this.socket.destroy());
		this.finish();
	}

	/** Abrupt loss of the connection (no close frame): what a network failure looks like. */
	destroy() {
		this.socket.destroy();
		this.finish();
	}

	finish() {
		if (this.closed) return;
		this.closed = true;
		this.onClose();
	}
}

function closePayload(code, reason) {
	const text = Buffer.from(reason, 'utf8');
	const payload = Buffer.alloc(2 + text.length);
	payload.writeUInt16BE(code, 0);
	text.copy(payload, 2);
	return payload;
}

/** A web connection of the server: survives its socket, numbers events, keeps the dead queue. */
class Session {
	constructor(userId) {
		this.id = newId();
		this.userId = userId;
		this.nextSeq = 0;
		this.deadQueue = [];
		this.socket = null;
	}

	/** Numbers a message, keeps it in the dead queue, sends it when a socket is attached. */
	push(message) {
		const numbered = { ...message, seq: this.nextSeq++ };
		const text = JSON.stringify(numbered);
		this.deadQueue.push({ seq: numbered.seq, text });
		if (this.deadQueue.length > DEAD_QUEUE_SIZE) this.deadQueue.shift();
		if (this.socket) this.socket.sendText(text);
		return numbered.seq;
	}

	/** Whether the events from `sequence` on are all still here (or none happened yet). */
	canReplayFrom(sequence) {
		if (!Number.isInteger(sequence) || sequence < 0 || sequence > this.nextSeq) return false;
		if (sequence === this.nextSeq) return true;
		return this.deadQueue.length > 0 && this.deadQueue[0].seq <= sequence;
	}

	replayFrom(sequence) {
		for (const entry of this.deadQueue) if (entry.seq >= sequence && this.socket) this.socket.sendText(entry.text);
	}
}

class FakeWebSocketHub {
	constructor(mm) {
		this.mm = mm;
		this.sessions = new Map();
		this.sockets = new Set();
		this.timers = new Set();
		/** While set, upgrades are cut before the handshake: the server cannot be reached. */
		this.refusingUpgrades = false;
		/** Every event handed to `emitEvent` (also those nobody received), oldest first. */
		this.events = [];
		/** Every action clients sent: `{ connectionId, userId, action, seq }`. */
		this.actions = [];
		if (mm.config.webSocketAuthTimeoutMs === undefined) mm.config.webSocketAuthTimeoutMs = 5000;
		// Not Mattermost: > 0 makes a resume replay that many events before the requested one too,
		// as a server re-sending could; clients must drop what they already had.
		if (mm.config.webSocketResumeRewind === undefined) mm.config.webSocketResumeRewind = 0;
		this.observeState(mm.state);
	}

	// ---- connections ----

	/** The http server's 'upgrade' event. */
	handleUpgrade(req, socket, head) {
		socket.on('error', () => socket.destroy());
		const mm = this.mm;
		const url = new URL(req.url, 'http://fake.invalid');
		const path = mm.localPath(url.pathname);
		if (mm.down || this.refusingUpgrades) {
			socket.destroy();
			return;
		}
		const query = Object.fromEntries(url.searchParams);
		if (path !== null) {
			mm.requests.push({ method: req.method, path, query, headers: req.headers, body: undefined, contentType: '', rawSize: 0, time: Date.now() });
		}
		if (path !== '/api/v4/websocket' && path !== '/api/v4/websocket/') {
			rejectUpgrade(socket, 404, JSON.stringify({ id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.', status_code: 404 }));
			return;
		}
		const fault = path === null ? null : mm.faultList.take('GET', path);
		if (fault && fault.drop) {
			socket.destroy();
			return;
		}
		if (fault && fault.status !== undefined) {
			rejectUpgrade(socket, fault.status, JSON.stringify(fault.body || { id: 'fake.injected_fault.app_error', message: `Injected fault with status ${fault.status}.`, status_code: fault.status }));
			return;
		}
		const key = req.headers['sec-websocket-key'];
		if (req.method !== 'GET' || !key || String(req.headers.upgrade || '').toLowerCase() !== 'websocket' || req.headers['sec-websocket-version'] !== '13') {
			rejectUpgrade(socket, 400, JSON.stringify({ id: 'api.web_socket.connect.upgrade.app_error', message: 'Failed to upgrade websocket connection.', status_code: 400 }));
			return;
		}
		const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
		socket.write(
			'HTTP/1.1 101 Switching Protocols\r\n' +
				'Upgrade: websocket\r\n' +
				'Connection: Upgrade\r\n' +
				`Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
		);

		const connection = {
			userId: null,
			session: null,
			resume: { connectionId: query.connection_id || '', sequence: query.sequence_number === undefined ? null : Number(query.sequence_number) },
			frame: null,
			authTimer: null,
		};
		connection.frame = new FrameSocket(socket, head, {
			onText: (text) => this.receive(connection, text),
			onClose: () => this.detach(connection),
		});
		this.sockets.add(connection);

		const headerUser = this.userForHeader(req.headers.authorization);
		if (headerUser) {
			this.establish(connection, headerUser);
		} else {
			connection.authTimer = setTimeout(() => {
				this.timers.delete(connection.authTimer);
				if (!connection.userId) connection.frame.close(1008, 'authentication timeout');
			}, mm.config.webSocketAuthTimeoutMs);
			this.timers.add(connection.authTimer);
		}
	}

	userForHeader(header) {
		const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header || '');
		return match ? this.userForToken(match[1]) : null;
	}

	userForToken(token) {
		const session = typeof token === 'string' ? this.mm.state.activeSession(token) : undefined;
		const user = session && this.mm.state.users.get(session.user_id);
		return user && user.delete_at === 0 ? user : null;
	}

	receive(connection, text) {
		let message;
		try {
			message = JSON.parse(text);
		} catch {
			return;
		}
		if (!message || typeof message !== 'object') return;
		const seq = message.seq;
		this.actions.push({ connectionId: connection.session ? connection.session.id : '', userId: connection.userId, action: message.action, seq });
		const reply = (body) => connection.frame.sendText(JSON.stringify({ ...body, seq_reply: seq }));
		if (!connection.userId) {
			if (message.action !== 'authentication_challenge') return;
			const user = this.userForToken(message.data && message.data.token);
			if (!user) {
				// The server closes a connection whose token it refuses.
				connection.frame.close(1008, 'authentication failed');
				return;
			}
			reply({ status: 'OK' });
			this.establish(connection, user);
			return;
		}
		switch (message.action) {
			case 'authentication_challenge':
				reply({ status: 'OK' });
				return;
			case 'ping':
				// The server's clock: never behind the create_at of the posts it already made.
				reply({ status: 'OK', data: { text: 'pong', version: SERVER_VERSION, server_time: Math.max(Date.now(), this.mm.state.lastTimestamp), node_id: '' } });
				return;
			case 'user_typing':
			case 'user_update_active_status':
			case 'posted_notify_ack':
			case 'presence':
				reply({ status: 'OK' });
				return;
			case 'get_statuses':
				reply({ status: 'OK', data: Object.fromEntries([...this.mm.state.statuses.values()].map((s) => [s.user_id, s.status])) });
				return;
			default:
				reply({ status: 'FAIL', error: { id: 'api.web_socket_router.bad_action.app_error', message: 'Unknown WebSocket action.', status_code: 501 } });
		}
	}

	/** Authenticated: resume the requested connection id if possible, else a new one with hello. */
	establish(connection, user) {
		if (connection.authTimer) {
			clearTimeout(connection.authTimer);
			this.timers.delete(connection.authTimer);
			connection.authTimer = null;
		}
		connection.userId = user.id;
		const { connectionId, sequence } = connection.resume;
		const previous = connectionId ? this.sessions.get(connectionId) : undefined;
		if (previous && previous.userId === user.id && sequence !== null && previous.canReplayFrom(sequence)) {
			if (previous.socket && previous.socket !== connection.frame) previous.socket.destroy();
			previous.socket = connection.frame;
			connection.session = previous;
			previous.replayFrom(Math.max(0, sequence - (this.mm.config.webSocketResumeRewind || 0)));
			return;
		}
		const session = new Session(user.id);
		this.sessions.set(session.id, session);
		session.socket = connection.frame;
		connection.session = session;
		session.push({
			event: 'hello',
			data: { connection_id: session.id, server_version: `${SERVER_VERSION}.0.fake.${this.mm.config.licensed}`, server_hostname: 'fake-mattermost' },
			broadcast: { ...emptyBroadcast(), user_id: user.id },
		});
	}

	detach(connection) {
		this.sockets.delete(connection);
		if (connection.authTimer) {
			clearTimeout(connection.authTimer);
			this.timers.delete(connection.authTimer);
		}
		if (connection.session && connection.session.socket === connection.frame) connection.session.socket = null;
	}

	/** Sockets currently open and authenticated: `{ connectionId, userId, frozen }`. */
	get connections() {
		return [...this.sockets]
			.filter((c) => c.session && !c.frame.closed)
			.map((c) => ({ connectionId: c.session.id, userId: c.userId, frozen: c.frame.frozen }));
	}

	/**
	 * Cuts every open socket without a close frame. The connection ids stay resumable unless
	 * `forget` is set (then the server has lost them, as after a restart). With `hold`, reconnects
	 * fail too until `releaseWebSockets()`, while events keep being queued for the connection ids.
	 */
	dropWebSockets({ forget = false, hold = false } = {}) {
		const dropped = this.sockets.size;
		if (hold) this.refusingUpgrades = true;
		for (const connection of [...this.sockets]) connection.frame.destroy();
		if (forget) this.sessions.clear();
		return dropped;
	}

	/** Ends a `hold`: upgrades are accepted again. */
	releaseWebSockets() {
		this.refusingUpgrades = false;
	}

	/** Open sockets stop answering and delivering (the TCP connection stays): a dead peer. */
	freezeWebSockets() {
		for (const connection of this.sockets) connection.frame.frozen = true;
		return this.sockets.size;
	}

	/** A close frame with this code on every open socket (e.g. 1001 going away). */
	closeWebSockets(code = 1001, reason = 'server shutting down') {
		for (const connection of [...this.sockets]) connection.frame.close(code, reason);
	}

	closeAll() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const connection of [...this.sockets]) connection.frame.destroy();
		this.sessions.clear();
	}

	// ---- events ----

	/**
	 * Sends an event to every connection id whose user the broadcast reaches; connection ids
	 * without a socket queue it for a resume. Returns how many connection ids got it.
	 */
	emitEvent(event, data = {}, broadcast = {}) {
		const fullBroadcast = { ...emptyBroadcast(), ...broadcast };
		this.events.push({ event, data, broadcast: fullBroadcast });
		let count = 0;
		for (const session of this.sessions.values()) {
			if (fullBroadcast.connection_id && fullBroadcast.connection_id !== session.id) continue;
			if (fullBroadcast.omit_connection_id && fullBroadcast.omit_connection_id === session.id) continue;
			if (!this.reaches(fullBroadcast, session.userId)) continue;
			session.push({ event, data, broadcast: fullBroadcast });
			count += 1;
		}
		return count;
	}

	reaches(broadcast, userId) {
		const { state } = this.mm;
		if (broadcast.omit_users && broadcast.omit_users[userId]) return false;
		if (broadcast.user_id) return broadcast.user_id === userId;
		if (broadcast.channel_id) return Boolean(state.channelMember(broadcast.channel_id, userId));
		if (broadcast.team_id) return Boolean(state.teamMember(broadcast.team_id, userId));
		return true;
	}

	/** State changes that do not go through a route (builders, integrations) emit too. */
	observeState(state) {
		const createPost = state.createPost.bind(state);
		state.createPost = (options) => {
			const post = createPost(options);
			this.postCreated(post);
			return post;
		};
		const deletePost = state.deletePost.bind(state);
		state.deletePost = (post, ...rest) => {
			const result = deletePost(post, ...rest);
			if (this.sessions.size) {
				this.emitEvent('post_deleted', { post: JSON.stringify(postView(post, state)), delete_by: '' }, { channel_id: post.channel_id });
			}
			return result;
		};
	}

	postCreated(post) {
		if (!this.sessions.size) return;
		const { state } = this.mm;
		const channel = state.channels.get(post.channel_id);
		if (!channel) return;
		const sender = state.users.get(post.user_id);
		const data = {
			channel_display_name: channel.display_name,
			channel_name: channel.name,
			channel_type: channel.type,
			post: JSON.stringify(postView(post, state)),
			sender_name: sender ? `@${sender.username}` : '',
			set_online: true,
			team_id: channel.team_id || '',
		};
		const mentions = this.mentionsOf(post, channel);
		if (mentions.length) data.mentions = JSON.stringify(mentions);
		if (post.file_ids && post.file_ids.length) data.otherFile = 'true';
		this.emitEvent('posted', data, { channel_id: channel.id });
	}

	/** Users notified by a post: the other members of a DM or group, @username of channel members. */
	mentionsOf(post, channel) {
		const { state } = this.mm;
		const members = state.membersOfChannel(channel.id).map((m) => m.user_id).filter((id) => id !== post.user_id);
		if (channel.type === 'D' || channel.type === 'G') return members;
		const named = new Set((String(post.message).match(/@([a-z0-9._-]+)/gi) || []).map((m) => m.slice(1).toLowerCase().replace(/[._-]+$/, '')));
		return members.filter((id) => {
			const user = state.users.get(id);
			return user && named.has(user.username);
		});
	}

	/** Events of changes made through routes, derived from the request and its answer. */
	afterRequest(request, outcome) {
		if (!this.sessions.size || !outcome || outcome.status >= 300 || !request.path) return;
		const { state } = this.mm;
		const { method, path } = request;
		const json = outcome.json;
		const actor = this.userForHeader(request.headers && request.headers.authorization);
		const actorId = actor ? actor.id : '';
		let match;
		if (method === 'PUT' && (match = /^\/api\/v4\/posts\/([a-z0-9]{26})\/patch$/.exec(path)) && json) {
			this.emitEvent('post_edited', { post: JSON.stringify(json) }, { channel_id: json.channel_id });
		} else if (method === 'POST' && path === '/api/v4/reactions' && json) {
			this.emitEvent('reaction_added', { reaction: JSON.stringify(json) }, { channel_id: json.channel_id || channelOfPost(state, json.post_id) });
		} else if (method === 'DELETE' && (match = /^\/api\/v4\/users\/([^/]+)\/posts\/([a-z0-9]{26})\/reactions\/([^/]+)$/.exec(path))) {
			const userId = match[1] === 'me' ? actorId : match[1];
			const reaction = state.reactions.get(reactionKey(match[2], userId, decodeURIComponent(match[3])));
			if (reaction) this.emitEvent('reaction_removed', { reaction: JSON.stringify(copy(reaction)) }, { channel_id: reaction.channel_id || channelOfPost(state, reaction.post_id) });
		} else if (method === 'POST' && path === '/api/v4/channels' && json) {
			const broadcast = json.type === 'O' ? { team_id: json.team_id } : { user_id: actorId };
			this.emitEvent('channel_created', { channel_id: json.id, team_id: json.team_id }, broadcast);
		} else if (method === 'POST' && path === '/api/v4/channels/direct' && json) {
			const teammate = state.membersOfChannel(json.id).map((m) => m.user_id).find((id) => id !== actorId) || actorId;
			this.emitEvent('direct_added', { creator_id: actorId, teammate_id: teammate }, { channel_id: json.id });
		} else if (method === 'POST' && path === '/api/v4/channels/group' && json) {
			const teammates = state.membersOfChannel(json.id).map((m) => m.user_id);
			this.emitEvent('group_added', { teammate_ids: JSON.stringify(teammates) }, { channel_id: json.id });
		} else if (method === 'PUT' && (match = /^\/api\/v4\/channels\/([a-z0-9]{26})\/patch$/.exec(path)) && json) {
			this.emitEvent('channel_updated', { channel: JSON.stringify(json) }, { channel_id: json.id });
		} else if (method === 'DELETE' && (match = /^\/api\/v4\/channels\/([a-z0-9]{26})$/.exec(path))) {
			const channel = state.channels.get(match[1]);
			if (channel) this.emitEvent('channel_deleted', { channel_id: channel.id, delete_at: channel.delete_at }, { team_id: channel.team_id });
		} else if (method === 'POST' && (match = /^\/api\/v4\/channels\/([a-z0-9]{26})\/members$/.exec(path))) {
			const channel = state.channels.get(match[1]);
			const members = Array.isArray(json) ? json : json ? [json] : [];
			for (const member of members) {
				if (channel && member && member.user_id) this.emitEvent('user_added', { user_id: member.user_id, team_id: channel.team_id }, { channel_id: channel.id });
			}
		} else if (method === 'DELETE' && (match = /^\/api\/v4\/channels\/([a-z0-9]{26})\/members\/([a-z0-9]{26})$/.exec(path))) {
			this.emitEvent('user_removed', { channel_id: match[1], remover_id: actorId }, { user_id: match[2] });
			this.emitEvent('user_removed', { user_id: match[2], remover_id: actorId }, { channel_id: match[1] });
		} else if (method === 'PUT' && (match = /^\/api\/v4\/users\/([a-z0-9]{26})\/status$/.exec(path)) && json) {
			this.emitEvent('status_change', { status: json.status, user_id: json.user_id }, {});
		}
	}
}

function channelOfPost(state, postId) {
	const post = state.posts.get(postId);
	return post ? post.channel_id : '';
}

function rejectUpgrade(socket, status, body) {
	const text = Buffer.from(body);
	socket.end(
		`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 400 ? 'Bad Request' : 'Error'}\r\n` +
			'Content-Type: application/json\r\n' +
			`Content-Length: ${text.length}\r\n` +
			'Connection: close\r\n\r\n' +
			text.toString(),
	);
}

module.exports = { FakeWebSocketHub };
