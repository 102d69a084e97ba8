'use strict';
/**
 * Suite send-and-wait: Message > Send and Wait for Response in a real n8n, answered in the fake
 * Mattermost. It runs its own n8n (own user folder) because it stops and starts it again while
 * an execution waits. Workflows: Webhook → Mattermost Suite (sendAndWait) → Result (No Op),
 * active, so every execution is a production one as in real use.
 *
 * Checks: n8n lists `<type>HitlTool`; an approval waits and alice's click resumes it with
 * approved true (the post shows the decision); bob's Decline gives approved false; forged calls
 * (no or wrong signature) get 401 and the execution keeps waiting; free text and a form answered
 * through the dialog; a 1-minute limit runs out (timedOut true, post id); n8n restarted while an
 * execution waits, then a click still resumes it.
 */
const crypto = require('node:crypto');
const path = require('node:path');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const ASK = 'Ask';
const RESULT = 'Result';

function workflowFixture({ name, webhookPath, credential, channelId, parameters }) {
	const ask = {
		resource: 'message',
		operation: 'sendAndWait',
		channelId: lab.byId(channelId),
		message: '=Deploy build {{ $json.body.build }}?',
		...parameters,
	};
	return lab.workflowOf({
		name,
		nodes: [
			lab.webhookNode(webhookPath),
			lab.workflowNode(ASK, lab.NODE_TYPE, [220, 0], ask, { credentials: lab.credentialRef(credential) }),
			lab.workflowNode(RESULT, 'n8n-nodes-base.noOp', [440, 0]),
		],
		links: { Webhook: ASK, [ASK]: RESULT },
	});
}


/**
 * A scripted OpenAI-compatible chat model: its first answer calls the first tool it is offered,
 * with "6*7"; once a tool result is in the conversation it answers with that result. Streams
 * when asked to. Every request body is kept in `requests`.
 */
