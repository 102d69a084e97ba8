'use strict';
const crypto = require('crypto');
const http = require('http');
const https = require('https');
const { AppError, errors } = require('./app-error');
const { receiveBody, parseJson, NOT_JSON, BodyAbortedError } = require('./body');
const { RequestContext } = require('./context');
const { acquireContractChecker, releaseContractChecker, isChecked, warnContractChecksOff } = require('./contract');
const { FaultList } = require('./faults');
const { OutboundCalls } = require('./outbound');
const { newId } = require('./ids');
const { describeForm } = require('./multipart');
const { buildRouter } = require('./routes');
const { seed } = require('./seed');
const { postView, fileInfoView, userView, copy } = require('./serialize');
const { FakeState } = require('./state');
const { createSelfSignedCertificate } = require('./tls');
const { FakeWebSocketHub } = require('./websocket');

const SERVER_VERSION = '11.2.0';

/** Defaults follow the real server's config defaults unless a comment says otherwise. */
function defaultConfig() {
	return {
		maxPayloadSizeBytes: 300000,
		maxFileSizeBytes: 104857600,
		// The real default is false; the fake enables public links so the node's link feature is testable.
		enablePublicLink: true,
		enableUserDeactivation: false,
		enableOutgoingWebhooks: true,
		// false keeps outgoing webhooks stored but never called.
		deliverOutgoingWebhooks: true,
		enableCommands: true,
		enableEmailInvitations: true,
		// Acknowledgement requests and persistent notifications need a Professional licence.
		licensed: true,
		pendingPostTtlMs: 30000,
		// > 0 keeps a create-post "saving" that long, to exercise the dedup "pending" answer.
		postSaveDelayMs: 0,
		// OAuth 2.0 provider (routes/oauth.js). false: /oauth/* answers 501 like the real setting.
		enableOAuthServiceProvider: true,
		// true: GET /oauth/authorize approves at once (as if the user clicked Allow) and redirects
		// with a code; false: untrusted apps show a consent page with an Allow form.
		oauthAutoApprove: false,
		// The user "logged in" in the browser that authorizes: a user id or username.
		oauthUser: 'alice',
		// AuthCodeExpireTime (10 min) and SessionLengthSSOInHours (30 days) defaults.
		oauthCodeTtlMs: 10 * 60 * 1000,
		oauthAccessTokenTtlSeconds: 30 * 24 * 3600,
		publicLinkSalt: crypto.randomBytes(16).toString('hex'),
	};
}

function queryObject(searchParams) {
	const query = {};
	for (const [key, value] of searchParams) {
		if (!(key in query)) query[key] = value;
		else query[key] = [].concat(query[key], value);
	}
	return query;
}

