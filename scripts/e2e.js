#!/usr/bin/env node
'use strict';
/**
 * End-to-end test against real n8n versions (pinned, installed by scripts/install-n8n.sh with the
 * Node each line needs) with this package installed from its `npm pack` tarball exactly as n8n's
 * community-package installer does, talking to the fake Mattermost server (test/fake-mattermost)
 * running in this process. A matrix: every suite on the default n8n (2.41.1), the smoke suites
 * (N8N1_SUITES) on n8n 1.x; each step title starts with its n8n version.
 *
 *   npm run test:e2e                 # everything
 *   E2E_ONLY=cli npm run test:e2e    # only some suites (comma-separated: cli,server,oauth,trigger,buttons,compat,events,…),
 *                                    # on every version of the matrix
 *   E2E_N8N_VERSIONS=1.123.81 npm run test:e2e   # only these n8n versions (exact, comma-separated)
 *   MM_SUITE_TARBALL=x.tgz npm run test:e2e      # install this tarball instead of packing the working copy
 *   E2E_KEEP=1 npm run test:e2e      # keep the temp folders (user folder, logs, tarball)
 *
 * Suites:
 *   cli     n8n import:credentials + import:workflow + execute --rawOutput (no server)
 *   server  n8n start, owner setup, node/credential types, credential test (good/bad/unreachable),
 *           workflow created and run over REST
 *   oauth   the OAuth2 credential, for a confidential client and a public (PKCE) client: app
 *           registered in the fake, credential created over REST, n8n's connection flow driven
 *           headlessly (n8n → authorize/consent → n8n callback → token exchange), a workflow posting
 *           as the authorizing user, then the access token expired: renewed (confidential) or a
 *           "reconnect" error (public)
 *   trigger the Mattermost Suite Trigger in production: a workflow with a managed outgoing webhook
 *           activated over REST (the hook appears in the fake, pointing at n8n's /webhook/… URL),
 *           fired by a post, its execution checked, a wrong token refused (401, no execution),
 *           deactivated (the hook is deleted)
 *   compat  what differs between n8n lines, on each: 429 with Retry-After retried and honoured, the
 *           401/404 sentences in the execution error, Reply Text with {{ $json.text }} answered
 *   events  the Events (WebSocket) trigger in a published workflow: 300 posts at 300/s through a drop
 *           longer than Mattermost's resume queue, each post exactly one execution (scripts/e2e/events.js)
 * Add a suite by writing `async function mySuite(t, ctx)` (or a file scripts/e2e/<name>.js exporting
 * one) and listing it in SUITES. Suites that need
 * the n8n server call `ensureServer(t, ctx)`: one `n8n start` per n8n version serves its suites.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('./lib/n8n-lab');

const { log, assert, bold, dim } = lab;

const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 900); // per n8n version, after its install (cold: +6 min); send-and-wait alone takes ~4 min
const ENCRYPTION_KEY = `e2e-${crypto.randomBytes(16).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Suite: CLI (import + execute)
// ---------------------------------------------------------------------------------------------

async function cliSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const channel = ctx.channel;
	const cliLog = path.join(ctx.work, 'n8n-cli.log');
	ctx.logs.push(cliLog);
	const cli = (args) => lab.runN8nCli(args, { userFolder: ctx.userFolder, encryptionKey: ENCRYPTION_KEY, logFile: cliLog });

	const credential = lab.credentialFixture({ id: lab.n8nId(), name: 'E2E bot (CLI)', baseUrl: mm.url, accessToken: seed.tokens.bot });
	const marker = `e2e-cli-${crypto.randomBytes(6).toString('hex')}`;
	const workflow = lab.postWorkflowFixture({
		id: lab.n8nId(),
		name: 'E2E CLI: post a message',
		channelId: channel.id,
		message: `Hello from the n8n CLI (${marker})`,
		credential,
	});

	const imported = await t.step('cli: n8n import:credentials (bot token)', async () => {
		const file = path.join(ctx.work, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify([credential], null, 2));
		const r = await cli(['import:credentials', `--input=${file}`]);
		log(dim(`  import:credentials exit ${r.code} in ${lab.secs(r.ms)}`));
		assert(r.code === 0, `import:credentials exited ${r.code}`, lab.tail(r.stdout + r.stderr, 30));
	});

	const wfImported = await t.step(
		'cli: n8n import:workflow (Manual Trigger → Mattermost Suite post)',
		async () => {
			const file = path.join(ctx.work, 'workflow.json');
			fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
			const r = await cli(['import:workflow', `--input=${file}`]);
			log(dim(`  import:workflow exit ${r.code} in ${lab.secs(r.ms)}`));
			assert(r.code === 0, `import:workflow exited ${r.code}`, lab.tail(r.stdout + r.stderr, 30));
		},
		{ needs: [imported] },
	);

	await t.step(
		'cli: n8n execute --rawOutput posts exactly one message',
		async () => {
			const before = mm.requests.length;
			const r = await cli(['execute', `--id=${workflow.id}`, '--rawOutput']);
			log(dim(`  execute exit ${r.code} in ${lab.secs(r.ms)}`));
			assert(r.code === 0, `n8n execute exited ${r.code}`, lab.tail(r.stdout + r.stderr, 40));
			const out = lab.parseRawOutput(r.stdout);
			const runData = out.data || out;
			const { items, error } = lab.nodeOutput(runData, lab.POST_NODE);
			assert(!error, 'the Mattermost Suite node reported an error', error);
			assert(items.length === 1, `expected 1 output item, got ${items.length}`, items);
			const item = items[0];
			const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
			assert(posts.length === 1, `expected exactly 1 post with ${marker} in ${channel.name}, found ${posts.length}`, posts);
			assert(item.id === posts[0].id, `output item id ${item.id} is not the created post's id ${posts[0].id}`, item);
			assert(String(item.message).includes(marker), 'output item does not carry the message', item);
			assert(item.channel_id === undefined || item.channel_id === channel.id, 'output item has another channel_id', item);
			const sent = mm.requests.slice(before).filter((q) => q.method === 'POST' && /\/api\/v4\/posts\/?$/.test(q.path));
			assert(sent.length === 1, `expected 1 POST /api/v4/posts, saw ${sent.length}`);
			const auth = sent[0].headers.authorization || sent[0].headers.Authorization;
			assert(auth === `Bearer ${seed.tokens.bot}`, `POST /posts was not sent with the bot token (authorization: ${auth})`);
			log(`  created post ${bold(item.id)} in ${channel.display_name || channel.name}: ${JSON.stringify(item.message)}`);
		},
		{ needs: [wfImported] },
	);
}

// ---------------------------------------------------------------------------------------------
// The n8n server, shared by the suites that need one
// ---------------------------------------------------------------------------------------------

/**
 * Starts `n8n start` and sets up the owner the first time a suite asks (two steps), then hands the
 * same { server, rest } to every later caller; main() stops it after the last suite. Either may be
 * undefined when its step failed (pass them to `needs`). N8N_EDITOR_BASE_URL is the address we
 * reach it at, so OAuth redirect URIs (`<base>/rest/oauth2-credential/callback`) point there.
 */
