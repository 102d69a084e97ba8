'use strict';
/**
 * Suite compat: what the n8n lines do differently, checked on each n8n of the matrix. n8n 1.x
 * drops the HTTP status and headers of a failed request (its NodeApiError loses `cause`) and gives
 * a webhook's parameters no `$json`; the node must behave the same there as on 2.x:
 *  - a 429 is repeated after its Retry-After, and a Retry-After beyond Post's 30 s duplicate check
 *    is not waited out (the node can only know it from the header);
 *  - a refused token (401) and a missing channel (404) fail with the node's own sentences;
 *  - a trigger with a bad token fails to activate with a message about the token;
 *  - the Outgoing Webhook's Reply Text `{{ $json.text }}` is answered with the post's text.
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const POSTS = '/api/v4/posts';
const TRIGGER_WORD = 'ship';

const ctx = e2e.suite('compat');
let mm;
let seed;
let channel;
let rest;
ctx.before(() => ({ mm, seed, channel, rest } = ctx));
const postRequests = (from) => mm.requests.slice(from).filter((q) => q.method === 'POST' && q.path === POSTS);

const credential = (name, accessToken) => lab.createCredential(rest, { name, baseUrl: mm.url, accessToken });
/** Manual Trigger → Mattermost Suite with these parameters (Message > Post unless they say otherwise). */
const workflow = async (name, cred, parameters) => {
	const body = lab.postWorkflowFixture({ name, channelId: channel.id, message: '', credential: cred });
	const node = body.nodes.find((n) => n.name === lab.POST_NODE);
	node.parameters = { ...node.parameters, ...parameters };
	return lab.createWorkflow(rest, body);
};
const run = async (workflowId) => {
	const executionId = await lab.runWorkflow(rest, workflowId, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 90000 });
	return { executionId, ex, error: lab.nodeOutput(ex.data, lab.POST_NODE).error };
};

const bot = ctx.step('compat: create the bot credential over REST', () => credential('E2E bot (compat)', seed.tokens.bot));

ctx.step(
	'compat: 429 twice (Retry-After: 1) → the post is repeated and lands once',
	async (bot) => {
		const marker = `e2e-compat-429-${crypto.randomBytes(4).toString('hex')}`;
		const wf = await workflow('E2E compat: 429', bot, { message: `Rate limited, then posted (${marker})` });
		const from = mm.requests.length;
		mm.addFault({ method: 'POST', path: POSTS, status: 429, times: 2 });
		try {
			const { executionId, ex, error } = await run(wf.id);
			assert(ex.status === 'success', `execution ${executionId}: ${ex.status}`, error);
		} finally {
			mm.clearFaults();
		}
		const sent = postRequests(from);
		assert(sent.length === 3, `expected 3 POST ${POSTS} (two 429, then 201), saw ${sent.length}`);
		const pending = new Set(sent.map((q) => q.body?.pending_post_id));
		assert(pending.size === 1, 'the repeats did not carry the same pending_post_id', [...pending]);
		const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
		assert(posts.length === 1, `expected 1 post with ${marker}, found ${posts.length}`, posts);
		log(`  3 attempts, post ${bold(posts[0].id)}`);
	},
	{ needs: [bot] },
);

ctx.step(
	'compat: 429 with Retry-After: 60 → not waited out (Post\'s duplicate check lasts 30 s) and the error says so',
	async (bot) => {
		const marker = `e2e-compat-retry-after-${crypto.randomBytes(4).toString('hex')}`;
		const wf = await workflow('E2E compat: long Retry-After', bot, {
			message: `Never posted (${marker})`,
			requestOptions: { maxWaitSeconds: 120 },
		});
		const from = mm.requests.length;
		mm.addFault({ method: 'POST', path: POSTS, status: 429, headers: { 'Retry-After': '60' }, times: 1 });
		let result;
		try {
			result = await run(wf.id);
		} finally {
			mm.clearFaults();
		}
		const text = lab.executionErrorText(result.ex);
		log(`  execution ${result.executionId}: ${result.ex.status}: ${text}`);
		assert(result.ex.status === 'error', `execution status ${result.ex.status}: the node did not read Retry-After`);
		assert(/rate limit/i.test(text) && /duplicate check would have expired/.test(text), 'the error does not say why it was not repeated', text);
		assert(postRequests(from).length === 1, `expected 1 POST ${POSTS}, saw ${postRequests(from).length}`);
		assert(!mm.postsIn(channel.id).some((p) => String(p.message).includes(marker)), 'a post landed');
	},
	{ needs: [bot] },
);

ctx.step(
	'compat: a refused token (401) → the execution error says the access token is wrong',
	async () => {
		const bad = await credential('E2E bad token (compat)', 'not-a-valid-token-compat');
		const wf = await workflow('E2E compat: 401', bad, { message: 'never posted' });
		const { executionId, ex, error } = await run(wf.id);
		const text = lab.executionErrorText(ex);
		log(`  execution ${executionId}: ${ex.status}: ${text}`);
		assert(ex.status === 'error', `execution status ${ex.status}`);
		assert(String(error?.httpCode) === '401', `httpCode ${error?.httpCode}`, error);
		assert(/access token is wrong, expired or revoked/.test(text), 'the node\'s 401 sentence is missing', text);
	},
);

