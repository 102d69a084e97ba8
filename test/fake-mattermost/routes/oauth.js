'use strict';
const crypto = require('crypto');
const { AppError } = require('../app-error');
const { reply } = require('../context');
const { newId, isValidId } = require('../ids');

/*
 * Mattermost as an OAuth 2.0 provider (NOTES.md (g); server/channels/web/oauth.go and
 * app/oauth.go). Outside /api/v4, so outside the OpenAPI contract checks (contract.js exempts
 * /oauth/). What is modelled:
 *
 * - GET /oauth/authorize: validates the request like AuthorizeRequest.IsValid (client id,
 *   response type, redirect URI, state, scope, PKCE: S256 only, 43–128 characters), finds the app
 *   (404), needs the browser's user (`config.oauthUser`; none: 302 to /login), an exact
 *   redirect_uri match (400), PKCE for public clients (400). Trusted apps, apps the user already
 *   allowed and `config.oauthAutoApprove` redirect at once to `redirect_uri?code=…&state=…`;
 *   otherwise a small consent page whose Allow / Deny form posts to POST /oauth/authorize.
 *   Only `response_type=code` is issued (anything else: `?error=unsupported_response_type`).
 * - POST /oauth/authorize: the consent decision (form: 302; JSON as the webapp sends: {redirect}).
 * - POST /oauth/access_token: form-encoded only (HTTP Basic is not read, like the server),
 *   grants authorization_code and refresh_token; codes are single-use and expire after
 *   `config.oauthCodeTtlMs`; redirect_uri must equal the one authorized; a recorded PKCE
 *   challenge needs the matching S256 verifier; public clients must use PKCE, get no refresh
 *   token and may not refresh. A second code exchange for a user/app pair with a live token
 *   returns that token (handleExistingAccessData); a refresh ends the old session and issues a
 *   new access and refresh token. Answers AppError bodies on failure (not RFC 6749 `error`).
 * - GET /.well-known/oauth-authorization-server (RFC 8414 metadata).
 * - Test-only control API: POST /__fake/oauth/apps, POST /__fake/oauth/expire-tokens,
 *   GET /__fake/oauth/events.
 *
 * Error ids and status codes follow app/oauth.go as of 11.x; the PKCE/public-client error ids
 * (added in 11.2) are the fake's own names for the same refusals.
 */

const AUTH_CODE_RESPONSE_TYPE = 'code';
const DEFAULT_SCOPE = 'user';
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

const html = (status, title, body) =>
	reply.raw(
		status,
		`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>\n`,
		{ 'Content-Type': 'text/html; charset=utf-8' },
	);

const redirect = (location) => reply.raw(302, '', { Location: location, 'Content-Type': 'text/html; charset=utf-8' });