async function scriptedModel() {
	const http = require('node:http');
	const requests = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const body = raw ? JSON.parse(raw) : {};
			requests.push({ path: req.url, body });
			if (!req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				return res.end('{"error":{"message":"not here"}}');
			}
			const toolResult = (body.messages || []).find((m) => m.role === 'tool');
			const tool = (body.tools || [])[0]?.function;
			let message;
			if (toolResult || !tool) {
				message = { role: 'assistant', content: `The answer is ${toolResult ? String(toolResult.content) : 'unknown'}.` };
			} else {
				const properties = Object.keys(tool.parameters?.properties || { input: {} });
				const args = Object.fromEntries(properties.map((name) => [name, '6*7']));
				message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_hitl_1', type: 'function', function: { name: tool.name, arguments: JSON.stringify(args) } }] };
			}
			const finish = message.tool_calls ? 'tool_calls' : 'stop';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model || 'scripted' };
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const delta = message.tool_calls
					? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
					: { role: 'assistant', content: message.content };
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
				return res.end('data: [DONE]\n\n');
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	lab.onCleanup(() => new Promise((resolve) => server.close(resolve)));
	return { url: `http://127.0.0.1:${server.address().port}/v1`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Webhook → AI Agent (scripted model) whose Calculator tool is gated by our HitlTool. */
function agentWorkflowFixture({ webhookPath, credential, openAiCredential, channelId }) {
	const ask = {
		resource: 'message',
		operation: 'sendAndWait',
		responseType: 'approval',
		channelId: lab.byId(channelId),
		message: '=The agent wants to run {{ $tool.name }} with {{ $tool.parameters }}',
	};
	const workflow = lab.workflowOf({
		name: 'E2E send and wait: AI agent human review',
		nodes: [
			lab.webhookNode(webhookPath),
			lab.workflowNode('AI Agent', '@n8n/n8n-nodes-langchain.agent', [220, 0], { promptType: 'define', text: 'What is 6 times 7? Use the calculator.', options: {} }, { typeVersion: 3.1 }),
			lab.workflowNode('Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', [120, 200], { model: lab.byId('scripted-model'), options: {} }, { typeVersion: 1.2, credentials: lab.credentialRef(openAiCredential, 'openAiApi') }),
			lab.workflowNode('Calculator', '@n8n/n8n-nodes-langchain.toolCalculator', [420, 400]),
			lab.workflowNode('Ask in Mattermost', `${lab.NODE_TYPE}HitlTool`, [420, 200], ask, { credentials: lab.credentialRef(credential) }),
		],
		links: { Webhook: 'AI Agent' },
	});
	// The model and the tools reach the agent over n8n's AI connections, not main ones.
	Object.assign(workflow.connections, {
		Model: { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		Calculator: { ai_tool: [[{ node: 'Ask in Mattermost', type: 'ai_tool', index: 0 }]] },
		'Ask in Mattermost': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	});
	return workflow;
}

const ctx = e2e.suite('send-and-wait', { n8n: false });
let mm;
let seed;
let channel;
ctx.before(() => ({ mm, seed, channel } = ctx));
const encryptionKey = `e2e-sw-${crypto.randomBytes(12).toString('hex')}`;
let userFolder;
const state = { server: undefined, rest: undefined };

const start = async (port) => {
	state.server = await lab.startN8n({
		userFolder,
		port,
		encryptionKey,
		logFile: path.join(ctx.work, 'n8n-send-and-wait.log'),
		env: { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`, N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/` },
	});
	return state.server;
};

const ready = ctx.step('send-and-wait: own user folder + n8n start + owner', async () => {
	userFolder = path.join(ctx.work, 'user-send-and-wait');
	await lab.createUserFolder({ tarball: await ctx.tarball(), dir: userFolder });
	await start(await lab.freePort());
	ctx.logs.push(state.server.logFile);
	state.rest = await lab.setupOwner(state.server.url);
	log(`  n8n at ${state.server.url}`);
	return true;
});

ctx.step(
	'send-and-wait: /types/nodes.json lists the node as a human-review tool (HitlTool)',
	async (ready) => {
		const types = await state.rest.get('/types/nodes.json');
		const list = Array.isArray(types) ? types : types?.data;
		const hitl = list.find((type) => type.name === `${lab.NODE_TYPE}HitlTool`);
		assert(hitl, `no ${lab.NODE_TYPE}HitlTool in /types/nodes.json`);
		const operation = hitl.properties.find((p) => p.name === 'operation');
		const responseType = hitl.properties.find((p) => p.name === 'responseType');
		assert(operation?.default === 'sendAndWait' && responseType?.default === 'approval', 'the tool does not fix operation/responseType', { operation, responseType });
		log(`  ${hitl.name}: "${hitl.description}", subtitle "${hitl.subtitle}"`);
	},
	{ needs: [ready] },
);

const setup = ctx.step(
	'send-and-wait: credential + 4 active workflows (approval, free text, form, approval with a 1-minute limit)',
	async (ready) => {
		const credential = await lab.createCredential(state.rest, { name: 'E2E bot (send and wait)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const variants = {
			approval: { responseType: 'approval', approvalOptions: { values: { approvalType: 'double' } } },
			freeText: { responseType: 'freeText' },
			form: {
				responseType: 'form',
				formFields: {
					values: [
						{ fieldLabel: 'Reason', fieldType: 'text', requiredField: true },
						{ fieldLabel: 'Copies', fieldType: 'number' },
						{ fieldLabel: 'Environment', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'staging' }, { option: 'production' }] } },
					],
				},
			},
			limited: { responseType: 'approval', options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'minutes' } } } },
		};
		const workflows = {};
		for (const [key, parameters] of Object.entries(variants)) {
			const webhookPath = `sw-${key}-${crypto.randomBytes(4).toString('hex')}`;
			const workflow = await lab.createWorkflow(state.rest, workflowFixture({ name: `E2E send and wait: ${key}`, webhookPath, credential, channelId: channel.id, parameters }));
			await lab.activateWorkflow(state.rest, workflow.id, workflow.versionId);
			workflows[key] = { id: workflow.id, webhookPath };
		}
		return workflows;
	},
	{ needs: [ready] },
);

