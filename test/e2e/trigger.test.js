'use strict';
/**
 * Suite trigger: the Mattermost Suite Trigger in production. Activates a workflow whose trigger
 * manages an outgoing webhook, checks the hook the node created in the fake, has the fake fire it
 * for a post by alice, checks the execution, refuses a call with a wrong token, and deactivates
 * (the hook must be deleted). The credential carries the admin's token: managing outgoing
 * webhooks needs team admin (the seeded bot is not).
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const ctx = e2e.suite('trigger');
let mm;
let seed;
let channel;
let server;
let rest;
ctx.before(() => ({ mm, seed, channel, server, rest } = ctx));
const live = () => [...mm.state.hooks.values()].filter((h) => h.delete_at === 0);
const hooksRequests = (from) => mm.requests.slice(from).filter((q) => q.path.startsWith('/api/v4/hooks/outgoing'));

const created = ctx.step(
	'trigger: create credential (admin token) + workflow (Outgoing Webhook, Town Square, "deploy") over REST',
	async () => {
		assert(live().length === 0, 'the fake already holds outgoing webhooks', live());
		const credential = await lab.createCredential(rest, { name: 'E2E admin (trigger)', baseUrl: mm.url, accessToken: seed.tokens.admin });
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
);

const activated = ctx.step(
	'trigger: activate → the fake holds exactly one outgoing hook pointing at n8n\'s production URL',
	async (created) => {
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

const fired = ctx.step(
	'trigger: alice posts "deploy now" in Town Square → the fake calls n8n once, HTTP 200',
	async (created, activated) => {
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
	{ needs: [created, activated] },
);

const execution = ctx.step(
	'trigger: one execution of the workflow succeeded with the post as its item',
	async (created, fired) => {
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
	{ needs: [created, fired] },
);

ctx.step(
	'trigger: a post not starting with "deploy" fires nothing',
	async (activated) => {
		const from = mm.integrationCalls.length;
		await lab.postAs(mm, seed.tokens.alice, channel.id, 'we should deploy later');
		await mm.integrationsSettled();
		assert(mm.integrationCalls.length === from, 'the fake called an integration', mm.integrationCalls.slice(from));
	},
	{ needs: [activated] },
);

ctx.step(
	'trigger: a call with a wrong token → 401 and no execution',
	async (created, fired) => {
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
	{ needs: [created, fired, execution] },
);

ctx.step(
	'trigger: deactivate → the hook is gone from the fake and posts fire nothing',
	async (created, activated) => {
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
	{ needs: [created, activated] },
);