function normaliseSubpath(subpath) {
	const trimmed = String(subpath || '').replace(/\/+$/, '');
	if (!trimmed) return '';
	return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * A stateful fake of the Mattermost REST API v4 on 127.0.0.1, with fault injection, a request
 * log and (when given the OpenAPI description) request contract checks.
 */
class FakeMattermost {
	constructor({
		tls = false,
		subpath = '',
		openapiPath = process.env.MATTERMOST_OPENAPI,
		developerMode = false,
		quiet = false,
	} = {}) {
		this.tls = tls;
		this.subpath = normaliseSubpath(subpath);
		this.openapiPath = openapiPath || '';
		this.developerMode = developerMode;
		this.quiet = quiet;
		this.config = defaultConfig();
		this.state = new FakeState();
		this.requests = [];
		this.contractViolations = [];
		this.down = false;
		this.url = '';
		this.certificatePem = '';
		this.faultList = new FaultList();
		this.router = buildRouter();
		this.outbound = new OutboundCalls(this);
		this.server = null;
		this.contract = null;
		this.sockets = new Set();
		this.timers = new Set();
		this.webSocket = new FakeWebSocketHub(this);
	}

	// ---- lifecycle ----

	async start(port = 0) {
		if (this.server) throw new Error('FakeMattermost: already started');
		if (this.openapiPath) this.contract = await acquireContractChecker(this.openapiPath);
		else warnContractChecksOff(this.quiet);

		const onRequest = (req, res) => {
			this.handle(req, res).catch((error) => this.crash(req, res, error));
		};
		if (this.tls) {
			const { key, cert } = createSelfSignedCertificate();
			this.certificatePem = cert;
			this.server = https.createServer({ key, cert }, onRequest);
		} else {
			this.server = http.createServer(onRequest);
		}
		// Mattermost keeps idle connections for 60 s (ServiceSettings.IdleTimeout). Node's 5 s default
		// lets the server close a kept-alive socket just as a client starts a large upload on it
		// (ECONNRESET under load).
		this.server.keepAliveTimeout = 60_000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.on('clientError', (error, socket) => {
			// Like Mattermost's Go server over plain HTTP: bytes that are no HTTP request (e.g. a TLS
			// handshake) get a 400 answer, which a TLS client reads as "wrong version number".
			if (!this.tls && socket.writable && error.code !== 'ECONNRESET') {
				socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request');
			}
			socket.destroy();
		});
		this.server.on('upgrade', (req, socket, head) => this.webSocket.handleUpgrade(req, socket, head));

		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		const protocol = this.tls ? 'https' : 'http';
		this.url = `${protocol}://127.0.0.1:${this.server.address().port}${this.subpath}`;
		return this.url;
	}

	async stop() {
		if (!this.server) return;
		const server = this.server;
		this.server = null;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.outbound.abortAll();
		this.webSocket.closeAll();
		const closed = new Promise((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
		if (this.contract) {
			this.contract = null;
			releaseContractChecker(this.openapiPath);
		}
	}

	get apiUrl() {
		return `${this.url}/api/v4`;
	}

	// ---- state builders (synchronous; they return what the API would show) ----

	createUser(options) {
		const user = this.state.createUser(options);
		return userView(user, user.id);
	}

	createToken(userId) {
		return this.state.createToken(userId);
	}

	revokeToken(token) {
		return this.state.revokeToken(token);
	}

	createTeam(options) {
		return copy(this.state.createTeam(options));
	}

	addTeamMember(teamId, userId, roles) {
		return copy(this.state.addTeamMember(teamId, userId, roles));
	}

	createChannel(options) {
		return copy(this.state.createChannel(options));
	}

	addChannelMember(channelId, userId, roles) {
		return copy(this.state.addChannelMember(channelId, userId, roles));
	}

	/** Like a post made through the API, this fires matching outgoing webhooks. */
	createPost(options) {
		const post = this.state.createPost(options);
		this.outbound.postCreated(post);
		return postView(post, this.state);
	}

	createFile(options) {
		return fileInfoView(this.state.createFile(options));
	}

	seed() {
		return seed(this);
	}

	/**
	 * An OAuth 2.0 application as System Console > Integrations > OAuth 2.0 Applications makes it:
	 * `{ id (the client id), client_secret ('' for public clients), callback_urls, is_trusted, is_public, ... }`.
	 */
	createOAuthApp(options) {
		return copy(this.state.createOAuthApp(options));
	}

	/** Every current OAuth access token answers 401 from now on; refresh tokens keep working. */
	expireOAuthAccessTokens() {
		return this.state.expireOAuthAccessTokens();
	}

	// ---- inspection ----

	/**
	 * What the OAuth provider did, in order: `{ type: 'authorize', client_id, user_id, redirect_uri,
	 * state, scope, code_challenge, code_challenge_method, approval, code }` and `{ type: 'token',
	 * grant_type, client_id, status, error_id, user_id, access_token, refresh_token }`.
	 */
	get oauthEvents() {
		return this.state.oauthEvents;
	}

	postsIn(channelId) {
		return this.state.postsIn(channelId).map((post) => postView(post, this.state));
	}

	clearRequests() {
		this.requests = [];
	}

	clearContractViolations() {
		this.contractViolations = [];
	}

	/** Calls made to integrations (outgoing webhooks, slash commands), with their outcome. */
	get integrationCalls() {
		return this.outbound.calls;
	}

	/** Waits until no integration call is in flight. */
	integrationsSettled() {
		return this.outbound.settled();
	}

	// ---- WebSocket events (websocket.js) ----

	/** Sends a WebSocket event to the connections the broadcast reaches; returns how many got it. */
	emitEvent(event, data, broadcast) {
		return this.webSocket.emitEvent(event, data, broadcast);
	}

	/**
	 * Cuts every WebSocket without a close frame; `{ forget: true }` also loses the connection ids,
	 * `{ hold: true }` refuses reconnects until `releaseWebSockets()`.
	 */
	dropWebSockets(options) {
		return this.webSocket.dropWebSockets(options);
	}

	releaseWebSockets() {
		this.webSocket.releaseWebSockets();
	}

	/** Open WebSockets stop answering and delivering while their TCP connections stay up. */
	freezeWebSockets() {
		return this.webSocket.freezeWebSockets();
	}

	/** Open, authenticated WebSockets: `{ connectionId, userId, frozen }`. */
	get webSocketConnections() {
		return this.webSocket.connections;
	}

	// ---- fault injection ----

	addFault(fault) {
		return this.faultList.add(fault);
	}

	clearFaults() {
		this.faultList.clear();
	}

	setRandomSeed(value) {
		this.faultList.setSeed(value);
	}

	get faults() {
		return this.faultList.faults;
	}

	// ---- request pipeline ----

	/** The path below the subpath, or null when the request is outside it. */
	localPath(pathname) {
		if (!this.subpath) return pathname;
		if (pathname === this.subpath) return '/';
		return pathname.startsWith(`${this.subpath}/`) ? pathname.slice(this.subpath.length) : null;
	}

	async handle(req, res) {
		const url = new URL(req.url, 'http://fake.invalid');
		const path = this.localPath(url.pathname);
		const isControl = path !== null && path.startsWith('/__fake/');
		if (this.down && !isControl) {
			req.socket.destroy();
			return;
		}
		const requestId = newId();
		const method = req.method;
		const query = queryObject(url.searchParams);
		const contentType = req.headers['content-type'] || '';
		const isFileUpload = method === 'POST' && path === '/api/v4/files';

		let received;
		try {
			received = await receiveBody(req, {
				limit: isFileUpload ? this.config.maxFileSizeBytes : this.config.maxPayloadSizeBytes,
			});
		} catch (error) {
			if (error instanceof BodyAbortedError) return;
			throw error;
		}
		const body = parseJson(received.raw);
		const request = { method, path, query, headers: req.headers, contentType, body, received, requestId };
		if (!isControl) this.record(request, url.pathname, isFileUpload);

		if (path === null) {
			this.send(res, this.errorReply(errors.routeNotFound(url.pathname), requestId), requestId);
			return;
		}
		if (!isControl) await this.checkContract(request);

		const fault = isControl ? null : this.faultList.take(method, path, query);
		if (fault && fault.drop === 'before') {
			req.socket.destroy();
			return;
		}
		if (fault && fault.status !== undefined) {
			if (fault.delayMs) await this.sleep(fault.delayMs);
			this.send(res, this.faultReply(fault, requestId), requestId);
			return;
		}

		const outcome = await this.dispatch(request);
		this.webSocket.afterRequest(request, outcome);
		if (fault && fault.drop === 'after') {
			req.socket.destroy();
			return;
		}
		if (fault && fault.delayMs) await this.sleep(fault.delayMs);
		// A delay fault's headers go on the real answer, e.g. rate-limit counters.
		if (fault) outcome.headers = { ...outcome.headers, ...fault.headers };
		this.send(res, outcome, requestId);
	}

	async dispatch(request) {
		const { method, path, received, requestId } = request;
		try {
			if (received.tooLarge) {
				throw path === '/api/v4/files'
					? new AppError(413, 'api.file.upload_file.too_large_detailed.app_error', 'Unable to upload file. File is too large.')
					: errors.bodyTooLarge();
			}
			const match = this.router.match(method, path);
			if (!match) throw errors.routeNotFound(path);
			const ctx = new RequestContext(this, {
				...request,
				params: match.params,
				raw: received.raw,
				form: received.form,
				formError: received.formError,
			});
			if (match.route.auth) this.authenticate(ctx);
			return await match.route.handler(ctx);
		} catch (error) {
			if (error instanceof AppError) return this.errorReply(error, requestId);
			if (!this.quiet) process.stderr.write(`fake-mattermost: ${method} ${path} failed: ${error.stack}\n`);
			return this.errorReply(errors.internal('api.context.unknown.app_error', 'An unknown error has occurred.', String(error)), requestId);
		}
	}

	authenticate(ctx) {
		const header = ctx.headers.authorization || '';
		const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
		let token = match && match[1];
		if (!token) {
			// ?access_token= is accepted for OAuth sessions only (web/handlers.go).
			const queryToken = ctx.query.access_token;
			const querySession = typeof queryToken === 'string' ? this.state.tokens.get(queryToken) : undefined;
			if (!querySession || !querySession.oauth) throw queryToken ? errors.tokenInQuery() : errors.sessionExpired();
			token = queryToken;
		}
		// OAuth sessions expire (expireOAuthAccessTokens); an expired one answers 401 like an unknown one.
		const session = this.state.activeSession(token);
		const user = session && this.state.users.get(session.user_id);
		if (!user || user.delete_at !== 0) throw errors.sessionExpired();
		ctx.user = user;
		// `me` may stand for the session user wherever a user id is expected.
		if (ctx.params.user_id === 'me') ctx.params.user_id = user.id;
	}

	async checkContract({ method, path, query, contentType, body, received }) {
		if (!this.contract || !isChecked(path)) return;
		const violations = await this.contract.validate({
			method,
			path,
			query,
			contentType,
			// Invalid JSON goes in as text, so a JSON-only operation reports the parse error.
			body: body !== NOT_JSON ? body : received.raw && received.raw.length ? received.raw.toString('utf8') : undefined,
			bodyUnchecked: received.isMultipart || received.tooLarge,
		});
		if (violations.length) this.contractViolations.push({ method, path, errors: violations });
	}

	record({ method, path, query, headers, contentType, body, received }, pathname, isFileUpload) {
		this.requests.push({
			method,
			path: path === null ? pathname : path,
			query,
			headers,
			body: this.recordedBody(body, received, query, contentType, isFileUpload),
			contentType,
			rawSize: received.size,
			time: Date.now(),
		});
	}

	recordedBody(body, received, query, contentType, isFileUpload) {
		if (received.isMultipart) {
			if (received.form) return describeForm(received.form);
			return { fields: {}, files: [], order: [], error: received.formError ? received.formError.message : 'body too large' };
		}
		if (isFileUpload && received.raw) {
			// A simple (non-multipart) upload is recorded in the multipart shape, for uniform assertions.
			return {
				fields: {},
				files: [{
					field: null,
					filename: query.filename,
					contentType,
					size: received.raw.length,
					sha256: crypto.createHash('sha256').update(received.raw).digest('hex'),
				}],
				order: [],
			};
		}
		if (body !== NOT_JSON) return body;
		return received.raw && received.raw.length ? received.raw.toString('utf8') : undefined;
	}

	// ---- responses ----

	errorReply(error, requestId) {
		return { status: error.statusCode, json: error.toBody(requestId, this.developerMode) };
	}

	faultReply(fault, requestId) {
		if (fault.body === undefined && fault.status === 429) {
			// The rate limiter answers with http.Error: plain text, not an AppError.
			return {
				status: 429,
				body: 'limit exceeded\n',
				headers: {
					'Content-Type': 'text/plain; charset=utf-8',
					'X-RateLimit-Limit': '101',
					'X-RateLimit-Remaining': '0',
					'X-RateLimit-Reset': '1',
					'Retry-After': '1',
					...fault.headers,
				},
			};
		}
		if (fault.body === undefined) {
			const error = new AppError(fault.status, 'fake.injected_fault.app_error', `Injected fault with status ${fault.status}.`);
			return { ...this.errorReply(error, requestId), headers: fault.headers };
		}
		if (typeof fault.body === 'string' || Buffer.isBuffer(fault.body)) {
			return { status: fault.status, body: fault.body, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...fault.headers } };
		}
		return { status: fault.status, json: fault.body, headers: fault.headers };
	}

	send(res, outcome, requestId) {
		if (res.destroyed || res.writableEnded) return;
		res.setHeader('X-Request-ID', requestId);
		res.setHeader('X-Version-ID', `${SERVER_VERSION}.0.fake.${this.config.licensed}`);
		res.setHeader('X-Content-Type-Options', 'nosniff');
		res.setHeader('Referrer-Policy', 'no-referrer');
		let payload = outcome.body;
		if ('json' in outcome) {
			res.setHeader('Content-Type', 'application/json');
			payload = JSON.stringify(outcome.json === undefined ? null : outcome.json);
		}
		for (const [name, value] of Object.entries(outcome.headers || {})) res.setHeader(name, value);
		const buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload === undefined ? '' : String(payload));
		res.setHeader('Content-Length', buffer.length);
		res.writeHead(outcome.status);
		res.end(buffer);
	}

	crash(req, res, error) {
		if (!this.quiet) process.stderr.write(`fake-mattermost: ${req.method} ${req.url} crashed: ${error.stack}\n`);
		if (!res.headersSent && !res.destroyed) {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ id: 'api.context.unknown.app_error', message: String(error), detailed_error: '', status_code: 500 }));
		}
	}

	/** A timer that stop() cancels, so delayed replies never keep the process alive. */
	sleep(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}
}

module.exports = { FakeMattermost };