async function ensureServer(t, ctx) {
	if (ctx.shared) return ctx.shared;
	ctx.shared = {};
	const server = await t.step('server: n8n start (until "Editor is now accessible")', async () => {
		const port = await lab.freePort();
		const s = await lab.startN8n({
			userFolder: ctx.userFolder,
			port,
			encryptionKey: ENCRYPTION_KEY,
			logFile: path.join(ctx.work, 'n8n-server.log'),
			// WEBHOOK_URL (read by n8n 1.x and 2.x; N8N_WEBHOOK_URL only by 2.x): webhook URLs (what
			// the trigger registers in Mattermost) use the address we listen on, not n8n's default
			// http://localhost:<port>/.
			env: { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`, WEBHOOK_URL: `http://127.0.0.1:${port}/` },
		});
		ctx.logs.push(s.logFile);
		log(`  n8n ${ctx.install.version} at ${s.url}`);
		return s;
	});
	ctx.shared.server = server;
	ctx.shared.rest = await t.step('server: owner setup (POST /rest/owner/setup)', () => lab.setupOwner(server.url), { needs: [server] });
	return ctx.shared;
}

// ---------------------------------------------------------------------------------------------
// Suite: server (n8n start + REST)
// ---------------------------------------------------------------------------------------------

async function serverSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const channel = ctx.channel;
	const { rest } = await ensureServer(t, ctx);

	await t.step(
		'server: GET /types/nodes.json lists the node',
		async () => {
			const types = await rest.get('/types/nodes.json');
			assert(Array.isArray(types), 'nodes.json is not an array', typeof types);
			const node = types.find((n) => n.name === lab.NODE_TYPE);
			assert(node, `${lab.NODE_TYPE} is not among ${types.length} node types`);
			assert([].concat(node.version).includes(1), `typeVersion 1 missing (version ${JSON.stringify(node.version)})`);
			const creds = (node.credentials || []).map((c) => c.name);
			assert(creds.includes(lab.CREDENTIAL_TYPE), `node does not use ${lab.CREDENTIAL_TYPE} (uses ${creds})`);
			log(`  ${lab.NODE_TYPE}: displayName ${JSON.stringify(node.displayName)}, version ${JSON.stringify(node.version)}`);
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: GET /types/credentials.json lists the credential type',
		async () => {
			const types = await rest.get('/types/credentials.json');
			const cred = Array.isArray(types) && types.find((c) => c.name === lab.CREDENTIAL_TYPE);
			assert(cred, `${lab.CREDENTIAL_TYPE} is not among the credential types`);
			log(`  ${lab.CREDENTIAL_TYPE}: displayName ${JSON.stringify(cred.displayName)}`);
		},
		{ needs: [rest] },
	);

	const credData = (over) => ({ accessToken: seed.tokens.bot, baseUrl: mm.url, allowUnauthorizedCerts: false, ...over });

	await t.step(
		'server: credential test with the bot token → OK',
		async () => {
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData());
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'OK', 'expected status OK', r);
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: credential test with a bad token → Error mentioning the token',
		async () => {
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ accessToken: 'not-a-valid-token' }));
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'Error', 'expected status Error', r);
			assert(/token/i.test(r.message || ''), 'the message does not mention the token', r);
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: credential test with a closed port → Error',
		async () => {
			const port = await lab.freePort(); // nothing listens there
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ baseUrl: `http://127.0.0.1:${port}` }));
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'Error', 'expected status Error', r);
			assert(r.message, 'the error has no message', r);
		},
		{ needs: [rest] },
	);

	const marker = `e2e-rest-${crypto.randomBytes(6).toString('hex')}`;
	const created = await t.step(
		'server: create credential + workflow over REST',
		async () => {
			const cred = await rest.post('/rest/credentials', lab.credentialFixture({ name: 'E2E bot (REST)', baseUrl: mm.url, accessToken: seed.tokens.bot }));
			const credential = { id: cred.data.id, name: cred.data.name };
			assert(credential.id, 'POST /rest/credentials answered no id', cred);
			const wfBody = lab.postWorkflowFixture({
				name: 'E2E REST: post a message',
				channelId: channel.id,
				message: `Hello from the n8n editor API (${marker})`,
				credential,
			});
			const workflow = await lab.createWorkflow(rest, wfBody);
			log(`  credential ${credential.id}, workflow ${workflow.id}`);
			return { credential, workflow };
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: run the workflow (POST /rest/workflows/:id/run) and a second post lands',
		async () => {
			const executionId = await lab.runWorkflow(rest, created.workflow.id, lab.MANUAL_TRIGGER);
			const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
			const { items, error } = lab.nodeOutput(ex.data, lab.POST_NODE);
			log(`  execution ${executionId}: ${ex.status}`);
			assert(ex.status === 'success', `execution status ${ex.status}`, error || ex.execution);
			assert(items.length === 1, `expected 1 output item, got ${items.length}`, items);
			const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
			assert(posts.length === 1, `expected exactly 1 post with ${marker}, found ${posts.length}`, posts);
			assert(items[0].id === posts[0].id, `output id ${items[0].id} ≠ post id ${posts[0].id}`, items[0]);
			const all = mm.postsIn(channel.id).filter((p) => /e2e-(cli|rest)-/.test(String(p.message)));
			log(`  created post ${bold(items[0].id)}; e2e posts now in ${channel.name}: ${all.length}`);
		},
		{ needs: [created] },
	);
}

// ---------------------------------------------------------------------------------------------
// Suite: oauth (OAuth2 credential: connect, post, token expiry)
// ---------------------------------------------------------------------------------------------

/** The fake's /oauth/access_token requests since request index `from`, with their form bodies. */
function tokenRequests(mm, from) {
	return mm.requests
		.slice(from)
		.filter((q) => q.method === 'POST' && q.path === '/oauth/access_token')
		.map((q) => ({ ...q, form: Object.fromEntries(new URLSearchParams(typeof q.body === 'string' ? q.body : '')) }));
}

const s256 = (verifier) => crypto.createHash('sha256').update(verifier).digest('base64url');

/**
 * One client type end to end. `client`: { kind, grantType, app: options for mm.createOAuthApp }.
 * The confidential app is not trusted (the consent page is answered with Allow); the public one is
 * trusted (the authorize URL redirects at once), so both paths of the authorize page are driven.
 */
