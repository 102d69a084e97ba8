'use strict';
/**
 * Suite regen-token: a managed outgoing webhook whose token an admin regenerates in Mattermost
 * keeps working in a real n8n. The workflow is activated, the fake regenerates the hook's token
 * (`POST /hooks/outgoing/{id}/regen_token`), and a post must still start an execution: the node
 * re-reads the token once and stores it in the workflow's static data, which n8n saves after the
 * webhook call. Calls with a forged token right after get 401, start nothing, and ask Mattermost
 * nothing (the saved time of the last re-read holds them off for 30 s). Deactivation deletes the
 * hook.
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const TRIGGER_WORD = 'rotate';

const ctx = e2e.suite('regen-token');
let mm;
let seed;
let channel;
let server;
let rest;
ctx.before(() => ({ mm, seed, channel, server, rest } = ctx));
const hookReads = (hookId, from) =>
	mm.requests.slice(from).filter((q) => q.method === 'GET' && q.path === `/api/v4/hooks/outgoing/${hookId}`);
const savedStaticData = async (workflowId) => (await rest.get(`/rest/workflows/${workflowId}`))?.data?.staticData;

const created = ctx.step(
	`regen-token: create credential (admin token) + workflow (Outgoing Webhook, Town Square, "${TRIGGER_WORD}") over REST`,
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E admin (regen-token)', baseUrl: mm.url, accessToken: seed.tokens.admin });
		const webhookId = crypto.randomUUID();
		const workflow = await lab.createWorkflow(
			rest,
			lab.outgoingWebhookWorkflowFixture({
				name: 'E2E regen-token: outgoing webhook',
				webhookId,
				teamId: seed.team.id,
				channelId: channel.id,
				triggerWords: TRIGGER_WORD,
				credential,
			}),
		);
		return { workflow, url: lab.productionWebhookUrl(server.url, webhookId) };
	},
);

const activated = ctx.step(
	'regen-token: activate → the node creates the hook pointing at the production URL',
	async (created) => {
		await lab.activateWorkflow(rest, created.workflow.id, created.workflow.versionId);
		let hook;
		await lab.waitUntil(
			() => (hook = [...mm.state.hooks.values()].find((h) => h.delete_at === 0 && h.callback_urls.includes(created.url))),
			{ timeoutMs: 20000, what: 'the outgoing hook in the fake', explain: () => lab.activationError(rest, created.workflow.id) },
		);
		log(`  hook ${bold(hook.id)} → ${created.url}`);
		return hook;
	},
	{ needs: [created] },
);

const regenerated = ctx.step(
	'regen-token: an admin regenerates the hook\'s token in Mattermost (POST /hooks/outgoing/{id}/regen_token)',
	async (activated) => {
		const oldToken = activated.token;
		const res = await fetch(`${mm.apiUrl}/hooks/outgoing/${activated.id}/regen_token`, {
			method: 'POST',
			headers: { authorization: `Bearer ${seed.tokens.admin}` },
		});
		const body = await res.json();
		assert(res.status === 200, `regen_token answered ${res.status}`, body);
		const newToken = mm.state.hooks.get(activated.id).token;
		assert(newToken && newToken !== oldToken, 'the token did not change');
		return { oldToken, newToken };
	},
	{ needs: [activated] },
);

const fired = ctx.step(
	`regen-token: alice posts "${TRIGGER_WORD} now" → n8n answers 200 after exactly one re-read, and an execution ran`,
	async (created, activated) => {
		const fromRequests = mm.requests.length;
		const fromCalls = mm.integrationCalls.length;
		const post = await lab.postAs(mm, seed.tokens.alice, channel.id, `${TRIGGER_WORD} now`);
		await mm.integrationsSettled();
		const calls = mm.integrationCalls.slice(fromCalls).filter((c) => c.source_id === activated.id);
		assert(calls.length === 1, `expected 1 call of the hook, saw ${calls.length}`, calls);
		assert(calls[0].status === 200, `n8n answered HTTP ${calls[0].status}`, { response: calls[0].responseText, error: calls[0].error });
		const reads = hookReads(activated.id, fromRequests);
		assert(reads.length === 1, `expected 1 GET /hooks/outgoing/${activated.id}, saw ${reads.length}`);
		const [summary] = await lab.waitForExecutions(rest, created.workflow.id, 1);
		const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 30000 });
		const { items, error } = lab.nodeOutput(ex.data, lab.TRIGGER_NODE);
		assert(ex.status === 'success', `execution ${summary.id}: status ${ex.status}`, error);
		assert(items.length === 1 && items[0].post_id === post.id && items[0].text === `${TRIGGER_WORD} now`, 'the item differs', items);
		log(`  call → ${calls[0].status}; 1 re-read; execution ${summary.id}: ${ex.status}`);
		return { post, call: calls[0] };
	},
	{ needs: [created, activated, regenerated] },
);

const saved = ctx.step(
	'regen-token: n8n saved the new token and the re-read time in the workflow\'s static data',
	async (created, regenerated) => {
		let staticData;
		await lab.waitUntil(
			async () => {
				staticData = await savedStaticData(created.workflow.id);
				return staticData?.[`node:${lab.TRIGGER_NODE}`]?.hookToken === regenerated.newToken;
			},
			{ timeoutMs: 10000, what: 'the new token in the saved static data', explain: () => staticData },
		);
		assert(typeof staticData.global?.mattermostSuiteTokenRereadAt === 'number', 'no re-read time in the saved static data', staticData.global);
		return staticData;
	},
	{ needs: [created, regenerated, fired] },
);

ctx.step(
	'regen-token: forged calls → 401 each, no execution, no further re-read (within 30 s of the last)',
	async (created, activated, regenerated, fired) => {
		const before = (await lab.listExecutions(rest, created.workflow.id)).length;
		const fromRequests = mm.requests.length;
		const payload = JSON.parse(fired.call.body);
		for (const token of ['forged-1', 'forged-2', 'forged-3', regenerated.oldToken]) {
			const res = await fetch(created.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...payload, token }) });
			const text = await res.text();
			assert(res.status === 401, `a forged call was answered ${res.status}`, text);
		}
		await lab.sleep(1500); // an execution, if one started, shows up within this
		const after = await lab.listExecutions(rest, created.workflow.id);
		assert(after.length === before, `executions went from ${before} to ${after.length}`);
		const reads = hookReads(activated.id, fromRequests);
		assert(reads.length === 0, `forged calls made ${reads.length} GET /hooks/outgoing/${activated.id}`);
		log(`  4 forged calls → 401; executions still ${after.length}; 0 re-reads`);
	},
	{ needs: [created, activated, regenerated, fired, saved] },
);

ctx.step(
	'regen-token: deactivate → the hook is deleted',
	async (created, activated) => {
		await lab.deactivateWorkflow(rest, created.workflow.id);
		await lab.waitUntil(() => mm.state.hooks.get(activated.id).delete_at > 0, { timeoutMs: 20000, what: 'the hook deleted' });
		const violations = mm.contractViolations.filter((v) => v.path.startsWith('/api/v4/hooks/'));
		assert(violations.length === 0, 'the node\'s /hooks/outgoing requests break the API contract', violations);
	},
	{ needs: [created, activated] },
);