ctx.step(
	'compat: a missing channel (404) → the execution error says what was not found',
	async (bot) => {
		const missing = 'abcdefghijklmnopqrstuvwxyz';
		const wf = await workflow('E2E compat: 404', bot, {
			resource: 'channel',
			operation: 'get',
			channelId: lab.byId(missing),
			message: undefined,
		});
		const { executionId, ex, error } = await run(wf.id);
		const text = lab.executionErrorText(ex);
		log(`  execution ${executionId}: ${ex.status}: ${text}`);
		assert(ex.status === 'error', `execution status ${ex.status}`);
		assert(String(error?.httpCode) === '404', `httpCode ${error?.httpCode}`, error);
		assert(/Mattermost found no channel/.test(text) && text.includes(missing), 'the node\'s 404 sentence is missing', text);
	},
	{ needs: [bot] },
);

const live = () => [...mm.state.hooks.values()].filter((h) => h.delete_at === 0);
const triggerWorkflow = async (name, cred, extra) =>
	lab.createWorkflow(
		rest,
		lab.outgoingWebhookWorkflowFixture({
			name,
			webhookId: crypto.randomUUID(),
			teamId: seed.team.id,
			channelId: channel.id,
			triggerWords: TRIGGER_WORD,
			credential: cred,
			extra,
		}),
	);

ctx.step(
	'compat: a trigger with a refused token does not activate, and n8n shows a message about the token',
	async () => {
		const hooksBefore = live().length;
		const bad = await credential('E2E bad token (compat trigger)', 'not-a-valid-token-compat');
		const wf = await triggerWorkflow('E2E compat: trigger with a bad token', bad);
		let shown;
		try {
			// n8n 1.x answers the activation with the error; 2.x publishes, then records it.
			await lab.activateWorkflow(rest, wf.id, wf.versionId);
			assert(!lab.isN8n1(), 'n8n 1.x activated the workflow');
			const failed = await lab.waitUntil(
				async () => {
					const errors = await lab.publicationErrors(rest, wf.id);
					return errors?.length ? errors : undefined;
				},
				{ timeoutMs: 60000, what: 'the failed trigger in the publication status' },
			);
			shown = failed.join(' | ');
		} catch (error) {
			if (!(error instanceof lab.HttpError) || !lab.isN8n1()) throw error;
			shown = error.body?.message ?? error.body;
		} finally {
			await lab.deactivateWorkflow(rest, wf.id).catch(() => {});
		}
		log(`  n8n shows: ${JSON.stringify(shown)}`);
		assert(/access token/i.test(lab.stringify(shown)), 'the activation error does not name the access token', shown);
		assert(live().length === hooksBefore, 'a hook was created with a refused token', live());
	},
);

ctx.step(
	'compat: Outgoing Webhook with Reply Text "{{ $json.text }}" → Mattermost posts the reply; deactivation deletes the hook',
	async () => {
		const admin = await credential('E2E admin (compat)', seed.tokens.admin);
		const wf = await triggerWorkflow('E2E compat: reply text', admin, {
			outgoingWebhookOptions: { replyText: '=Shipping "{{ $json.text }}" for @{{ $json.user_name }}' },
		});
		const hooksBefore = live().length;
		await lab.activateWorkflow(rest, wf.id, wf.versionId);
		try {
			await lab.waitUntil(() => live().length === hooksBefore + 1, {
				timeoutMs: 20000,
				what: 'the outgoing hook in the fake',
				explain: async () => ({ activationError: await lab.activationError(rest, wf.id) }),
			});
			// The node keeps the hook's token in the static data; n8n 2.x saves it after creating the hook.
			const [hook] = live().slice(-1);
			await lab.waitUntil(async () => JSON.stringify((await rest.get(`/rest/workflows/${wf.id}`))?.data?.staticData ?? {}).includes(hook.token), {
				timeoutMs: 20000,
				what: 'the hook\'s token in the saved static data',
			});
			const from = mm.integrationCalls.length;
			const post = await lab.postAs(mm, seed.tokens.alice, channel.id, `${TRIGGER_WORD} it now`);
			await mm.integrationsSettled();
			const [call] = mm.integrationCalls.slice(from);
			assert(call && call.status === 200, `n8n answered HTTP ${call?.status}`, call);
			const expected = `Shipping "${TRIGGER_WORD} it now" for @${seed.alice.username}`;
			const answer = JSON.parse(call.responseText);
			assert(answer.text === expected && answer.response_type === 'comment', 'the answer differs', { answer, expected });
			const reply = mm.postsIn(channel.id).find((p) => p.root_id === post.id && p.message === expected);
			assert(reply, 'Mattermost holds no reply in the thread of the post');
			const [summary] = await lab.waitForExecutions(rest, wf.id, 1);
			const ex = await lab.waitForExecution(rest, summary.id);
			assert(ex.status === 'success', `execution ${summary.id}: ${ex.status}`, ex.data?.resultData?.error);
			log(`  reply ${bold(reply.id)}: ${JSON.stringify(reply.message)}`);
		} finally {
			await lab.deactivateWorkflow(rest, wf.id);
		}
		await lab.waitUntil(() => live().length === hooksBefore, { timeoutMs: 20000, what: 'the hook deleted after deactivation' });
	},
);