async function oauthClientFlow(t, ctx, rest, client) {
	const { mm } = ctx.fake;
	const { channel } = ctx;
	const { kind } = client;
	const pkce = client.grantType === 'pkce';
	const label = (s) => `oauth ${kind}: ${s}`;
	const alice = mm.state.userByUsername(mm.config.oauthUser) || mm.state.users.get(mm.config.oauthUser);

	const setup = await t.step(
		label(`register the app in the fake (${client.app.is_trusted ? 'trusted' : 'consent page'}) + create the credential over REST`),
		async () => {
			const redirectUri = lab.oauth2CallbackUrl(rest.url);
			const app = mm.createOAuthApp({ name: `n8n e2e (${kind})`, callback_urls: [redirectUri], ...client.app });
			assert(app.id, 'createOAuthApp returned no id', app);
			assert(pkce ? app.client_secret === '' : Boolean(app.client_secret), `unexpected client_secret for a ${kind} app`, app);
			const data = { baseUrl: mm.url, grantType: client.grantType, clientId: app.id, ...(pkce ? {} : { clientSecret: app.client_secret }) };
			const res = await rest.post('/rest/credentials', { name: `E2E OAuth2 (${kind})`, type: lab.OAUTH2_CREDENTIAL_TYPE, data });
			const credential = { id: res?.data?.id, name: res?.data?.name };
			assert(credential.id, 'POST /rest/credentials answered no id', res);
			log(`  app ${app.id}, credential ${credential.id}, redirect URI ${redirectUri}`);
			return { app, credential, redirectUri };
		},
	);

	let connection;
	let requestsBefore = 0;
	const authorized = await t.step(
		label('connect: n8n builds the authorization URL and the fake redirects back with a code'),
		async () => {
			requestsBefore = mm.requests.length;
			const eventsBefore = mm.oauthEvents.length;
			connection = await lab.connectOAuth2(rest, setup.credential.id);
			const auth = new URL(connection.authUrl);
			const q = auth.searchParams;
			log(`  authorize URL ${auth.origin}${auth.pathname}?${[...q.keys()].join('&')}`);
			assert(`${auth.origin}${auth.pathname}` === `${mm.url}/oauth/authorize`, `authorization URL is not the fake's /oauth/authorize: ${connection.authUrl}`);
			assert(q.get('client_id') === setup.app.id, `client_id ${q.get('client_id')} ≠ ${setup.app.id}`);
			assert(q.get('response_type') === 'code', `response_type ${q.get('response_type')}`);
			assert(q.get('redirect_uri') === setup.redirectUri, `redirect_uri ${q.get('redirect_uri')} ≠ ${setup.redirectUri}`);
			assert(q.get('state'), 'no state in the authorization URL');
			if (pkce) {
				assert(q.get('code_challenge_method') === 'S256', `code_challenge_method ${q.get('code_challenge_method')}`);
				assert(/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') || ''), `code_challenge ${q.get('code_challenge')}`);
			} else {
				assert(!q.has('code_challenge'), 'a confidential client sent a PKCE challenge');
			}
			if (client.app.is_trusted) {
				assert(connection.authorize.status === 302 && !connection.consent, `a trusted app should redirect at once (HTTP ${connection.authorize.status})`);
			} else {
				assert(connection.authorize.status === 200 && connection.consent, `expected the consent page (HTTP ${connection.authorize.status})`);
				assert(connection.consent.status === 302, `Allow answered HTTP ${connection.consent.status}`);
			}
			const back = new URL(connection.callbackUrl);
			assert(back.searchParams.get('state') === q.get('state'), 'the redirect does not carry n8n\'s state back');
			assert(back.searchParams.get('code'), 'the redirect carries no code', connection.callbackUrl);
			const event = mm.oauthEvents.slice(eventsBefore).find((e) => e.type === 'authorize' && e.client_id === setup.app.id);
			assert(event, 'the fake recorded no authorization for the app', mm.oauthEvents.slice(eventsBefore));
			assert(event.user_id === alice.id, `authorized as ${event.user_id}, not alice`);
			assert(event.approval === (client.app.is_trusted ? 'trusted' : 'consent'), `approval ${event.approval}`);
			if (pkce) assert(event.code_challenge === q.get('code_challenge') && event.code_challenge_method === 'S256', 'the fake recorded another PKCE challenge', event);
			log(`  ${event.approval}: code for @${alice.username}, back to ${back.origin}${back.pathname}`);
			return event;
		},
		{ needs: [setup] },
	);

	const exchanged = await t.step(
		label(`n8n's callback exchanges the code (${pkce ? 'code_verifier matching the S256 challenge, no secret' : 'client_secret in the form body'}) → "Connection successful"`),
		async () => {
			const { status, text } = connection.callback;
			assert(connection.connected, `callback HTTP ${status} without "Connection successful"`, text);
			const sent = tokenRequests(mm, requestsBefore);
			assert(sent.length === 1, `expected 1 POST /oauth/access_token, saw ${sent.length}`, sent.map((r) => r.form));
			const { form, headers } = sent[0];
			assert(form.grant_type === 'authorization_code', `grant_type ${form.grant_type}`);
			assert(form.code === new URL(connection.callbackUrl).searchParams.get('code'), 'the exchanged code is not the one issued');
			assert(form.redirect_uri === setup.redirectUri, `redirect_uri ${form.redirect_uri}`);
			assert(form.client_id === setup.app.id, `client_id in the body: ${form.client_id}`);
			assert(!/^basic /i.test(headers.authorization || ''), 'n8n sent HTTP Basic client authentication (Mattermost ignores it)');
			if (pkce) {
				assert(!form.client_secret, 'a public client sent a client_secret');
				assert(form.code_verifier, 'no code_verifier in the token request', form);
				assert(s256(form.code_verifier) === authorized.code_challenge, 'S256(code_verifier) does not match the recorded challenge');
			} else {
				assert(form.client_secret === setup.app.client_secret, 'client_secret missing from (or wrong in) the form body');
				assert(!form.code_verifier, 'a confidential client sent a code_verifier');
			}
			const event = mm.oauthEvents.filter((e) => e.type === 'token' && e.client_id === setup.app.id).pop();
			assert(event && event.status === 200 && event.grant_type === 'authorization_code', 'the fake did not grant a token', event);
			assert(pkce ? !event.refresh_token : Boolean(event.refresh_token), `refresh token ${pkce ? 'issued to a public client' : 'missing'}`, event);
			log(`  token for @${alice.username}${pkce ? ' (no refresh token)' : ' + refresh token'}`);
			return event;
		},
		{ needs: [authorized] },
	);

	await t.step(
		label('n8n stored the token (GET /rest/credentials/:id?includeData=true)'),
		async () => {
			const cred = await lab.getCredential(rest, setup.credential.id);
			const data = cred?.data || {};
			assert(data.oauthTokenData, 'the credential has no oauthTokenData', Object.keys(data));
			const stored = typeof data.oauthTokenData === 'object' ? data.oauthTokenData.access_token : undefined;
			assert(data.oauthTokenData === true || stored === exchanged.access_token, 'oauthTokenData is neither masked (true) nor the issued token', data.oauthTokenData);
			assert(data.clientId === setup.app.id && data.grantType === client.grantType, 'the credential lost its settings', data);
			log(`  oauthTokenData: ${JSON.stringify(data.oauthTokenData)}`);
		},
		{ needs: [exchanged] },
	);

	// The message carries the execution id, so each run's post is told apart without editing the workflow.
	const tag = `e2e-oauth-${kind}-${crypto.randomBytes(4).toString('hex')}`;
	if (!pkce) {
		await t.step(
			label('a wrong client secret → n8n\'s callback reports the failure and stores no token'),
			async () => {
				const res = await rest.post('/rest/credentials', {
					name: `E2E OAuth2 (${kind}, wrong secret)`,
					type: lab.OAUTH2_CREDENTIAL_TYPE,
					data: { baseUrl: mm.url, grantType: client.grantType, clientId: setup.app.id, clientSecret: 'not-the-secret' },
				});
				const before = mm.requests.length;
				const c = await lab.connectOAuth2(rest, res.data.id);
				const { text } = c.callback;
				assert(!c.connected, 'the callback says "Connection successful" with a wrong secret');
				assert(/Failed to connect/.test(text) && /Error:/.test(text), 'the callback page shows no error', text);
				const sent = tokenRequests(mm, before);
				assert(sent.length === 1 && sent[0].form.client_secret === 'not-the-secret', 'expected one token request with the wrong secret', sent.map((x) => x.form));
				const event = mm.oauthEvents.filter((e) => e.type === 'token').pop();
				assert(event.status === 403, `the fake answered the token request with ${event.status}`, event);
				const stored = await lab.getCredential(rest, res.data.id);
				assert(!stored?.data?.oauthTokenData, 'a token was stored although the exchange failed', stored?.data);
				await rest.delete(`/rest/credentials/${res.data.id}`);
				log(`  callback page: ${JSON.stringify(text.slice(0, 200))}`);
			},
			{ needs: [exchanged] },
		);
	}

	const runPost = async (workflowId) => {
		const before = mm.requests.length;
		const executionId = await lab.runWorkflow(rest, workflowId, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		const marker = `${tag} execution ${executionId}.`;
		const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
		const sent = mm.requests.slice(before).filter((q) => q.method === 'POST' && /\/api\/v4\/posts\/?$/.test(q.path));
		const bearer = sent.map((q) => String(q.headers.authorization || '').replace(/^Bearer /i, ''));
		return { executionId, ex, marker, posts, sent, bearer, tokens: tokenRequests(mm, before) };
	};
	const check = (r, { token }) => {
		const { marker } = r;
		const { items, error } = lab.nodeOutput(r.ex.data, lab.POST_NODE);
		assert(r.ex.status === 'success', `execution ${r.executionId}: ${r.ex.status}`, error || lab.executionErrorText(r.ex));
		assert(r.posts.length === 1, `expected 1 post with ${marker}, found ${r.posts.length}`, r.posts);
		assert(r.posts[0].user_id === alice.id, `the post is by ${r.posts[0].user_id}, not alice (${alice.id})`);
		assert(items.length === 1 && items[0].id === r.posts[0].id, 'the output item is not the created post', items);
		assert(r.bearer[r.bearer.length - 1] === token, 'the post was not sent with the expected OAuth access token');
	};

	const workflow = await t.step(
		label('workflow (Authentication OAuth2) posts as @alice'),
		async () => {
			const body = lab.postWorkflowFixture({
				name: `E2E OAuth2 (${kind}): post a message`,
				channelId: channel.id,
				message: `={{ "Hello over OAuth2 (${kind}) ${tag} execution " + $execution.id + "." }}`,
				credential: setup.credential,
				credentialType: lab.OAUTH2_CREDENTIAL_TYPE,
			});
			const wf = { data: await lab.createWorkflow(rest, body) };
			const r = await runPost(wf.data.id);
			check(r, { token: exchanged.access_token });
			assert(r.sent.length === 1 && r.tokens.length === 0, `expected 1 POST /posts and no token request, saw ${r.sent.length} and ${r.tokens.length}`);
			log(`  execution ${r.executionId}: post ${bold(r.posts[0].id)} by @${alice.username}`);
			return wf.data;
		},
		{ needs: [exchanged] },
	);

	if (!pkce) {
		const refreshed = await t.step(
			label('access token expired → n8n renews it (refresh_token grant) and the post succeeds'),
			async () => {
				const expired = mm.expireOAuthAccessTokens();
				assert(expired >= 1, `expireOAuthAccessTokens expired ${expired} tokens`);
				const r = await runPost(workflow.id);
				assert(r.tokens.length === 1, `expected 1 token request, saw ${r.tokens.length}`, r.tokens.map((x) => x.form));
				const { form } = r.tokens[0];
				assert(form.grant_type === 'refresh_token', `grant_type ${form.grant_type}`);
				assert(form.refresh_token === exchanged.refresh_token, 'n8n did not send the refresh token it was issued');
				assert(form.client_secret === setup.app.client_secret && form.client_id === setup.app.id, 'client_id/client_secret missing from the refresh form body', form);
				const event = mm.oauthEvents.filter((e) => e.type === 'token' && e.client_id === setup.app.id).pop();
				assert(event.grant_type === 'refresh_token' && event.status === 200, 'the fake refused the refresh', event);
				assert(event.access_token !== exchanged.access_token, 'the refresh issued the same access token');
				// n8n 1.x renews only on a thrown 401: the node asks once more in that mode (one more 401).
				const attempts = lab.isN8n1() ? 3 : 2;
				assert(r.sent.length === attempts, `expected POST /posts ${attempts} times (401, then with the new token), saw ${r.sent.length}`);
				assert(r.bearer[0] === exchanged.access_token, 'the first attempt did not use the old token');
				check(r, { token: event.access_token });
				log(`  401 → refresh → post ${bold(r.posts[0].id)} by @${alice.username} with the new token`);
				return event;
			},
			{ needs: [workflow] },
		);

		await t.step(
			label('n8n saved the renewed token: the next run uses it without another refresh'),
			async () => {
				const r = await runPost(workflow.id);
				check(r, { token: refreshed.access_token });
				assert(r.sent.length === 1 && r.tokens.length === 0, `expected 1 POST /posts and no token request, saw ${r.sent.length} and ${r.tokens.length}`);
			},
			{ needs: [refreshed] },
		);
	} else {
		await t.step(
			label('access token expired → the run fails asking to reconnect (no refresh for a public client)'),
			async () => {
				const expired = mm.expireOAuthAccessTokens();
				assert(expired >= 1, `expireOAuthAccessTokens expired ${expired} tokens`);
				const before = mm.postsIn(channel.id).length;
				const r = await runPost(workflow.id);
				const text = lab.executionErrorText(r.ex);
				log(`  execution ${r.executionId}: ${r.ex.status}: ${text}`);
				assert(r.ex.status === 'error', `execution status ${r.ex.status}, expected error`);
				assert(/reconnect/i.test(text), 'the error does not tell the user to reconnect', text);
				assert(/expired/i.test(text), 'the error does not say the token expired', text);
				assert(r.tokens.length === 0, `a public client asked for a token ${r.tokens.length} time(s)`, r.tokens.map((x) => x.form));
				assert(r.sent.length >= 1 && r.bearer.every((b) => b === exchanged.access_token), 'the post was not attempted with the expired token');
				assert(mm.postsIn(channel.id).length === before, 'a post landed although the token had expired');
			},
			{ needs: [workflow] },
		);
	}
}

async function oauthSuite(t, ctx) {
	const { rest } = await ensureServer(t, ctx);
	const clients = [
		{ kind: 'confidential', grantType: 'authorizationCode', app: { is_trusted: false } },
		{ kind: 'public', grantType: 'pkce', app: { is_trusted: true, is_public: true } },
	];
	for (const client of clients) {
		if (!rest) {
			await t.step(`oauth ${client.kind}`, () => {}, { needs: [false] });
			continue;
		}
		await oauthClientFlow(t, ctx, rest, client);
	}
}

// ---------------------------------------------------------------------------------------------
// Suite: trigger (Mattermost Suite Trigger, managed outgoing webhook, production mode)
// ---------------------------------------------------------------------------------------------

/**
 * Activates a workflow whose trigger manages an outgoing webhook, checks the hook the node
 * created in the fake, has the fake fire it for a post by alice, checks the execution, refuses a
 * call with a wrong token, and deactivates (the hook must be deleted). The credential carries
 * the admin's token: managing outgoing webhooks needs team admin (the seeded bot is not).
 */
async function triggerSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const { server, rest } = await ensureServer(t, ctx);
	const channel = seed.channels.townSquare;
	const live = () => [...mm.state.hooks.values()].filter((h) => h.delete_at === 0);
	const hooksRequests = (from) => mm.requests.slice(from).filter((q) => q.path.startsWith('/api/v4/hooks/outgoing'));

	const created = await t.step(
		'trigger: create credential (admin token) + workflow (Outgoing Webhook, Town Square, "deploy") over REST',
		async () => {
			assert(live().length === 0, 'the fake already holds outgoing webhooks', live());
			const cred = await rest.post('/rest/credentials', lab.credentialFixture({ name: 'E2E admin (trigger)', baseUrl: mm.url, accessToken: seed.tokens.admin }));
			const credential = { id: cred?.data?.id, name: cred?.data?.name };
			assert(credential.id, 'POST /rest/credentials answered no id', cred);
			const webhookId = crypto.randomUUID();
			const workflow = await lab.createWorkflow(
				rest,
				lab.outgoingWebhookWorkflowFixture({
					name: 'E2E trigger: outgoing webhook',
					webhookId,
					teamId: seed.team.id,
					channelId: channel.id,
					triggerWords: 'deploy',
					credential,
				}),
			);
			assert(workflow.versionId, 'POST /rest/workflows answered no versionId', workflow);
			const url = lab.productionWebhookUrl(server.url, webhookId);
			log(`  credential ${credential.id}, workflow ${workflow.id}, production URL ${url}`);
			return { credential, workflow, url };
		},
		{ needs: [rest] },
	);

	const activated = await t.step(
		'trigger: activate → the fake holds exactly one outgoing hook pointing at n8n\'s production URL',
		async () => {
			const from = mm.requests.length;
			const wf = await lab.activateWorkflow(rest, created.workflow.id, created.workflow.versionId);
			assert(wf && wf.active === true, 'the workflow is not active after POST /activate', wf && { active: wf.active, activeVersionId: wf.activeVersionId });
			// n8n registers the webhook (runs the node's webhookMethods) just after answering.
			await lab.waitUntil(() => live().length > 0, {
				timeoutMs: 20000,
				what: 'an outgoing hook in the fake after activation',
				explain: async () => ({
					activationError: await lab.activationError(rest, created.workflow.id),
					requests: mm.requests.slice(from).map((q) => `${q.method} ${q.path}`),
				}),
			});
			await lab.sleep(500); // a second create, if any, would land now
			const hooks = live();
			assert(hooks.length === 1, `expected 1 outgoing hook in the fake, found ${hooks.length}`, hooks);
			const hook = hooks[0];
			assert(JSON.stringify(hook.callback_urls) === JSON.stringify([created.url]), 'callback_urls is not [the production URL]', { callback_urls: hook.callback_urls, expected: created.url });
			assert(hook.content_type === 'application/json', `content_type ${hook.content_type}`);
			assert(hook.team_id === seed.team.id, `team_id ${hook.team_id} is not the seed team ${seed.team.id}`);
			assert(hook.channel_id === channel.id, `channel_id ${hook.channel_id} is not Town Square ${channel.id}`);
			assert(JSON.stringify(hook.trigger_words) === '["deploy"]' && hook.trigger_when === 0, 'trigger words/when differ', hook);
			assert(hook.creator_id === seed.admin.id, `the hook was created by ${hook.creator_id}, not the credential's user (admin)`);
			const creates = hooksRequests(from).filter((q) => q.method === 'POST' && q.path === '/api/v4/hooks/outgoing');
			assert(creates.length === 1, `expected 1 POST /hooks/outgoing, saw ${creates.length}`, hooksRequests(from).map((q) => `${q.method} ${q.path}`));
			assert(creates[0].headers.authorization === `Bearer ${seed.tokens.admin}`, 'POST /hooks/outgoing was not sent with the credential\'s token');
			log(`  hook ${bold(hook.id)} → ${hook.callback_urls[0]} (${hook.content_type})`);
			return hook;
		},
		{ needs: [created] },
	);

	const fired = await t.step(
		'trigger: alice posts "deploy now" in Town Square → the fake calls n8n once, HTTP 200',
		async () => {
			const from = mm.integrationCalls.length;
			const post = await lab.postAs(mm, seed.tokens.alice, channel.id, 'deploy now');
			await mm.integrationsSettled();
			const calls = mm.integrationCalls.slice(from);
			assert(calls.length === 1, `expected 1 integration call, saw ${calls.length}`, calls);
			const call = calls[0];
			assert(call.kind === 'outgoing_webhook' && call.source_id === activated.id, 'the call is not the hook\'s', call);
			assert(call.url === created.url, `the fake called ${call.url}, not ${created.url}`);
			assert(call.status === 200, `n8n answered HTTP ${call.status}`, { error: call.error, response: call.responseText });
			const repliesBefore = mm.postsIn(channel.id).filter((p) => p.props?.from_webhook === 'true');
			assert(repliesBefore.length === 0, 'a reply post appeared although no reply text is set', repliesBefore);
			log(`  post ${bold(post.id)} → ${call.status} ${JSON.stringify(call.responseText)}`);
			return { post, call };
		},
		{ needs: [activated] },
	);

	const execution = await t.step(
		'trigger: one execution of the workflow succeeded with the post as its item',
		async () => {
			const [summary] = await lab.waitForExecutions(rest, created.workflow.id, 1);
			const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 30000 });
			const { items, error } = lab.nodeOutput(ex.data, lab.TRIGGER_NODE);
			assert(ex.status === 'success', `execution ${summary.id}: status ${ex.status}`, error || ex.execution);
			assert(ex.execution.mode === 'webhook', `execution mode ${ex.execution.mode}, expected webhook`);
			assert(items.length === 1, `expected 1 item, got ${items.length}`, items);
			const item = items[0];
			const { post } = fired;
			const expected = {
				post_id: post.id,
				channel_id: channel.id,
				channel_name: channel.name,
				team_id: seed.team.id,
				team_domain: seed.team.name,
				user_id: seed.alice.id,
				user_name: seed.alice.username,
				text: 'deploy now',
				trigger_word: 'deploy',
				timestamp: new Date(post.create_at).toISOString(),
				timestamp_ms: post.create_at,
			};
			const wrong = Object.entries(expected).filter(([k, v]) => item[k] !== v);
			assert(!wrong.length, `item fields differ: ${wrong.map(([k, v]) => `${k}=${JSON.stringify(item[k])} (expected ${JSON.stringify(v)})`).join(', ')}`, item);
			assert(Array.isArray(item.file_ids) && item.file_ids.length === 0, 'file_ids is not an empty array', item.file_ids);
			assert(!('token' in item), 'the item carries the hook token', item);
			log(`  execution ${summary.id}: ${ex.status}; item ${JSON.stringify(item)}`);
			return ex;
		},
		{ needs: [fired] },
	);

	await t.step(
		'trigger: a post not starting with "deploy" fires nothing',
		async () => {
			const from = mm.integrationCalls.length;
			await lab.postAs(mm, seed.tokens.alice, channel.id, 'we should deploy later');
			await mm.integrationsSettled();
			assert(mm.integrationCalls.length === from, 'the fake called an integration', mm.integrationCalls.slice(from));
		},
		{ needs: [activated] },
	);

	await t.step(
		'trigger: a call with a wrong token → 401 and no execution',
		async () => {
			const before = (await lab.listExecutions(rest, created.workflow.id)).length;
			const payload = { ...JSON.parse(fired.call.body), token: 'not-the-hook-token' };
			const res = await fetch(created.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
			const text = await res.text();
			assert(res.status === 401, `n8n answered HTTP ${res.status}`, text);
			await lab.sleep(1500); // an execution, if one started, shows up within this
			const after = await lab.listExecutions(rest, created.workflow.id);
			assert(after.length === before, `executions went from ${before} to ${after.length}`, after.map((e) => ({ id: e.id, status: e.status })));
			log(`  → 401 ${text}; executions still ${after.length}`);
		},
		{ needs: [fired, execution] },
	);

	await t.step(
		'trigger: deactivate → the hook is gone from the fake and posts fire nothing',
		async () => {
			const from = mm.requests.length;
			const wf = await lab.deactivateWorkflow(rest, created.workflow.id);
			assert(wf && wf.active === false, 'the workflow is still active after POST /deactivate', wf && { active: wf.active });
			await lab.waitUntil(() => live().length === 0, {
				timeoutMs: 20000,
				what: 'the outgoing hook deleted after deactivation',
				explain: async () => ({ live: live(), requests: hooksRequests(from).map((q) => `${q.method} ${q.path}`) }),
			});
			const deletes = hooksRequests(from).filter((q) => q.method === 'DELETE' && q.path === `/api/v4/hooks/outgoing/${activated.id}`);
			assert(deletes.length === 1, `expected 1 DELETE /hooks/outgoing/${activated.id}, saw ${deletes.length}`, hooksRequests(from).map((q) => `${q.method} ${q.path}`));
			const res = await fetch(`${mm.apiUrl}/hooks/outgoing?team_id=${seed.team.id}`, { headers: { authorization: `Bearer ${seed.tokens.admin}` } });
			const listed = await res.json();
			assert(res.status === 200 && Array.isArray(listed) && listed.length === 0, `GET /hooks/outgoing?team_id lists ${JSON.stringify(listed)}`);
			const calls = mm.integrationCalls.length;
			await lab.postAs(mm, seed.tokens.alice, channel.id, 'deploy again');
			await mm.integrationsSettled();
			assert(mm.integrationCalls.length === calls, 'a post still fired the hook', mm.integrationCalls.slice(calls));
			const gone = await fetch(created.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await gone.text();
			assert(gone.status === 404, `the production URL answers ${gone.status} after deactivation, expected 404`);
			// With MATTERMOST_OPENAPI set (as .ci/run does) the fake checks requests against the spec.
			const violations = mm.contractViolations.filter((v) => v.path.startsWith('/api/v4/hooks/'));
			assert(violations.length === 0, 'the node\'s /hooks/outgoing requests break the API contract', violations);
			log(`  hook ${activated.id} deleted; production URL → 404`);
		},
		{ needs: [activated] },
	);
}

/**
 * One workflow holds a Manual Trigger → Mattermost Suite (Message > Post with a button whose clicks
 * go to "Mattermost Suite Trigger in This Workflow") and a Mattermost Suite Trigger with Source
 * Interactive Action and a secret. n8n must serve the trigger at the URL derived from the workflow's
 * ID and the secret, a manual run must fill that URL and the secret into the button from the
 * workflow's definition (no static data involved: a queue-mode worker would have none), and a click
 * in the fake Mattermost must reach n8n, run the workflow and update the message. After
 * deactivation a click is no longer answered and starts nothing.
 */
async function buttonsSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const { server, rest } = await ensureServer(t, ctx);
	const channel = seed.channels.townSquare;
	const secret = `e2e-button-${crypto.randomBytes(6).toString('hex')}`;
	const clickApprove = (postId) =>
		fetch(`${mm.apiUrl}/posts/${postId}/actions/Approve`, {
			method: 'POST',
			headers: { authorization: `Bearer ${seed.tokens.alice}`, 'content-type': 'application/json' },
			body: '{}',
		});

	const created = await t.step(
		'buttons: create credential (bot token) + workflow (Manual Trigger → Post with a button; Interactive Action trigger with a secret)',
		async () => {
			const cred = await rest.post('/rest/credentials', lab.credentialFixture({ name: 'E2E bot (buttons)', baseUrl: mm.url, accessToken: seed.tokens.bot }));
			const credential = { id: cred?.data?.id, name: cred?.data?.name };
			assert(credential.id, 'POST /rest/credentials answered no id', cred);
			const webhookId = crypto.randomUUID();
			const workflow = await lab.createWorkflow(rest, lab.buttonsWorkflowFixture({ name: 'E2E buttons', webhookId, channelId: channel.id, secret, credential }));
			assert(workflow.versionId, 'POST /rest/workflows answered no versionId', workflow);
			// Computed here on its own: the workflow ID and a digest of "<workflow ID>:<secret>".
			const digest = crypto.createHash('sha256').update(`${workflow.id}:${secret}`).digest('hex').slice(0, 32);
			const url = `${server.url}/webhook/mattermost-suite/${workflow.id}/${digest}`;
			log(`  workflow ${workflow.id}, trigger production URL ${url}`);
			return { workflow, url };
		},
		{ needs: [rest] },
	);

	const activated = await t.step(
		'buttons: activate → n8n serves the trigger at the derived URL (a call without the secret gets 401); no static data is written',
		async () => {
			const wf = await lab.activateWorkflow(rest, created.workflow.id, created.workflow.versionId);
			assert(wf && wf.active === true, 'the workflow is not active after POST /activate', wf && { active: wf.active });
			let status;
			await lab.waitUntil(
				async () => {
					const res = await fetch(created.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					status = res.status;
					await res.text();
					return status === 401;
				},
				{
					timeoutMs: 20000,
					what: 'the trigger answering at the derived URL',
					explain: async () => ({ status, activationError: await lab.activationError(rest, created.workflow.id) }),
				},
			);
			const staticData = (await rest.get(`/rest/workflows/${created.workflow.id}`))?.data?.staticData;
			assert(!staticData || Object.keys(staticData).length === 0, 'activation wrote static data', staticData);
			return true;
		},
		{ needs: [created] },
	);

	const posted = await t.step(
		'buttons: a manual run posts the message; its button carries the derived production URL and the secret',
		async () => {
			const executionId = await lab.runWorkflow(rest, created.workflow.id, lab.MANUAL_TRIGGER);
			const ex = await lab.waitForExecution(rest, executionId);
			const { items, error } = lab.nodeOutput(ex.data, lab.POST_NODE);
			assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, error || lab.executionErrorText(ex));
			const post = mm.state.posts.get(items[0]?.id);
			assert(post && post.channel_id === channel.id, 'the fake holds no such post in Town Square', items);
			const [action] = post.props.attachments[0].actions;
			assert(action.id === 'Approve' && action.style === 'primary', 'the button differs', action);
			assert(action.integration.url === created.url, `the button points at ${action.integration.url}, not ${created.url}`);
			const context = action.integration.context;
			assert(context.secret === secret && context.build === 42 && context.action === 'Approve', 'the button context differs', { ...context, secret: context.secret === secret ? 'ok' : context.secret });
			log(`  post ${bold(post.id)}: button → ${action.integration.url}`);
			return post;
		},
		{ needs: [activated] },
	);

	const clicked = await t.step(
		'buttons: alice clicks Approve → n8n runs the trigger (webhook execution) and the message is updated',
		async () => {
			const before = (await lab.listExecutions(rest, created.workflow.id)).length;
			const res = await clickApprove(posted.id);
			const body = await res.json();
			assert(res.status === 200, `the click answered ${res.status}`, body);
			const after = await lab.waitForExecutions(rest, created.workflow.id, before + 1);
			const webhookRun = after.find((e) => e.mode === 'webhook');
			assert(webhookRun, 'no webhook execution', after.map((e) => ({ id: e.id, mode: e.mode })));
			const ex = await lab.waitForExecution(rest, webhookRun.id);
			const { items, error } = lab.nodeOutput(ex.data, lab.TRIGGER_NODE);
			assert(ex.status === 'success', `execution ${webhookRun.id}: ${ex.status}`, error);
			const item = items[0];
			assert(item.user_name === seed.alice.username && item.post_id === posted.id, 'the trigger item differs', item);
			assert(JSON.stringify(item.context) === JSON.stringify({ build: 42, action: 'Approve' }), 'the context differs (or carries the secret)', item.context);
			const message = mm.state.posts.get(posted.id).message;
			assert(message === `Approved by @${seed.alice.username}`, `the message is "${message}"`);
			log(`  execution ${webhookRun.id}: context ${JSON.stringify(item.context)}; message now "${message}"`);
		},
		{ needs: [posted] },
	);

	await t.step(
		'buttons: deactivate → a manual run still posts the button, but its click is not answered (Mattermost reports an integration error) and starts nothing',
		async () => {
			await lab.deactivateWorkflow(rest, created.workflow.id);
			await lab.waitUntil(
				async () => {
					const res = await fetch(created.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					await res.text();
					return res.status === 404;
				},
				{ timeoutMs: 20000, what: 'the derived URL answering 404 after deactivation' },
			);
			const executionId = await lab.runWorkflow(rest, created.workflow.id, lab.MANUAL_TRIGGER);
			const ex = await lab.waitForExecution(rest, executionId);
			const { items, error } = lab.nodeOutput(ex.data, lab.POST_NODE);
			assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, error || lab.executionErrorText(ex));
			const before = (await lab.listExecutions(rest, created.workflow.id)).length;
			const res = await clickApprove(items[0].id);
			const body = await res.json();
			assert(res.status === 400, `the click answered ${res.status}`, body);
			await lab.sleep(1500); // an execution, if one started, shows up within this
			const after = (await lab.listExecutions(rest, created.workflow.id)).length;
			assert(after === before, `executions went from ${before} to ${after}`);
			log(`  click → ${res.status} ${body.id || body.message}`);
		},
		{ needs: [clicked] },
	);
}