function escapeHtml(value) {
	return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function webError(status, type, message) {
	return html(status, 'Mattermost', `<h1>Error</h1><p id="error-type">${escapeHtml(type)}</p><p id="error-message">${escapeHtml(message)}</p>`);
}

function disabled() {
	return new AppError(501, 'api.oauth.authorize_oauth.disabled.app_error', 'The system admin has turned off OAuth2 Service Provider.');
}

/** The request's form values as r.FormValue sees them: body (form-encoded only) over query. */
function formValues(ctx) {
	const values = {};
	for (const [key, value] of Object.entries(ctx.query)) values[key] = Array.isArray(value) ? value[0] : value;
	const mediaType = String(ctx.contentType || '').split(';')[0].trim().toLowerCase();
	if (mediaType === 'application/x-www-form-urlencoded' && ctx.raw && ctx.raw.length) {
		const seen = new Set();
		for (const [key, value] of new URLSearchParams(ctx.raw.toString('utf8'))) {
			if (seen.has(key)) continue;
			seen.add(key);
			values[key] = value;
		}
	}
	return values;
}

function authorizeRequestOf(source) {
	const get = (name) => (typeof source[name] === 'string' ? source[name] : '');
	return {
		response_type: get('response_type'),
		client_id: get('client_id'),
		redirect_uri: get('redirect_uri'),
		scope: get('scope'),
		state: get('state'),
		code_challenge: get('code_challenge'),
		code_challenge_method: get('code_challenge_method'),
		resource: get('resource'),
	};
}

/** AuthorizeRequest.IsValid: the first problem, or null. */
function invalidAuthorizeRequest(request) {
	const problem = (field, message) => new AppError(400, `model.authorize.is_valid.${field}.app_error`, message);
	if (!isValidId(request.client_id)) return problem('client_id', 'Invalid client id.');
	if (request.response_type === '') return problem('response_type', 'Invalid response type.');
	let url;
	try {
		url = new URL(request.redirect_uri);
	} catch {
		url = null;
	}
	if (request.redirect_uri === '' || request.redirect_uri.length > 256 || !url) {
		return problem('redirect_uri', 'Invalid redirect uri.');
	}
	if (request.state.length > 1024) return problem('state', 'Invalid state.');
	if (request.scope.length > 128) return problem('scope', 'Invalid scope.');
	if (request.code_challenge !== '') {
		if (request.code_challenge_method !== 'S256') {
			return problem('code_challenge_method', 'Invalid code_challenge_method: only S256 is supported.');
		}
		if (!PKCE_VALUE.test(request.code_challenge)) return problem('code_challenge', 'Invalid code_challenge.');
	} else if (request.code_challenge_method !== '') {
		return problem('code_challenge', 'code_challenge is required when code_challenge_method is set.');
	}
	return null;
}

/** The user "logged in" in the browser: `config.oauthUser` as id or username. */
function browserUser(ctx) {
	const wanted = ctx.config.oauthUser;
	if (!wanted) return undefined;
	const user = ctx.state.users.get(wanted) || ctx.state.userByUsername(wanted);
	return user && user.delete_at === 0 ? user : undefined;
}

function withQuery(uri, params) {
	const url = new URL(uri);
	for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
	return url.toString();
}

/** AllowOAuthAppAccessToUser: saves a code (or refuses the response type) and remembers the consent. */
function allow(ctx, user, app, request, approval) {
	const scope = request.scope || DEFAULT_SCOPE;
	if (request.response_type !== AUTH_CODE_RESPONSE_TYPE) {
		return `${request.redirect_uri}?error=unsupported_response_type&state=${request.state}`;
	}
	const code = newId() + newId();
	const createAt = Date.now();
	ctx.state.oauthCodes.set(code, {
		code,
		client_id: app.id,
		user_id: user.id,
		create_at: createAt,
		expires_at: createAt + ctx.config.oauthCodeTtlMs,
		redirect_uri: request.redirect_uri,
		state: request.state,
		scope,
		code_challenge: request.code_challenge,
		code_challenge_method: request.code_challenge_method,
	});
	ctx.state.oauthAuthorized.add(`${user.id}:${app.id}`);
	ctx.state.oauthEvents.push({
		type: 'authorize',
		client_id: app.id,
		user_id: user.id,
		redirect_uri: request.redirect_uri,
		state: request.state,
		scope,
		code_challenge: request.code_challenge,
		code_challenge_method: request.code_challenge_method,
		approval,
		code,
	});
	return withQuery(request.redirect_uri, { code, state: request.state });
}

function consentPage(ctx, user, app, request) {
	const action = `${ctx.mm.subpath}/oauth/authorize`;
	const hidden = Object.entries(request)
		.map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
		.join('');
	return html(
		200,
		`Authorize ${app.name}`,
		`<h1 id="app-name">${escapeHtml(app.name)}</h1>` +
			`<p>${escapeHtml(app.name)} (<a href="${escapeHtml(app.homepage)}">${escapeHtml(app.homepage)}</a>) would like the ability to access and modify your basic information, signed in as <b id="user">@${escapeHtml(user.username)}</b>.</p>` +
			`<form method="post" action="${escapeHtml(action)}">${hidden}` +
			'<button type="submit" name="action" value="deny">Deny</button> ' +
			'<button type="submit" name="action" value="allow" id="allow">Allow</button></form>',
	);
}

/** GET /oauth/authorize (authorizeOAuthPage). */
function authorizePage(ctx) {
	if (!ctx.config.enableOAuthServiceProvider) return webError(501, 'oauth_disabled', disabled().message);
	const request = authorizeRequestOf(ctx.query);
	const invalid = invalidAuthorizeRequest(request);
	if (invalid) return webError(invalid.statusCode, 'oauth_invalid_param', invalid.message);
	const app = ctx.state.oauthApps.get(request.client_id);
	if (!app) return webError(404, 'app.oauth.get_app.find.app_error', 'Unable to find the existing OAuth application.');
	const user = browserUser(ctx);
	if (!user) {
		const here = `${ctx.mm.subpath}/oauth/authorize?${new URLSearchParams(ctx.query)}`;
		return redirect(`${ctx.mm.url}/login?redirect_to=${encodeURIComponent(here)}`);
	}
	if (!app.callback_urls.includes(request.redirect_uri)) {
		return webError(400, 'oauth_invalid_redirect_url', 'The redirect URI does not match any of the callback URLs registered for the OAuth application.');
	}
	if (app.is_public && request.response_type === AUTH_CODE_RESPONSE_TYPE && request.code_challenge === '') {
		return webError(400, 'oauth_pkce_required', 'PKCE is required for public clients using authorization code flow');
	}
	const approval = app.is_trusted
		? 'trusted'
		: ctx.state.oauthAuthorized.has(`${user.id}:${app.id}`)
			? 'previously-authorized'
			: ctx.config.oauthAutoApprove
				? 'auto-approve'
				: null;
	if (approval) return redirect(allow(ctx, user, app, request, approval));
	return consentPage(ctx, user, app, request);
}

/** POST /oauth/authorize: the consent page's Allow / Deny (form, 302) or the webapp's JSON ({redirect}). */
function authorizeDecision(ctx) {
	if (!ctx.config.enableOAuthServiceProvider) throw disabled();
	const isJson = ctx.body !== null && typeof ctx.body === 'object' && !Array.isArray(ctx.body);
	const source = isJson ? ctx.body : formValues(ctx);
	const request = authorizeRequestOf(source);
	const invalid = invalidAuthorizeRequest(request);
	if (invalid) throw invalid;
	const user = browserUser(ctx);
	if (!user) throw new AppError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
	const app = ctx.state.oauthApps.get(request.client_id);
	if (!app) throw new AppError(404, 'app.oauth.get_app.find.app_error', 'Unable to find the existing OAuth application.');
	if (!app.callback_urls.includes(request.redirect_uri)) {
		throw new AppError(400, 'api.oauth.allow_oauth.redirect_callback.app_error', 'invalid_request: Supplied redirect_uri did not match registered callback_url.');
	}
	if (app.is_public && request.response_type === AUTH_CODE_RESPONSE_TYPE && request.code_challenge === '') {
		throw new AppError(400, 'api.oauth.allow_oauth.pkce_required_public.app_error', 'PKCE is required for public clients using authorization code flow');
	}
	let location;
	if (source.action === 'deny') {
		location = withQuery(request.redirect_uri, { error: 'access_denied', state: request.state });
		ctx.state.oauthEvents.push({ type: 'authorize', client_id: app.id, user_id: user.id, redirect_uri: request.redirect_uri, state: request.state, approval: 'denied' });
	} else {
		location = allow(ctx, user, app, request, 'consent');
	}
	return isJson ? reply.ok({ redirect: location }) : redirect(location);
}

// ---------------------------------------------------------------- token endpoint

const tokenError = (status, id, message) => new AppError(status, `api.oauth.get_access_token.${id}.app_error`, message);

function s256(verifier) {
	return crypto.createHash('sha256').update(verifier).digest('base64url');
}

function safeEqual(a, b) {
	const left = Buffer.from(String(a));
	const right = Buffer.from(String(b));
	return left.length === right.length && crypto.timingSafeEqual(left, right);
}

function previousAccessData(state, userId, clientId) {
	for (const data of state.oauthAccessData.values()) {
		if (data.user_id === userId && data.client_id === clientId) return data;
	}
	return undefined;
}

/** A new session states the configured lifetime; a reused one what is left of it. */
function accessResponse(ctx, app, data, reused) {
	const response = {
		access_token: data.token,
		token_type: 'bearer',
		expires_in: reused ? Math.max(0, Math.floor((data.expires_at - Date.now()) / 1000)) : ctx.config.oauthAccessTokenTtlSeconds,
		scope: data.scope,
	};
	if (!app.is_public) response.refresh_token = data.refresh_token;
	return response;
}

/** newSession + SaveAccessData, or newSessionUpdateToken when `existing` is given. */
function issueSession(ctx, app, userId, { existing, redirectUri, scope }) {
	if (existing) {
		ctx.state.tokens.delete(existing.token);
		ctx.state.oauthAccessData.delete(existing.token);
	}
	const session = ctx.state.createOAuthSession(userId, app.id, ctx.config.oauthAccessTokenTtlSeconds);
	const data = {
		client_id: app.id,
		user_id: userId,
		token: session.token,
		refresh_token: app.is_public ? '' : newId(),
		redirect_uri: existing ? existing.redirect_uri : redirectUri,
		expires_at: session.expires_at,
		scope: existing ? existing.scope : scope,
	};
	ctx.state.oauthAccessData.set(data.token, data);
	return data;
}

function exchangeCode(ctx, app, values) {
	const authData = ctx.state.oauthCodes.get(values.code);
	if (!authData || authData.client_id !== app.id) {
		throw tokenError(400, 'expired_code', 'invalid_grant: Invalid or expired authorization code.');
	}
	if (authData.expires_at <= Date.now()) {
		ctx.state.oauthCodes.delete(authData.code);
		throw tokenError(403, 'expired_code', 'invalid_grant: Invalid or expired authorization code.');
	}
	if (authData.redirect_uri !== (values.redirect_uri || '')) {
		throw tokenError(400, 'redirect_uri', 'invalid_request: Supplied redirect_uri does not match authorization code redirect_uri.');
	}
	const verifier = values.code_verifier || '';
	if (authData.code_challenge) {
		if (verifier === '') throw tokenError(400, 'missing_code_verifier', 'invalid_request: code_verifier is required for this authorization code.');
		if (!PKCE_VALUE.test(verifier) || !safeEqual(s256(verifier), authData.code_challenge)) {
			throw tokenError(400, 'pkce_verification_failed', 'invalid_grant: PKCE verification failed.');
		}
	} else if (app.is_public) {
		throw tokenError(400, 'pkce_required_public', 'invalid_request: PKCE is required for public clients.');
	}
	const user = ctx.state.users.get(authData.user_id);
	if (!user) throw tokenError(404, 'internal_user', 'server_error: Encountered internal server error while pulling user from database.');
	if (user.delete_at !== 0) throw tokenError(403, 'expired_code', 'invalid_grant: Invalid or expired authorization code.');

	let data = previousAccessData(ctx.state, user.id, app.id);
	const reused = Boolean(data && data.expires_at > Date.now());
	if (data && !reused) {
		data = issueSession(ctx, app, user.id, { existing: data });
	} else if (!data) {
		data = issueSession(ctx, app, user.id, { redirectUri: values.redirect_uri, scope: authData.scope });
	}
	ctx.state.oauthCodes.delete(authData.code);
	return { data, reused };
}

function refresh(ctx, app, values) {
	if (app.is_public) {
		throw tokenError(400, 'public_client_refresh_token', 'invalid_grant: Public clients cannot use refresh tokens.');
	}
	let data;
	for (const candidate of ctx.state.oauthAccessData.values()) {
		if (candidate.refresh_token && candidate.refresh_token === values.refresh_token) data = candidate;
	}
	if (!data || data.client_id !== app.id) {
		throw tokenError(404, 'refresh_token', 'invalid_grant: Invalid refresh token.');
	}
	const user = ctx.state.users.get(data.user_id);
	if (!user) throw tokenError(404, 'internal_user', 'server_error: Encountered internal server error while pulling user from database.');
	return { data: issueSession(ctx, app, user.id, { existing: data }), reused: false };
}

/** POST /oauth/access_token (getAccessToken + GetOAuthAccessTokenForCodeFlow). */
function accessToken(ctx) {
	const values = formValues(ctx);
	const event = { type: 'token', grant_type: values.grant_type || '', client_id: values.client_id || '' };
	ctx.state.oauthEvents.push(event);
	try {
		const grantType = values.grant_type;
		if (grantType === 'authorization_code') {
			if (!values.code) throw tokenError(400, 'missing_code', 'invalid_request: Missing code.');
		} else if (grantType === 'refresh_token') {
			if (!values.refresh_token) throw tokenError(400, 'missing_refresh_token', 'invalid_request: Missing refresh_token.');
		} else {
			throw tokenError(400, 'bad_grant', 'invalid_request: Bad grant_type.');
		}
		if (!isValidId(values.client_id)) throw tokenError(400, 'bad_client_id', 'invalid_request: Bad client_id.');
		if (!ctx.config.enableOAuthServiceProvider) {
			throw tokenError(501, 'disabled', 'The system admin has turned off OAuth2 Service Provider.');
		}
		const app = ctx.state.oauthApps.get(values.client_id);
		if (!app) throw tokenError(404, 'credentials', 'invalid_client: Invalid client credentials.');
		// client_secret_post only: a secret in an Authorization: Basic header is never read.
		if (!app.is_public && !safeEqual(app.client_secret, values.client_secret || '')) {
			throw tokenError(403, 'credentials', 'invalid_client: Invalid client credentials.');
		}
		const { data, reused } = grantType === 'authorization_code' ? exchangeCode(ctx, app, values) : refresh(ctx, app, values);
		Object.assign(event, {
			status: 200,
			user_id: data.user_id,
			access_token: data.token,
			refresh_token: data.refresh_token,
		});
		return reply.raw(200, JSON.stringify(accessResponse(ctx, app, data, reused)), {
			'Content-Type': 'application/json',
			'Cache-Control': 'no-store',
			Pragma: 'no-cache',
		});
	} catch (error) {
		if (error instanceof AppError) Object.assign(event, { status: error.statusCode, error_id: error.id });
		throw error;
	}
}

/** GET /.well-known/oauth-authorization-server (RFC 8414), as model/oauth_metadata.go builds it. */
function metadata(ctx) {
	const site = ctx.mm.url;
	return reply.ok({
		issuer: site,
		authorization_endpoint: `${site}/oauth/authorize`,
		token_endpoint: `${site}/oauth/access_token`,
		response_types_supported: ['code'],
		grant_types_supported: ['authorization_code', 'refresh_token'],
		token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
		scopes_supported: ['user'],
		code_challenge_methods_supported: ['S256'],
		registration_endpoint: `${site}/api/v4/oauth/apps/register`,
	});
}

// ---------------------------------------------------------------- test-only control API

function controlCreateApp(ctx) {
	const body = ctx.json('app');
	try {
		return reply.created(ctx.mm.createOAuthApp(body));
	} catch (error) {
		if (error.statusCode) throw error;
		throw new AppError(400, 'fake.oauth_app.invalid', error.message);
	}
}

const open = (handler) => [handler, { auth: false }];

module.exports = [
	['GET', '/oauth/authorize', ...open(authorizePage)],
	['POST', '/oauth/authorize', ...open(authorizeDecision)],
	['POST', '/oauth/access_token', ...open(accessToken)],
	['GET', '/.well-known/oauth-authorization-server', ...open(metadata)],
	['POST', '/__fake/oauth/apps', ...open(controlCreateApp)],
	['POST', '/__fake/oauth/expire-tokens', ...open((ctx) => reply.ok({ expired: ctx.mm.expireOAuthAccessTokens() }))],
	['GET', '/__fake/oauth/events', ...open((ctx) => reply.ok(ctx.mm.oauthEvents))],
];
