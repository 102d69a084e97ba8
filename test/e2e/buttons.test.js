'use strict';
/**
 * Suite buttons: one workflow holds a Manual Trigger → Mattermost Suite (Message > Post with a
 * button whose clicks go to "Mattermost Suite Trigger in This Workflow") and a Mattermost Suite
 * Trigger with Source Interactive Action and a secret. n8n must serve the trigger at the URL
 * derived from the workflow's ID and the secret, a manual run must fill that URL and the secret
 * into the button from the workflow's definition (no static data involved: a queue-mode worker
 * would have none), and a click in the fake Mattermost must reach n8n, run the workflow and update
 * the message. After deactivation a click is no longer answered and starts nothing.
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const ctx = e2e.suite('buttons');
let mm;
let seed;
let channel;
let server;
let rest;
ctx.before(() => ({ mm, seed, channel, server, rest } = ctx));
const secret = `e2e-button-${crypto.randomBytes(6).toString('hex')}`;
const clickApprove = (postId) =>
	fetch(`${mm.apiUrl}/posts/${postId}/actions/Approve`, {
		method: 'POST',
		headers: { authorization: `Bearer ${seed.tokens.alice}`, 'content-type': 'application/json' },
		body: '{}',
	});

const created = ctx.step(
	'buttons: create credential (bot token) + workflow (Manual Trigger → Post with a button; Interactive Action trigger with a secret)',
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E bot (buttons)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const webhookId = crypto.randomUUID();
		const workflow = await lab.createWorkflow(rest, lab.buttonsWorkflowFixture({ name: 'E2E buttons', webhookId, channelId: channel.id, secret, credential }));
		assert(workflow.versionId, 'POST /rest/workflows answered no versionId', workflow);
		// Computed here on its own: the workflow ID and a digest of "<workflow ID>:<secret>".
		const digest = crypto.createHash('sha256').update(`${workflow.id}:${secret}`).digest('hex').slice(0, 32);
		const url = `${server.url}/webhook/mattermost-suite/${workflow.id}/${digest}`;
		log(`  workflow ${workflow.id}, trigger production URL ${url}`);
		return { workflow, url };
	},
);

const activated = ctx.step(
	'buttons: activate → n8n serves the trigger at the derived URL (a call without the secret gets 401); no static data is written',
	async (created) => {
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

const posted = ctx.step(
	'buttons: a manual run posts the message; its button carries the derived production URL and the secret',
	async (created) => {
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
	{ needs: [created, activated] },
);

const clicked = ctx.step(
	'buttons: alice clicks Approve → n8n runs the trigger (webhook execution) and the message is updated',
	async (created, posted) => {
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
	{ needs: [created, posted] },
);

ctx.step(
	'buttons: deactivate → a manual run still posts the button, but its click is not answered (Mattermost reports an integration error) and starts nothing',
	async (created) => {
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
	{ needs: [created, clicked] },
);