const SUITES = {
	cli: cliSuite, server: serverSuite, oauth: oauthSuite, trigger: triggerSuite, buttons: buttonsSuite,
	compat: require('./e2e/compat'),
	'regen-token': require('./e2e/regen-token'),
	'error-output': require('./e2e/error-output'),
	'send-and-wait': require('./e2e/send-and-wait'),
	events: require('./e2e/events'),
	idempotency: require('./e2e/idempotency'),
	files: require('./e2e/files'),
};

/** The suites that run on n8n 1.x too (the smoke checks of what users of that line need); E2E_ONLY can name others. */
const N8N1_SUITES = ['server', 'trigger', 'compat'];

/** The n8n versions of the matrix: the default line first, then the 1.x users still run. */
const N8N_VERSIONS = (process.env.E2E_N8N_VERSIONS || `${lab.DEFAULT_N8N_VERSION},1.123.81`)
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

// For the suites in scripts/e2e/ (they require this module once it has loaded).
module.exports = { ensureServer, postAs: lab.postAs, waitForExecutions: lab.waitForExecutions, executionErrorText: lab.executionErrorText };

// ---------------------------------------------------------------------------------------------

/** The runner `t` with every step title prefixed by the n8n version, e.g. "[n8n 1.123.81] server: …". */
function versionRunner(t, version) {
	const prefix = (title) => `[n8n ${version}] ${title}`;
	return {
		results: t.results,
		get failed() {
			return t.failed;
		},
		step: (title, fn, options) => t.step(prefix(title), fn, options),
		fail: (title, error) => t.fail(prefix(title), error),
		summary: () => {
			const own = t.results.filter((r) => r.title.startsWith(prefix('')));
			const count = (status) => own.filter((r) => r.status === status).length;
			return `e2e n8n ${version}: ${count('passed')} passed, ${count('failed')} failed${count('skipped') ? ` (${count('skipped')} skipped)` : ''}`;
		},
	};
}

