/**
 * The OAuth2 credential and the fake server's OAuth 2.0 provider:
 * 1. the credential's hidden authorization and token URLs, resolved by n8n-workflow's expression
 *    engine (`$self`) the way n8n resolves them before the OAuth flow, agree with the transport's
 *    Base URL rule;
 * 2. the fake's /oauth/authorize and /oauth/access_token driven with plain fetch, as n8n and the
 *    browser drive them (confidential and public PKCE clients, and what Mattermost refuses);
 * 3. the node through real n8n-core contexts with the OAuth2 credential: n8n-core's requestOAuth2
 *    signs the requests, renews an expired token with the refresh token and stores it through
 *    the credentials helper, and a public client that cannot renew tells the user to reconnect.
 */
import crypto from 'node:crypto';

import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { MattermostSuiteOAuth2Api } from '../credentials/MattermostSuiteOAuth2Api.credentials';
import { siteUrlFromBaseUrl } from '../nodes/MattermostSuite/transport/apiRoot';
import {
	TestCredentialsHelper,
	buildAdditionalData,
	credentialIdFor,
	executeNode,
	listSearch,
} from './harness';
import { byId, nodeType, useFakeMattermost } from './support';

const TYPE = 'mattermostSuiteOAuth2Api';
const credentialType = new MattermostSuiteOAuth2Api();
const CALLBACK = 'http://localhost:5678/rest/oauth2-credential/callback';

const fake = useFakeMattermost();

// ------------------------------------------------------------------------------------ helpers

/** The credential data as n8n hands it to node code: defaults applied, expressions resolved. */
async function resolvedCredential(data: ICredentialDataDecryptedObject) {
	const helper = new TestCredentialsHelper({ [TYPE]: data }, [credentialType]);
	return await helper.getDecrypted(
		buildAdditionalData(helper),
		{ id: credentialIdFor(TYPE), name: 'Mattermost OAuth2' },
		TYPE,
		'internal',
	);
}

function pkcePair() {
	const verifier = crypto.randomBytes(48).toString('base64url');
	const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
	return { verifier, challenge };
}

type App = { id: string; client_secret: string };

function authorizeUrl(app: App, extra: Record<string, string> = {}) {
	const query = new URLSearchParams({
		response_type: 'code',
		client_id: app.id,
		redirect_uri: CALLBACK,
		state: 'n8n-state-123',
		scope: '',
		...extra,
	});
	return `${fake.mm.url}/oauth/authorize?${query}`;
}

/** GET /oauth/authorize without following the redirect. */
async function authorize(app: App, extra: Record<string, string> = {}) {
	const response = await fetch(authorizeUrl(app, extra), { redirect: 'manual' });
	const location = response.headers.get('location') ?? '';
	const redirect = location ? new URL(location) : undefined;
	return { response, redirect, code: redirect?.searchParams.get('code') ?? undefined, body: await response.text() };
}

/** POST /oauth/access_token, form-encoded like n8n's OAuth client. */
async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
	const response = await fetch(`${fake.mm.url}/oauth/access_token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
		body: new URLSearchParams(form),
	});
	return { status: response.status, headers: response.headers, json: await response.json() };
}

async function whoAmI(accessToken: string) {
	const response = await fetch(`${fake.mm.apiUrl}/users/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
	return { status: response.status, json: await response.json() };
}

/** The whole connection as n8n makes it (auto-approved consent): the token data n8n stores. */
async function connect(app: App, { pkce = false } = {}) {
	const { mm } = fake;
	const pair = pkcePair();
	const before = mm.config.oauthAutoApprove;
	mm.config.oauthAutoApprove = true;
	try {
		const { code } = await authorize(app, pkce ? { code_challenge: pair.challenge, code_challenge_method: 'S256' } : {});
		expect(code).toBeDefined();
		const form: Record<string, string> = { grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, client_id: app.id };
		if (pkce) form.code_verifier = pair.verifier;
		else form.client_secret = app.client_secret;
		const result = await token(form);
		expect(result.status).toBe(200);
		return result.json as Record<string, unknown>;
	} finally {
		mm.config.oauthAutoApprove = before;
	}
}