/** Starts a workflow through its Webhook; resolves the waiting execution and the question post. */
const ask = async (key, build) => {
	const workflow = (await setup())[key];
	const before = new Set(mm.postsIn(channel.id).map((p) => p.id));
	const executionsBefore = (await lab.listExecutions(state.rest, workflow.id)).length;
	await lab.waitUntil(
		async () => (await fetch(`${state.server.url}/webhook/${workflow.webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ build }) })).ok,
		{ timeoutMs: 20000, what: `the production webhook of ${key}` },
	);
	let post;
	await lab.waitUntil(() => (post = mm.postsIn(channel.id).find((p) => !before.has(p.id) && p.message === `Deploy build ${build}?`)), { timeoutMs: 20000, what: 'the question post' });
	let execution;
	await lab.waitUntil(
		async () => {
			const list = await lab.listExecutions(state.rest, workflow.id);
			execution = list.length > executionsBefore ? list[0] : undefined;
			return execution && execution.status === 'waiting';
		},
		{ timeoutMs: 20000, what: `a waiting execution of ${key}`, explain: () => execution },
	);
	return { post, executionId: execution.id };
};

const resultOf = async (executionId) => {
	const ex = await lab.waitForExecution(state.rest, executionId, { timeoutMs: 90000 });
	const { items, error } = lab.nodeOutput(ex.data, RESULT);
	assert(ex.status === 'success', `execution ${executionId}: ${ex.status}`, error);
	return items;
};

const click = async (user, postId, actionId) => {
	const res = await fetch(`${mm.url}/__fake/click`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, post_id: postId, action_id: actionId }) });
	return { status: res.status, body: await res.json() };
};
const submit = async (user, submission) => {
	const res = await fetch(`${mm.url}/__fake/dialogs/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, submission }) });
	return res.json();
};
const statusOf = async (executionId) => (await state.rest.get(`/rest/executions/${executionId}`))?.data?.status;

// Started first: n8n's wait tracker looks for due executions once a minute.
const limited = ctx.step('send-and-wait: a question with a 1-minute limit is posted and waits', () => ask('limited', 7), { needs: [setup] });