/**
 * One column of the matrix: this n8n (installed once, cached), a fresh user folder with the
 * tarball, a fresh fake Mattermost, then the suites this version runs, on one `n8n start`.
 */
async function runVersion(t, version, run) {
	const ctx = { logs: run.logs, version, tarball: run.tarball, work: path.join(run.work, `n8n-${version}`) };
	fs.mkdirSync(ctx.work, { recursive: true });
	log(bold(`— n8n ${version}`));
	ctx.install = await t.step(`install n8n ${version} and the Node it needs (cached in ~/.cache)`, async () => {
		const started = Date.now();
		const i = await lab.ensureN8n({ version });
		log(`  n8n ${i.version} on ${path.basename(path.dirname(path.dirname(i.nodeBinDir)))} in ${i.n8nDir} (${lab.secs(Date.now() - started)})`);
		return i;
	});
	if (!ctx.install) return;

	const watchdog = setTimeout(() => {
		t.fail(`n8n ${version}: all suites within E2E_TIMEOUT_S=${TIMEOUT_S} s`, new Error('timed out'));
		run.printLogs();
		lab.cleanup().finally(() => {
			console.log(lab.red(t.summary()));
			process.exit(1);
		});
	}, TIMEOUT_S * 1000);

	const folder = await t.step(
		'install the tarball as a community package (.n8n/nodes/node_modules)',
		async () => {
			const f = await lab.createUserFolder({ tarball: ctx.tarball, dir: path.join(ctx.work, 'user') });
			const pj = JSON.parse(fs.readFileSync(path.join(f.packageDir, 'package.json'), 'utf8'));
			const listed = [...(pj.n8n?.nodes || []), ...(pj.n8n?.credentials || [])];
			assert(listed.length >= 2, 'the packed package.json has no n8n nodes/credentials', pj.n8n);
			const absent = listed.filter((p) => !fs.existsSync(path.join(f.packageDir, p)));
			assert(!absent.length, `the tarball lacks files its package.json lists: ${absent.join(', ')}`);
			ctx.userFolder = f.userFolder;
			return f;
		},
		{ needs: [ctx.tarball] },
	);

	ctx.fake = await t.step('start + seed the fake Mattermost (in-process)', async () => {
		const fake = await lab.startFakeMattermost();
		const ch = fake.seed.channels.townSquare;
		ctx.channel = ch;
		log(`  ${fake.mm.url}, channel ${ch.name} (${ch.id}), bot @${fake.seed.bot.username || fake.seed.bot.id}`);
		return fake;
	});

	const ready = Boolean(folder && ctx.fake);
	for (const [name, suite] of Object.entries(SUITES)) {
		if (run.only.length && !run.only.includes(name)) continue;
		if (ctx.install.major < 2 && !N8N1_SUITES.includes(name) && !run.only.includes(name)) continue;
		if (!ready) {
			await t.step(`suite ${name}`, () => {}, { needs: [false] });
			continue;
		}
		log(bold(`— n8n ${version}, suite: ${name}`));
		await suite(t, ctx);
	}

	// Each version's n8n takes about 700 MB: stopped before the next one starts.
	if (ctx.shared?.server) await t.step('server: stop n8n', () => ctx.shared.server.stop());
	clearTimeout(watchdog);
}