function oauthCredentials(app: App, tokenData: Record<string, unknown>, grantType = 'authorizationCode') {
	const data: ICredentialDataDecryptedObject = {
		baseUrl: fake.mm.url,
		grantType,
		clientId: app.id,
		ignoreSslIssues: false,
		oauthTokenData: tokenData as ICredentialDataDecryptedObject['oauthTokenData'],
	};
	if (grantType === 'authorizationCode') data.clientSecret = app.client_secret;
	return { [TYPE]: data };
}

async function runWithOAuth(parameters: INodeParameters, helper: TestCredentialsHelper) {
	const { output } = await executeNode({
		nodeType,
		parameters: { authentication: 'oAuth2', ...parameters },
		credentialsHelper: helper,
		credentials: { [TYPE]: {} },
		credentialTypes: [credentialType],
	});
	return output[0];
}

const post = (channelId: string, message: string) => ({ resource: 'message', operation: 'post', channelId: byId(channelId), message });

const grants = (type: string) => fake.mm.oauthEvents.filter((e: any) => e.type === 'token' && e.grant_type === type);

// ------------------------------------------------------------------------------------ 1. credential

describe('OAuth2 credential: authorization and token URLs come from the Base URL', () => {
	const accepted = [
		'mattermost.example.com',
		'https://mattermost.example.com/',
		'https://example.com/mattermost',
		'https://example.com/mattermost/api/v4/',
		'https://mattermost.example.com/API/V4',
		'http://127.0.0.1:8065',
		'  http://[::1]:8065/ ',
	];

	it.each(accepted)('%j: <site>/oauth/authorize and <site>/oauth/access_token, site as the transport sees it', async (baseUrl) => {
		const site = siteUrlFromBaseUrl(baseUrl);
		const data = await resolvedCredential({ baseUrl, clientId: 'x', clientSecret: 'y' });
		expect(data.authUrl).toBe(`${site}/oauth/authorize`);
		expect(data.accessTokenUrl).toBe(`${site}/oauth/access_token`);
	});

	it('keeps a sub-path and drops a pasted /api/v4', async () => {
		const data = await resolvedCredential({ baseUrl: 'https://example.com/mattermost/api/v4', clientId: 'x' });
		expect(data.authUrl).toBe('https://example.com/mattermost/oauth/authorize');
		expect(data.accessTokenUrl).toBe('https://example.com/mattermost/oauth/access_token');
	});

	it.each(['', 'ftp://mattermost.example.com', 'https://user:secret@mattermost.example.com', 'not a url'])(
		'%j: no URL at all rather than a wrong one',
		async (baseUrl) => {
			const data = await resolvedCredential({ baseUrl, clientId: 'x' });
			expect(data.authUrl).toBe('');
			expect(data.accessTokenUrl).toBe('');
		},
	);

	it('fixes what Mattermost needs: secret in the body, no scope, confidential by default, SSL setting mirrored', async () => {
		const data = await resolvedCredential({ baseUrl: 'https://mm.example.com', clientId: 'x', ignoreSslIssues: true });
		expect(data).toMatchObject({
			grantType: 'authorizationCode',
			authentication: 'body',
			scope: '',
			authQueryParameters: '',
			ignoreSslIssues: true,
			ignoreSSLIssues: true,
		});
		const plain = await resolvedCredential({ baseUrl: 'https://mm.example.com', clientId: 'x' });
		expect(plain.ignoreSSLIssues).toBe(false);
	});

	it('describes both client types and hides the secret for public clients', () => {
		expect(credentialType.extends).toEqual(['oAuth2Api']);
		const grantType = credentialType.properties.find((p) => p.name === 'grantType')!;
		expect(grantType.options).toEqual([
			expect.objectContaining({ value: 'authorizationCode' }),
			expect.objectContaining({ value: 'pkce' }),
		]);
		const secret = credentialType.properties.find((p) => p.name === 'clientSecret')!;
		expect(secret.displayOptions).toEqual({ show: { grantType: ['authorizationCode'] } });
		expect(secret.typeOptions).toEqual({ password: true });
		for (const name of ['authUrl', 'accessTokenUrl', 'scope', 'authQueryParameters', 'authentication']) {
			expect(credentialType.properties.find((p) => p.name === name)?.type).toBe('hidden');
		}
		// n8n appends its ?utm_… query to the link: after a #fragment it would break the anchor.
		expect(credentialType.documentationUrl).toMatch(/^https:\/\/[^#]+$/);
	});
});

// ------------------------------------------------------------------------------------ 2. fake provider

describe('fake Mattermost as OAuth 2.0 provider', () => {
	it('confidential client: consent page, code, token as the authorizing user, refresh', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'n8n confidential', callback_urls: [CALLBACK] });
		expect(app.client_secret).toMatch(/^[a-z0-9]{26}$/);

		const page = await authorize(app);
		expect(page.response.status).toBe(200);
		expect(page.body).toContain('n8n confidential');
		expect(page.body).toContain('@alice');
		expect(page.body).toMatch(/<form method="post" action="\/oauth\/authorize">/);

		// The consent page's Allow button.
		const allow = await fetch(`${mm.url}/oauth/authorize`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ response_type: 'code', client_id: app.id, redirect_uri: CALLBACK, state: 'n8n-state-123', scope: '', action: 'allow' }),
			redirect: 'manual',
		});
		expect(allow.status).toBe(302);
		const redirect = new URL(allow.headers.get('location')!);
		expect(`${redirect.origin}${redirect.pathname}`).toBe(CALLBACK);
		expect(redirect.searchParams.get('state')).toBe('n8n-state-123');
		const code = redirect.searchParams.get('code')!;
		expect(code).toMatch(/^[a-z0-9]{52}$/);

		const first = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: app.id, client_secret: app.client_secret });
		expect(first.status).toBe(200);
		expect(first.headers.get('cache-control')).toBe('no-store');
		expect(first.headers.get('pragma')).toBe('no-cache');
		expect(first.json).toEqual({
			access_token: expect.stringMatching(/^[a-z0-9]{26}$/),
			token_type: 'bearer',
			expires_in: 30 * 24 * 3600,
			scope: 'user',
			refresh_token: expect.stringMatching(/^[a-z0-9]{26}$/),
		});
		expect((await whoAmI(first.json.access_token)).json.id).toBe(seed.alice.id);

		// The user allowed the app once: the next authorization skips the consent page.
		const again = await authorize(app);
		expect(again.response.status).toBe(302);
		expect(mm.oauthEvents.at(-1)).toMatchObject({ type: 'authorize', approval: 'previously-authorized' });

		const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: app.id, client_secret: app.client_secret });
		expect(refreshed.status).toBe(200);
		expect(refreshed.json.access_token).not.toBe(first.json.access_token);
		expect(refreshed.json.refresh_token).not.toBe(first.json.refresh_token);
		expect((await whoAmI(first.json.access_token)).status).toBe(401);
		expect((await whoAmI(refreshed.json.access_token)).json.username).toBe('alice');
		// A refresh token is used up by the refresh.
		const reused = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: app.id, client_secret: app.client_secret });
		expect(reused.status).toBe(404);
		expect(reused.json.id).toBe('api.oauth.get_access_token.refresh_token.app_error');
	});

	it('trusted apps and oauthAutoApprove skip the consent page; the user is config.oauthUser', async () => {
		const { mm, seed } = fake;
		const trusted = mm.createOAuthApp({ name: 'trusted', callback_urls: [CALLBACK], is_trusted: true });
		const viaTrust = await authorize(trusted);
		expect(viaTrust.response.status).toBe(302);
		expect(mm.oauthEvents.at(-1)).toMatchObject({ approval: 'trusted', user_id: seed.alice.id });

		const plain = mm.createOAuthApp({ name: 'plain', callback_urls: [CALLBACK] });
		mm.config.oauthAutoApprove = true;
		mm.config.oauthUser = 'bob';
		try {
			const auto = await authorize(plain);
			expect(auto.response.status).toBe(302);
			expect(mm.oauthEvents.at(-1)).toMatchObject({ approval: 'auto-approve', user_id: seed.bob.id });
			const result = await token({ grant_type: 'authorization_code', code: auto.code!, redirect_uri: CALLBACK, client_id: plain.id, client_secret: plain.client_secret });
			expect((await whoAmI(result.json.access_token)).json.username).toBe('bob');
		} finally {
			mm.config.oauthAutoApprove = false;
			mm.config.oauthUser = 'alice';
		}
	});

	it('a second code for a user and app with a live token gets the same token', async () => {
		const { mm } = fake;
		const app = mm.createOAuthApp({ name: 'twice', callback_urls: [CALLBACK], is_trusted: true });
		const first = await connect(app);
		const second = await connect(app);
		expect(second.access_token).toBe(first.access_token);
		expect(second.refresh_token).toBe(first.refresh_token);
	});

	it('public client: PKCE S256 required and checked, no refresh token, no refresh grant', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'n8n public', callback_urls: [CALLBACK], is_public: true, is_trusted: true });
		expect(app.client_secret).toBe('');

		const withoutPkce = await authorize(app);
		expect(withoutPkce.response.status).toBe(400);
		expect(withoutPkce.body).toContain('PKCE is required for public clients');

		const { verifier, challenge } = pkcePair();
		const plainMethod = await authorize(app, { code_challenge: challenge, code_challenge_method: 'plain' });
		expect(plainMethod.response.status).toBe(400);
		const shortChallenge = await authorize(app, { code_challenge: 'abc', code_challenge_method: 'S256' });
		expect(shortChallenge.response.status).toBe(400);

		const granted = await authorize(app, { code_challenge: challenge, code_challenge_method: 'S256' });
		expect(granted.response.status).toBe(302);
		expect(mm.oauthEvents.at(-1)).toMatchObject({ type: 'authorize', code_challenge: challenge, code_challenge_method: 'S256' });
		const form = { grant_type: 'authorization_code', code: granted.code!, redirect_uri: CALLBACK, client_id: app.id };

		const noVerifier = await token(form);
		expect(noVerifier.status).toBe(400);
		const wrong = await token({ ...form, code_verifier: pkcePair().verifier });
		expect(wrong.status).toBe(400);
		expect(wrong.json.id).toBe('api.oauth.get_access_token.pkce_verification_failed.app_error');

		const right = await token({ ...form, code_verifier: verifier });
		expect(right.status).toBe(200);
		expect(right.json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: expect.any(Number), scope: 'user' });
		expect(right.json).not.toHaveProperty('refresh_token');
		expect((await whoAmI(right.json.access_token)).json.id).toBe(seed.alice.id);

		const refresh = await token({ grant_type: 'refresh_token', refresh_token: 'anything', client_id: app.id });
		expect(refresh.status).toBe(400);
		expect(refresh.json.message).toMatch(/Public clients cannot use refresh tokens/);
	});

	it('a confidential client that started with PKCE must finish with the verifier', async () => {
		const { mm } = fake;
		const app = mm.createOAuthApp({ name: 'confidential pkce', callback_urls: [CALLBACK], is_trusted: true });
		const { verifier, challenge } = pkcePair();
		const { code } = await authorize(app, { code_challenge: challenge, code_challenge_method: 'S256' });
		const form = { grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, client_id: app.id, client_secret: app.client_secret };
		expect((await token(form)).status).toBe(400);
		const ok = await token({ ...form, code_verifier: verifier });
		expect(ok.status).toBe(200);
		expect(ok.json.refresh_token).toEqual(expect.any(String));
	});

	it('codes are single-use and expire', async () => {
		const { mm } = fake;
		const app = mm.createOAuthApp({ name: 'codes', callback_urls: [CALLBACK], is_trusted: true });
		const { code } = await authorize(app);
		const form = { grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, client_id: app.id, client_secret: app.client_secret };
		expect((await token(form)).status).toBe(200);
		const reused = await token(form);
		expect(reused.status).toBe(400);
		expect(reused.json.id).toBe('api.oauth.get_access_token.expired_code.app_error');

		mm.config.oauthCodeTtlMs = 30;
		try {
			const late = await authorize(app);
			await new Promise((resolve) => setTimeout(resolve, 60));
			const expired = await token({ ...form, code: late.code! });
			expect(expired.status).toBe(403);
			expect(expired.json.id).toBe('api.oauth.get_access_token.expired_code.app_error');
		} finally {
			mm.config.oauthCodeTtlMs = 10 * 60 * 1000;
		}
	});

	it('redirect_uri must match exactly, at authorization and at the token exchange', async () => {
		const { mm } = fake;
		const app = mm.createOAuthApp({ name: 'redirects', callback_urls: [CALLBACK], is_trusted: true });
		const other = await authorize(app, { redirect_uri: `${CALLBACK}/` });
		expect(other.response.status).toBe(400);
		expect(other.body).toContain('oauth_invalid_redirect_url');

		const { code } = await authorize(app);
		const mismatch = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: 'http://localhost:5678/elsewhere', client_id: app.id, client_secret: app.client_secret });
		expect(mismatch.status).toBe(400);
		expect(mismatch.json.id).toBe('api.oauth.get_access_token.redirect_uri.app_error');
	});

	it('client authentication: secret in the form body only; HTTP Basic is not read', async () => {
		const { mm } = fake;
		const app = mm.createOAuthApp({ name: 'basic', callback_urls: [CALLBACK], is_trusted: true });
		const { code } = await authorize(app);
		const basic = `Basic ${Buffer.from(`${app.id}:${app.client_secret}`).toString('base64')}`;
		const form = { grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, client_id: app.id };

		const basicOnly = await token(form, { Authorization: basic });
		expect(basicOnly.status).toBe(403);
		expect(basicOnly.json.id).toBe('api.oauth.get_access_token.credentials.app_error');
		const wrongSecret = await token({ ...form, client_secret: 'x'.repeat(26) });
		expect(wrongSecret.status).toBe(403);
		const json = await fetch(`${mm.url}/oauth/access_token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ ...form, client_secret: app.client_secret }),
		});
		expect(json.status).toBe(400);
		// The code survived the refusals.
		expect((await token({ ...form, client_secret: app.client_secret })).status).toBe(200);
	});

	it('unknown apps, bad requests and a disabled provider are refused', async () => {
		const { mm } = fake;
		const ghost = { id: 'abcdefghijklmnopqrstuvwxyz', client_secret: 'x' };
		expect((await authorize(ghost)).response.status).toBe(404);
		expect((await authorize({ id: 'short', client_secret: '' })).response.status).toBe(400);
		expect((await token({ grant_type: 'password', client_id: ghost.id })).json.id).toBe('api.oauth.get_access_token.bad_grant.app_error');
		expect((await token({ grant_type: 'authorization_code', code: 'c', client_id: ghost.id, client_secret: 'x' })).status).toBe(404);

		const app = mm.createOAuthApp({ name: 'off', callback_urls: [CALLBACK], is_trusted: true });
		mm.config.enableOAuthServiceProvider = false;
		try {
			expect((await authorize(app)).response.status).toBe(501);
			expect((await token({ grant_type: 'refresh_token', refresh_token: 'r', client_id: app.id })).status).toBe(501);
		} finally {
			mm.config.enableOAuthServiceProvider = true;
		}
	});

	it('access tokens expire: 401 on the API until refreshed; ?access_token= works for OAuth sessions only', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'expiry', callback_urls: [CALLBACK], is_trusted: true });
		const data = await connect(app);
		const access = String(data.access_token);

		const viaQuery = await fetch(`${mm.apiUrl}/users/me?access_token=${access}`);
		expect(viaQuery.status).toBe(200);
		const patQuery = await fetch(`${mm.apiUrl}/users/me?access_token=${seed.tokens.alice}`);
		expect(patQuery.status).toBe(401);
		expect((await patQuery.json()).id).toBe('api.context.token_provided.app_error');
		mm.clearContractViolations(); // access_token is not in the OpenAPI description.

		expect(mm.expireOAuthAccessTokens()).toBeGreaterThan(0);
		const expired = await whoAmI(access);
		expect(expired.status).toBe(401);
		expect(expired.json.id).toBe('api.context.session_expired.app_error');
		// Personal access tokens do not expire with them.
		expect((await whoAmI(seed.tokens.alice)).status).toBe(200);

		const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(data.refresh_token), client_id: app.id, client_secret: app.client_secret });
		expect(refreshed.status).toBe(200);
		expect((await whoAmI(refreshed.json.access_token)).status).toBe(200);
	});

	it('the test-only control API creates apps, expires tokens and lists events', async () => {
		const { mm } = fake;
		const created = await fetch(`${mm.url}/__fake/oauth/apps`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'from e2e', callback_urls: [CALLBACK], is_public: true }),
		});
		expect(created.status).toBe(201);
		const app = await created.json();
		expect(app).toMatchObject({ name: 'from e2e', is_public: true, client_secret: '' });
		expect(mm.state.oauthApps.has(app.id)).toBe(true);
		const expire = await fetch(`${mm.url}/__fake/oauth/expire-tokens`, { method: 'POST' });
		expect(await expire.json()).toEqual({ expired: expect.any(Number) });
		const events = await (await fetch(`${mm.url}/__fake/oauth/events`)).json();
		expect(events.length).toBe(mm.oauthEvents.length);
	});
});

// ------------------------------------------------------------------------------------ 3. the node

describe('Mattermost Suite node with the OAuth2 credential', () => {
	it('posts as the OAuth user; after the token expires n8n refreshes it, stores it, and the post succeeds', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const app = mm.createOAuthApp({ name: 'n8n node', callback_urls: [CALLBACK], is_trusted: true });
		const tokenData = await connect(app);
		const helper = new TestCredentialsHelper(oauthCredentials(app, tokenData), [credentialType]);

		mm.clearRequests();
		const [first] = await runWithOAuth(post(channel.id, 'via OAuth2'), helper);
		expect(first.json).toMatchObject({ message: 'via OAuth2', user_id: seed.alice.id, channel_id: channel.id });
		const sent = mm.requests.find((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
		expect(sent.headers.authorization).toBe(`Bearer ${tokenData.access_token}`);
		expect(mm.postsIn(channel.id).at(-1)).toMatchObject({ message: 'via OAuth2', user_id: seed.alice.id });
		expect(helper.updates).toEqual([]);

		mm.expireOAuthAccessTokens();
		mm.clearRequests();
		const refreshesBefore = grants('refresh_token').length;
		const postsBefore = mm.postsIn(channel.id).length;
		const [second] = await runWithOAuth(post(channel.id, 'after expiry'), helper);
		expect(second.json).toMatchObject({ message: 'after expiry', user_id: seed.alice.id });
		expect(mm.postsIn(channel.id)).toHaveLength(postsBefore + 1);

		// n8n sent the refresh grant with client id and secret in the form body.
		const refreshes = grants('refresh_token').slice(refreshesBefore);
		expect(refreshes).toEqual([expect.objectContaining({ client_id: app.id, status: 200, user_id: seed.alice.id })]);
		const refreshRequest = mm.requests.find((r: any) => r.path === '/oauth/access_token');
		const refreshForm = new URLSearchParams(refreshRequest.body);
		expect(Object.fromEntries(refreshForm)).toEqual({
			grant_type: 'refresh_token',
			refresh_token: tokenData.refresh_token,
			client_id: app.id,
			client_secret: app.client_secret,
		});
		expect(refreshRequest.headers.authorization).toBeUndefined();

		// The post was refused once with the old token, then sent again with the new one.
		const postAttempts = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
		expect(postAttempts.map((r: any) => r.headers.authorization)).toEqual([
			`Bearer ${tokenData.access_token}`,
			`Bearer ${refreshes[0].access_token}`,
		]);

		// The new token data went to the credential store.
		expect(helper.updates).toHaveLength(1);
		expect(helper.updates[0]).toMatchObject({ method: 'updateCredentialsOauthTokenData', type: TYPE });
		const stored = helper.getStoredData(TYPE)!.oauthTokenData as Record<string, unknown>;
		expect(stored).toMatchObject({ access_token: refreshes[0].access_token, refresh_token: refreshes[0].refresh_token, token_type: 'bearer' });

		// The next run uses the stored token without another refresh.
		mm.clearRequests();
		await runWithOAuth(post(channel.id, 'third'), helper);
		expect(grants('refresh_token').length).toBe(refreshesBefore + 1);
		expect(mm.requests.find((r: any) => r.path === '/api/v4/posts').headers.authorization).toBe(`Bearer ${stored.access_token}`);
	});

	it('public client: an expired token cannot be renewed and the error says to reconnect the credential', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const app = mm.createOAuthApp({ name: 'n8n public node', callback_urls: [CALLBACK], is_trusted: true, is_public: true });
		const tokenData = await connect(app, { pkce: true });
		expect(tokenData.refresh_token).toBeUndefined();
		const helper = new TestCredentialsHelper(oauthCredentials(app, tokenData, 'pkce'), [credentialType]);

		const [item] = await runWithOAuth(post(channel.id, 'public client'), helper);
		expect(item.json).toMatchObject({ user_id: seed.alice.id, message: 'public client' });

		mm.expireOAuthAccessTokens();
		const postsBefore = mm.postsIn(channel.id).length;
		const refreshesBefore = grants('refresh_token').length;
		const error = await runWithOAuth(post(channel.id, 'never lands'), helper).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toMatch(/OAuth2 access token expired and cannot be renewed/);
		expect(error.description).toMatch(/Public \(PKCE\) clients get no refresh token/);
		expect(error.description).toMatch(/reconnect it/);
		expect(mm.postsIn(channel.id)).toHaveLength(postsBefore);
		expect(grants('refresh_token').length).toBe(refreshesBefore);
		expect(helper.updates).toEqual([]);
	});

	it('a refresh token Mattermost no longer knows: says to reconnect', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'n8n revoked', callback_urls: [CALLBACK], is_trusted: true });
		const tokenData = await connect(app);
		const helper = new TestCredentialsHelper(oauthCredentials(app, tokenData), [credentialType]);
		// The app was deauthorized: its sessions and access data are gone.
		for (const [key, data] of mm.state.oauthAccessData) {
			if (data.client_id !== app.id) continue;
			mm.state.oauthAccessData.delete(key);
			mm.revokeToken(data.token);
		}
		const error = await runWithOAuth(post(seed.channels.townSquare.id, 'x'), helper).catch((e) => e);
		expect(error.message).toMatch(/Mattermost refused to renew the OAuth2 access token \(HTTP 404/);
		expect(error.description).toMatch(/reconnect it/);
	});

	it('a token refused again after renewal (user deactivated): a 401 that says to reconnect', async () => {
		const { mm, seed } = fake;
		const carol = mm.createUser({ username: 'carol' });
		mm.addTeamMember(seed.team.id, carol.id);
		mm.addChannelMember(seed.channels.townSquare.id, carol.id);
		const app = mm.createOAuthApp({ name: 'n8n carol', callback_urls: [CALLBACK], is_trusted: true });
		mm.config.oauthUser = 'carol';
		let tokenData: Record<string, unknown>;
		try {
			tokenData = await connect(app);
		} finally {
			mm.config.oauthUser = 'alice';
		}
		mm.state.users.get(carol.id).delete_at = Date.now();
		const helper = new TestCredentialsHelper(oauthCredentials(app, tokenData), [credentialType]);
		const error = await runWithOAuth(post(seed.channels.townSquare.id, 'x'), helper).catch((e) => e);
		expect(error.httpCode).toBe('401');
		expect(error.description).toMatch(/did not accept the OAuth2 access token, also after n8n renewed it/);
		expect(error.description).toMatch(/reconnect it/);
		expect(helper.updates).toHaveLength(1);
	});

	it('list search uses the OAuth2 credential too', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'n8n search', callback_urls: [CALLBACK], is_trusted: true });
		const tokenData = await connect(app);
		mm.clearRequests();
		const result = await listSearch({
			nodeType,
			methodName: 'searchTeams',
			parameters: { authentication: 'oAuth2' },
			credentials: oauthCredentials(app, tokenData),
			credentialTypes: [credentialType],
		});
		const ids = result.results.map((r: any) => r.value);
		// alice belongs to both teams.
		expect(ids).toEqual(expect.arrayContaining([seed.team.id, seed.otherTeam.id]));
		const calls = mm.requests.filter((r: any) => r.path.startsWith('/api/v4/'));
		expect(calls.length).toBeGreaterThan(0);
		for (const call of calls) expect(call.headers.authorization).toBe(`Bearer ${tokenData.access_token}`);

		// Channels come from /users/me/teams/{team}/channels, team by team ("Other Team" first):
		// a private channel of alice's shows that the OAuth token speaks for her.
		const channels = await listSearch({
			nodeType,
			methodName: 'searchChannels',
			parameters: { authentication: 'oAuth2' },
			credentials: oauthCredentials(app, tokenData),
			credentialTypes: [credentialType],
		});
		expect(channels.results.map((r: any) => r.value)).toContain(seed.channels.otherPrivate.id);
	});
});