ctx.step(
	'send-and-wait: alice clicks Approve → the execution resumes with approved true; the post shows the decision',
	async (setup) => {
		const { post, executionId } = await ask('approval', 42);
		const actions = post.props.attachments[0].actions;
		assert(actions.map((a) => a.id).join() === 'approve,decline', 'the buttons differ', actions);
		const url = new URL(actions[0].integration.url);
		assert(url.pathname === `/webhook-waiting/${executionId}/${encodeURIComponent(url.pathname.split('/').pop())}` && url.searchParams.get('signature'), 'the button URL is not the signed resume URL', url.href);
		const answer = await click('alice', post.id, 'approve');
		assert(answer.status === 200 && answer.body.integration.status === 200, 'the click failed', answer);
		const [item] = await resultOf(executionId);
		assert(item.timedOut === false && item.postId === post.id && item.data.approved === true && item.data.user.username === 'alice', 'the result differs', item);
		const updated = mm.state.posts.get(post.id);
		assert(updated.props.attachments[0].text === ':white_check_mark: Approved by @alice' && !updated.props.attachments[0].actions, 'the post was not updated', updated.props);
		log(`  execution ${executionId}: ${JSON.stringify(item.data)}`);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: bob clicks Decline → approved false',
	async (setup) => {
		const { post, executionId } = await ask('approval', 43);
		await click('bob', post.id, 'decline');
		const [item] = await resultOf(executionId);
		assert(item.data.approved === false && item.data.user.username === 'bob', 'the result differs', item);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: forged calls (no signature, wrong signature) get 401 and the execution keeps waiting; then a real click resumes it',
	async (setup) => {
		const { post, executionId } = await ask('approval', 44);
		const signed = new URL(post.props.attachments[0].actions[0].integration.url);
		const body = JSON.stringify({ user_id: seed.alice.id, user_name: 'alice', post_id: post.id, context: { action: 'approve', responders: [] } });
		const forge = async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;
		const unsigned = new URL(signed);
		unsigned.searchParams.delete('signature');
		const wrong = new URL(signed);
		wrong.searchParams.set('signature', 'a'.repeat(64));
		const statuses = [await forge(unsigned), await forge(wrong)];
		assert(statuses.every((s) => s === 401), `the forged calls answered ${statuses}`);
		assert((await statusOf(executionId)) === 'waiting', 'the execution no longer waits');
		assert(!mm.state.posts.get(post.id).props.mattermost_suite_answer, 'the post was changed');
		await click('alice', post.id, 'approve');
		await resultOf(executionId);
		log(`  forged: ${statuses.join(', ')}`);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: free text: Respond opens a dialog (execution still waiting); the submission resumes it with the text',
	async (setup) => {
		const { post, executionId } = await ask('freeText', 45);
		const answer = await click('alice', post.id, 'respond');
		assert(answer.status === 200, 'the click failed', answer);
		const dialogs = await (await fetch(`${mm.url}/__fake/dialogs`)).json();
		const dialog = dialogs.at(-1);
		assert(dialog && dialog.open && dialog.user_id === seed.alice.id, 'no dialog opened for alice', dialog);
		assert((await statusOf(executionId)) === 'waiting', 'the click resumed the execution');
		const empty = await submit('alice', { text: '' });
		assert(empty.closed === false && empty.response.errors?.text, 'an empty answer was taken', empty);
		const done = await submit('alice', { text: 'Ship it after lunch' });
		assert(done.closed === true, 'the dialog stayed open', done);
		const [item] = await resultOf(executionId);
		assert(item.data.text === 'Ship it after lunch' && item.data.user.username === 'alice', 'the result differs', item);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: form: field errors keep the dialog open; the answers come out by field name',
	async (setup) => {
		const { post, executionId } = await ask('form', 46);
		await click('bob', post.id, 'respond');
		const wrong = await submit('bob', { field0: '', field1: 'many', field2: 'moon' });
		assert(wrong.closed === false && Object.keys(wrong.response.errors || {}).length === 3, 'the errors differ', wrong);
		await submit('bob', { field0: 'Hotfix', field1: '2', field2: 'production' });
		const [item] = await resultOf(executionId);
		assert(item.data.Reason === 'Hotfix' && item.data.Copies === 2 && item.data.Environment === 'production' && item.data.user.username === 'bob', 'the result differs', item);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: n8n stopped and started again while an execution waits; alice\'s click still resumes it',
	async (setup) => {
		const { post, executionId } = await ask('approval', 47);
		const port = state.server.port;
		await state.server.stop();
		log('  n8n stopped');
		await start(port);
		state.rest = await lab.login(state.server.url);
		log(`  n8n started again at ${state.server.url}`);
		assert((await statusOf(executionId)) === 'waiting', 'the execution is not waiting after the restart');
		const answer = await click('alice', post.id, 'approve');
		assert(answer.status === 200 && answer.body.integration.status === 200, 'the click failed after the restart', answer);
		const [item] = await resultOf(executionId);
		assert(item.data.approved === true && item.data.user.username === 'alice', 'the result differs', item);
	},
	{ needs: [setup] },
);

ctx.step(
	'send-and-wait: the 1-minute limit runs out → timedOut true with the post id; the buttons are still there',
	async (limited) => {
		const ex = await lab.waitForExecution(state.rest, limited.executionId, { timeoutMs: 150000 });
		const { items, error } = lab.nodeOutput(ex.data, RESULT);
		assert(ex.status === 'success', `execution ${limited.executionId}: ${ex.status}`, error);
		const [item] = items;
		assert(item.timedOut === true && item.postId === limited.post.id && item.channelId === channel.id, 'the result differs', item);
		log(`  ${bold('timed out')}: ${JSON.stringify(item)}`);
		const actions = mm.state.posts.get(limited.post.id).props.attachments[0].actions;
		assert(actions?.length === 1, 'the question lost its button', actions);
		// n8n answers a click on a finished Send and Wait with a page, which Mattermost refuses.
		const late = await click('alice', limited.post.id, 'approve');
		assert(late.status === 400 && late.body.integration.status === 200, 'the late click was not refused', late);
		log(`  late click: Mattermost ${late.status} ${late.body.id}; n8n answered ${late.body.integration.status} "${late.body.integration.response.slice(0, 60).replace(/\s+/g, ' ')}…"`);
	},
	{ needs: [limited] },
);

ctx.step(
	'send-and-wait: an AI Agent (scripted model) calls a tool gated by the HitlTool: it waits for an approval in Mattermost, then runs the tool',
	async (setup) => {
		const model = await scriptedModel();
		const openAi = await state.rest.post('/rest/credentials', { name: 'E2E scripted model', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: model.url } });
		const cred = (await state.rest.get('/rest/credentials')).data.find((c) => c.name === 'E2E bot (send and wait)');
		const webhookPath = `sw-agent-${crypto.randomBytes(4).toString('hex')}`;
		const workflow = await lab.createWorkflow(state.rest, agentWorkflowFixture({ webhookPath, credential: cred, openAiCredential: openAi.data, channelId: channel.id }));
		await lab.activateWorkflow(state.rest, workflow.id, workflow.versionId);
		const before = new Set(mm.postsIn(channel.id).map((p) => p.id));
		await lab.waitUntil(
			async () => (await fetch(`${state.server.url}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok,
			{ timeoutMs: 20000, what: 'the agent workflow\'s webhook' },
		);
		let post;
		let execution;
		await lab.waitUntil(
			async () => {
				post = mm.postsIn(channel.id).find((p) => !before.has(p.id) && p.props?.attachments?.[0]?.actions);
				if (post) return true;
				const [latest] = await lab.listExecutions(state.rest, workflow.id);
				if (latest && ['error', 'success', 'crashed'].includes(latest.status)) {
					const ex = await lab.waitForExecution(state.rest, latest.id);
					throw new Error(`the agent execution ended (${ex.status}) without asking: ${JSON.stringify(ex.data?.resultData?.error?.message || ex.data?.resultData?.runData && Object.keys(ex.data.resultData.runData))}`);
				}
				return false;
			},
			{ timeoutMs: 40000, what: 'the approval question of the agent', explain: () => model.requests.map((r) => r.path) },
		);
		log(`  question: "${post.message.split('\n')[0]}"`);
		await lab.waitUntil(async () => ([execution] = await lab.listExecutions(state.rest, workflow.id)) && execution?.status === 'waiting', { timeoutMs: 20000, what: 'the waiting agent execution' });
		const answer = await click('alice', post.id, 'approve');
		assert(answer.status === 200 && answer.body.integration.status === 200, 'the approval click failed', answer);
		const ex = await lab.waitForExecution(state.rest, execution.id, { timeoutMs: 60000 });
		const { items, error } = lab.nodeOutput(ex.data, 'AI Agent');
		assert(ex.status === 'success', `agent execution ${execution.id}: ${ex.status}`, error);
		assert(String(items[0]?.output).includes('42'), 'the agent did not get the tool result', items);
		assert(ex.data.resultData.runData.Calculator, 'the gated tool never ran');
		log(`  agent output: "${items[0].output}" (${model.requests.length} model calls)`);
		await model.close();
	},
	{ needs: [setup] },
);

ctx.step('send-and-wait: stop n8n', () => state.server?.stop(), { needs: [ready] });