async function main() {
	const t = lab.createRunner('e2e');
	const run = { logs: [] };
	let printedLogs = false;
	run.printLogs = () => {
		if (printedLogs) return;
		printedLogs = true;
		for (const file of run.logs) {
			if (!fs.existsSync(file)) continue;
			console.log(`\n----- last lines of ${file}`);
			console.log(lab.tailFile(file, 80));
		}
	};
	lab.installSignalHandlers({ onSignal: run.printLogs });

	run.only = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
	const unknown = run.only.filter((s) => !SUITES[s]);
	if (unknown.length) throw new Error(`unknown suite(s) in E2E_ONLY: ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})`);
	const badVersions = N8N_VERSIONS.filter((v) => !/^\d+\.\d+\.\d+$/.test(v));
	if (badVersions.length || !N8N_VERSIONS.length) {
		throw new Error(`E2E_N8N_VERSIONS must list exact n8n versions, e.g. 2.41.1,1.123.81 (got ${process.env.E2E_N8N_VERSIONS})`);
	}

	log(bold(`e2e for ${lab.PACKAGE_NAME}@${lab.PACKAGE_VERSION} on n8n ${N8N_VERSIONS.join(', ')}`));
	const given = process.env.MM_SUITE_TARBALL;
	const built = given
		? true
		: await t.step('build if dist/ is missing or stale', async () => {
				const r = await lab.ensureBuilt();
				if (!r.built) log('  dist/ is up to date');
			});

	run.work = lab.makeTempDir('mm-suite-e2e');
	log(`  work folder ${run.work}`);
	run.tarball = await t.step(
		given ? 'the tarball in MM_SUITE_TARBALL' : 'npm pack',
		async () => {
			const tarball = await lab.packageTarball(path.join(run.work, 'pack'));
			log(`  ${tarball} (${(fs.statSync(tarball).size / 1024).toFixed(1)} KiB)`);
			return tarball;
		},
		{ needs: [built] },
	);

	for (const version of N8N_VERSIONS) await runVersion(versionRunner(t, version), version, run);

	if (t.failed) run.printLogs();
	await lab.cleanup();
	console.log(`\n${lab.secs(process.uptime() * 1000)} total`);
	for (const version of N8N_VERSIONS) console.log(versionRunner(t, version).summary());
	const line = t.summary();
	console.log(t.failed ? lab.red(line) : lab.green(line));
	process.exit(t.failed ? 1 : 0);
}

main().catch(async (err) => {
	console.error(lab.red('e2e: crashed:'), (err && err.stack) || err);
	await lab.cleanup();
	console.log('e2e: 0 passed, 1 failed');
	process.exit(1);
});
