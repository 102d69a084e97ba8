'use strict';
/**
 * The package in n8n's queue mode (scaling): PostgreSQL and Redis from Debian's packages, n8n
 * 2.41.1 as one main (`n8n start`: editor, triggers), two workers (`n8n worker`) and one webhook
 * processor (`n8n webhook`), each with its own user folder holding the packed package, as on
 * separate machines. One encryption key, manual runs offloaded to the workers, production webhooks
 * only on the webhook processor (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), every URL n8n hands out
 * pointing at the webhook processor (WEBHOOK_URL). The fake Mattermost runs in this process.
 *
 *   npm run test:queue                                  # all checks (scripts/queue/test-queue.js)
 *   npm run test:queue -- --test-name-pattern=events    # some (the setup always runs)
 *
 * "Ran on a worker" is read from the workers' logs: `Worker started execution <id>`.
 * Logs: .e2e/queue/*.log (kept after the run).
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('../../scripts/lib/n8n-lab');
const { startRedis, startPostgres } = require('../../scripts/queue/services');

const LOG_DIR = path.join(lab.ROOT, '.e2e', 'queue');
const KEY_PROP = 'n8n_idempotency_key';
const LONG = 600000;

const q = {
	encryptionKey: `queue-${crypto.randomBytes(16).toString('hex')}`,
	folders: {},
	workers: [],
};
let mm;
let seed;
let rest;

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

function queueEnv(extra = {}) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: q.redis.host,
		QUEUE_BULL_REDIS_PORT: String(q.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: q.postgres.host,
		DB_POSTGRESDB_PORT: String(q.postgres.port),
		DB_POSTGRESDB_DATABASE: q.postgres.database,
		DB_POSTGRESDB_USER: q.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Every URL n8n hands out (trigger callbacks, button URLs, resume URLs) is the webhook processor's.
		WEBHOOK_URL: `${q.webhookUrl}/`,
		N8N_WEBHOOK_URL: `${q.webhookUrl}/`,
		...extra,
	};
}

function startMain(extra = {}) {
	return lab.startN8n({
		command: 'start',
		userFolder: q.folders.main,
		port: q.mainPort,
		encryptionKey: q.encryptionKey,
		logFile: path.join(LOG_DIR, 'main.log'),
		env: queueEnv({ N8N_EDITOR_BASE_URL: `http://127.0.0.1:${q.mainPort}`, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true', ...extra }),
	});
}

async function startWorker(index) {
	const worker = await lab.startN8n({
		command: 'worker',
		userFolder: q.folders[`worker${index}`],
		encryptionKey: q.encryptionKey,
		logFile: path.join(LOG_DIR, `worker${index}.log`),
		env: queueEnv(),
	});
	worker.name = `worker${index}`;
	q.workers[index - 1] = worker;
	return worker;
}

function startWebhookProcessor() {
	return lab.startN8n({
		command: 'webhook',
		userFolder: q.folders.webhook,
		port: q.webhookPort,
		encryptionKey: q.encryptionKey,
		logFile: path.join(LOG_DIR, 'webhook.log'),
		env: queueEnv(),
	});
}

/** The workers whose log says they started this execution (once per start or resume). */
function workersOf(executionId) {
	const line = `Worker started execution ${executionId} (`;
	const found = [];
	for (const worker of q.workers) {
		const text = fs.readFileSync(worker.logFile, 'utf8');
		let at = text.indexOf(line);
		while (at !== -1) {
			found.push(worker.name);
			at = text.indexOf(line, at + 1);
		}
	}
	return found;
}

async function assertRanOnWorker(executionId, times = 1) {
	// The log line is written before the result: it is there once the execution has finished.
	const found = await lab.waitUntil(() => (workersOf(executionId).length >= times ? workersOf(executionId) : false), {
		timeoutMs: 10000,
		what: `execution ${executionId} in a worker's log`,
	}).catch(() => workersOf(executionId));
	assert.ok(found.length >= times, `execution ${executionId} was started ${found.length} time(s) by a worker, expected ${times}`);
	return found;
}

// ---------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------

/**
 * <start> → Numbers (Set: `{run, n: [0..count-1]}`) → Split Out n → Mattermost Suite Post
 * "<marker> <run>-<n>" (keyed by "<marker>-<n>" with `idempotent`). `start` is a Manual Trigger, or a
 * production Webhook at `webhookPath` (run = the body's `run`).
 */
function postManyWorkflow({ name, channelId, credential, count, marker, webhookPath, idempotent = false }) {
	const numbers = JSON.stringify(Array.from({ length: count }, (_, n) => n));
	const start = webhookPath
		? lab.webhookNode(webhookPath)
		: lab.manualTriggerNode();
	const run = webhookPath ? '{{ $json.body.run }}' : '0';
	return lab.workflowOf({
		name,
		nodes: [
			start,
			lab.workflowNode('Numbers', 'n8n-nodes-base.set', [200, 0], { mode: 'raw', jsonOutput: `={ "run": ${run}, "n": ${numbers} }`, options: {} }, { typeVersion: 3.4 }),
			lab.workflowNode('Split', 'n8n-nodes-base.splitOut', [400, 0], { fieldToSplitOut: 'n', include: 'allOtherFields', options: {} }),
			lab.workflowNode(
				lab.POST_NODE,
				lab.NODE_TYPE,
				[600, 0],
				{
					resource: 'message',
					operation: 'post',
					channelId: lab.byId(channelId),
					message: `={{ "${marker} " + $json.run + "-" + $json.n }}`,
					...(idempotent ? { options: { idempotencyKey: `={{ "${marker}-" + $json.n }}` } } : {}),
				},
				{ credentials: lab.credentialRef(credential) },
			),
		],
		links: { [start.name]: 'Numbers', Numbers: 'Split', Split: lab.POST_NODE },
	});
}

/** Webhook (production, `webhookPath`) → one Post "<marker> {{ body.i }}": a small execution. */
function smallPostWorkflow({ name, channelId, credential, marker, webhookPath }) {
	const start = lab.webhookNode(webhookPath);
	return lab.workflowOf({
		name,
		nodes: [
			start,
			lab.workflowNode(lab.POST_NODE, lab.NODE_TYPE, [250, 0], {
				resource: 'message',
				operation: 'post',
				channelId: lab.byId(channelId),
				message: `={{ "${marker} " + $json.body.i }}`,
			}, { credentials: lab.credentialRef(credential) }),
		],
		links: { Webhook: lab.POST_NODE },
	});
}

async function create(workflow) {
	return lab.createWorkflow(rest, workflow);
}

/** Publishes a workflow and waits until n8n reports every trigger registered. */
async function publish(workflow) {
	await lab.activateWorkflow(rest, workflow.id, workflow.versionId);
	const errors = await lab.waitUntil(() => lab.publicationErrors(rest, workflow.id), { timeoutMs: 60000, what: `workflow ${workflow.id} published` });
	assert.deepEqual(errors, [], `triggers of workflow ${workflow.id} failed to register`);
}

/** Every execution of a workflow on the main instance. */
function allExecutions(workflowId, filter = {}) {
	return lab.allExecutions(rest, workflowId, filter);
}

function newChannel(name) {
	const channel = mm.createChannel({ team_id: seed.team.id, name, display_name: name, type: 'O', creator_id: seed.admin.id });
	for (const user of [seed.admin, seed.bot, seed.alice]) mm.addChannelMember(channel.id, user.id);
	return channel;
}

const marked = (channelId, marker) => mm.postsIn(channelId).filter((post) => post.message.startsWith(`${marker} `));
const duplicates = (list) => list.length - new Set(list).size;

async function postToWebhook(base, webhookPath, body) {
	const res = await fetch(`${base}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: res.status, text: await res.text() };
}

// ---------------------------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------------------------

before(async () => {
	lab.installSignalHandlers();
	fs.mkdirSync(LOG_DIR, { recursive: true });
	for (const f of fs.readdirSync(LOG_DIR)) if (f.endsWith('.log')) fs.rmSync(path.join(LOG_DIR, f));
	await lab.ensureBuilt();
	const tarball = await lab.packageTarball(lab.makeTempDir('queue-pack'));
	await lab.ensureN8n();
	[q.redis, q.postgres] = await Promise.all([startRedis(), startPostgres()]);
	lab.log(`${q.redis.version} on ${q.redis.port}; ${q.postgres.version} on ${q.postgres.port}`);
	({ mm, seed } = await lab.startFakeMattermost());
	q.mainPort = await lab.freePort();
	q.webhookPort = await lab.freePort();
	q.webhookUrl = `http://127.0.0.1:${q.webhookPort}`;
	for (const role of ['main', 'worker1', 'worker2', 'webhook']) {
		q.folders[role] = (await lab.createUserFolder({ tarball })).userFolder;
	}
	// Main first: it runs the database migrations the others expect.
	q.main = await startMain();
	rest = await lab.setupOwner(q.main.url);
	// One at a time: three n8n processes starting at once on two shared cores take minutes.
	await startWorker(1);
	await startWorker(2);
	q.webhook = await startWebhookProcessor();
	const cred = (name, accessToken) => lab.createCredential(rest, { name, baseUrl: mm.url, accessToken });
	q.bot = await cred('Mattermost bot', seed.tokens.bot);
	q.admin = await cred('Mattermost admin', seed.tokens.admin);
	lab.log(`main ${q.main.url}, webhook processor ${q.webhookUrl}, workers ${q.workers.map((w) => w.proc.pid).join(', ')}`);
});

after(async () => {
	await lab.cleanup();
});

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

test('setup: every process has the package; main lists our nodes; workers and webhook processor ready', { timeout: LONG }, async () => {
	for (const [role, folder] of Object.entries(q.folders)) {
		const pj = path.join(folder, '.n8n', 'nodes', 'node_modules', lab.PACKAGE_NAME, 'package.json');
		assert.ok(fs.existsSync(pj), `${role} has no ${lab.PACKAGE_NAME}`);
	}
	const types = await rest.get('/types/nodes.json');
	const names = (Array.isArray(types) ? types : types.data).map((t) => t.name);
	assert.ok(names.includes(lab.NODE_TYPE) && names.includes(lab.TRIGGER_NODE_TYPE), 'main does not list our nodes');
	for (const worker of q.workers) assert.match(fs.readFileSync(worker.logFile, 'utf8'), /n8n worker is now ready/);
	const health = await fetch(`${q.webhookUrl}/healthz`);
	assert.equal(health.status, 200);
});

test('actions on workers: a manual run posting 200 messages runs on a worker', { timeout: LONG }, async () => {
	const channel = newChannel('queue-200');
	const marker = `q200-${crypto.randomBytes(3).toString('hex')}`;
	const workflow = await create(postManyWorkflow({ name: 'Queue: 200 posts', channelId: channel.id, credential: q.bot, count: 200, marker }));
	const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 300000 });
	assert.equal(ex.status, 'success', lab.executionErrorText(ex));
	const messages = marked(channel.id, marker).map((p) => p.message);
	assert.equal(messages.length, 200);
	assert.equal(duplicates(messages), 0);
	assert.equal(lab.nodeOutput(ex.data, lab.POST_NODE).items.length, 200);
	const on = await assertRanOnWorker(executionId);
	lab.log(`  execution ${executionId} ran on ${on.join(', ')}`);
});

test('actions on workers: a manual run listing 5,000 users runs on a worker', { timeout: LONG }, async () => {
	const before = mm.state.users.size;
	for (let i = 0; i < 5000; i++) mm.createUser({ username: `quser${i}`, email: `quser${i}@example.com`, first_name: 'Queue', last_name: `User ${i}` });
	const workflow = await create(lab.workflowOf({
		name: 'Queue: 5,000 users',
		nodes: [
			lab.manualTriggerNode(),
			lab.workflowNode(lab.POST_NODE, lab.NODE_TYPE, [250, 0], { resource: 'user', operation: 'getAll', returnAll: true }, { credentials: lab.credentialRef(q.bot) }),
		],
		links: { [lab.MANUAL_TRIGGER]: lab.POST_NODE },
	}));
	const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 300000 });
	assert.equal(ex.status, 'success', lab.executionErrorText(ex));
	const items = lab.nodeOutput(ex.data, lab.POST_NODE).items;
	const usernames = new Set(items.map((u) => u.username));
	const missing = Array.from({ length: 5000 }, (_, i) => `quser${i}`).filter((u) => !usernames.has(u));
	assert.deepEqual(missing.slice(0, 5), [], `${missing.length} of the 5,000 users are missing`);
	assert.equal(duplicates(items.map((u) => u.id)), 0);
	const on = await assertRanOnWorker(executionId);
	lab.log(`  ${items.length} users (fake holds ${before} + 5000); execution ${executionId} ran on ${on.join(', ')}`);
});

test('actions on workers: 20 executions started at once through a production webhook, 10 posts each → exactly 200 posts, none doubled', { timeout: LONG }, async () => {
	const channel = newChannel('queue-webhook');
	const marker = `qhook-${crypto.randomBytes(3).toString('hex')}`;
	const webhookPath = `queue-posts-${crypto.randomBytes(3).toString('hex')}`;
	const workflow = await create(postManyWorkflow({ name: 'Queue: webhook, 10 posts', channelId: channel.id, credential: q.bot, count: 10, marker, webhookPath }));
	await publish(workflow);
	const answers = await Promise.all(Array.from({ length: 20 }, (_, run) => postToWebhook(q.webhookUrl, webhookPath, { run })));
	assert.deepEqual(answers.map((a) => a.status), Array(20).fill(200), JSON.stringify(answers.filter((a) => a.status !== 200).slice(0, 3)));
	let executions = [];
	await lab.waitUntil(
		async () => {
			executions = await allExecutions(workflow.id);
			return executions.length >= 20 && executions.every((e) => !['new', 'running', 'waiting'].includes(e.status));
		},
		{ timeoutMs: 300000, intervalMs: 1000, what: '20 finished executions', explain: () => executions.map((e) => e.status) },
	);
	assert.equal(executions.length, 20);
	assert.deepEqual(executions.filter((e) => e.status !== 'success').map((e) => `${e.id}: ${e.status}`), []);
	assert.ok(executions.every((e) => e.mode === 'webhook'), 'not every execution is a webhook execution');
	const messages = marked(channel.id, marker).map((p) => p.message);
	assert.equal(duplicates(messages), 0, 'a post was doubled');
	assert.equal(messages.length, 200);
	const expected = Array.from({ length: 200 }, (_, i) => `${marker} ${Math.floor(i / 10)}-${i % 10}`).sort();
	assert.deepEqual([...messages].sort(), expected);
	const perWorker = {};
	for (const e of executions) for (const w of await assertRanOnWorker(e.id)) perWorker[w] = (perWorker[w] || 0) + 1;
	lab.log(`  200 posts from 20 executions; per worker ${JSON.stringify(perWorker)}`);
});

test('triggers: Outgoing Webhook created pointing at the webhook processor; a post fires it; the execution runs on a worker', { timeout: LONG }, async () => {
	const channel = seed.channels.townSquare;
	const webhookId = crypto.randomUUID();
	const workflow = await create(
		lab.outgoingWebhookWorkflowFixture({ name: 'Queue: outgoing webhook', webhookId, teamId: seed.team.id, channelId: channel.id, triggerWords: 'qdeploy', credential: q.admin }),
	);
	await publish(workflow);
	const live = () => [...mm.state.hooks.values()].filter((h) => h.delete_at === 0);
	await lab.waitUntil(() => live().length === 1, { timeoutMs: 30000, what: 'the outgoing hook in the fake' });
	const url = lab.productionWebhookUrl(q.webhookUrl, webhookId);
	assert.deepEqual(live()[0].callback_urls, [url]);
	const from = mm.integrationCalls.length;
	const post = await lab.postAs(mm, seed.tokens.alice, channel.id, 'qdeploy now');
	await mm.integrationsSettled();
	const calls = mm.integrationCalls.slice(from);
	assert.equal(calls.length, 1);
	assert.equal(calls[0].url, url);
	assert.equal(calls[0].status, 200, JSON.stringify({ error: calls[0].error, response: calls[0].responseText }));
	const [summary] = await lab.waitForExecutions(rest, workflow.id, 1, 120000);
	const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 120000 });
	assert.equal(ex.status, 'success');
	const [item] = lab.nodeOutput(ex.data, lab.TRIGGER_NODE).items;
	assert.equal(item.post_id, post.id);
	const on = await assertRanOnWorker(summary.id);
	await lab.deactivateWorkflow(rest, workflow.id);
	await lab.waitUntil(() => live().length === 0, { timeoutMs: 30000, what: 'the outgoing hook deleted after deactivation' });
	lab.log(`  hook → ${url}; execution ${summary.id} ran on ${on.join(', ')}`);
});

test('triggers: Slash Command created pointing at the webhook processor; /qcmd runs on a worker', { timeout: LONG }, async () => {
	const channel = seed.channels.townSquare;
	const webhookId = crypto.randomUUID();
	const workflow = await create(lab.workflowOf({
		name: 'Queue: slash command',
		nodes: [
			lab.workflowNode(lab.TRIGGER_NODE, lab.TRIGGER_NODE_TYPE, [0, 0], {
				source: 'slashCommand',
				createCommand: true,
				teamId: lab.byId(seed.team.id),
				commandTrigger: 'qcmd',
			}, { webhookId, credentials: lab.credentialRef(q.admin) }),
		],
	}));
	await publish(workflow);
	const live = () => [...mm.state.commands.values()].filter((c) => c.delete_at === 0 && c.trigger === 'qcmd');
	await lab.waitUntil(() => live().length === 1, { timeoutMs: 30000, what: 'the slash command in the fake' });
	const url = lab.productionWebhookUrl(q.webhookUrl, webhookId);
	assert.equal(live()[0].url, url);
	const res = await fetch(`${mm.apiUrl}/commands/execute`, {
		method: 'POST',
		headers: { authorization: `Bearer ${seed.tokens.alice}`, 'content-type': 'application/json' },
		body: JSON.stringify({ channel_id: channel.id, command: '/qcmd hello queue' }),
	});
	const answer = await res.json();
	assert.equal(res.status, 200, JSON.stringify(answer));
	const [summary] = await lab.waitForExecutions(rest, workflow.id, 1, 120000);
	const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 120000 });
	assert.equal(ex.status, 'success');
	const [item] = lab.nodeOutput(ex.data, lab.TRIGGER_NODE).items;
	assert.equal(item.text, 'hello queue', JSON.stringify(item));
	const on = await assertRanOnWorker(summary.id);
	await lab.deactivateWorkflow(rest, workflow.id);
	await lab.waitUntil(() => live().length === 0, { timeoutMs: 30000, what: 'the slash command deleted after deactivation' });
	lab.log(`  command → ${url}; execution ${summary.id} ran on ${on.join(', ')}`);
});

test('triggers: Interactive Action buttons from a worker-run Post come back through the webhook processor', { timeout: LONG }, async () => {
	const channel = seed.channels.townSquare;
	const secret = `queue-button-${crypto.randomBytes(6).toString('hex')}`;
	const workflow = await create(lab.buttonsWorkflowFixture({ name: 'Queue: buttons', webhookId: crypto.randomUUID(), channelId: channel.id, secret, credential: q.bot }));
	await publish(workflow);
	const digest = crypto.createHash('sha256').update(`${workflow.id}:${secret}`).digest('hex').slice(0, 32);
	const url = `${q.webhookUrl}/webhook/mattermost-suite/${workflow.id}/${digest}`;
	const postRun = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, postRun, { timeoutMs: 120000 });
	assert.equal(ex.status, 'success', lab.executionErrorText(ex));
	await assertRanOnWorker(postRun);
	const post = mm.state.posts.get(lab.nodeOutput(ex.data, lab.POST_NODE).items[0]?.id);
	const [action] = post.props.attachments[0].actions;
	assert.equal(action.integration.url, url);
	const before = (await allExecutions(workflow.id)).length;
	const res = await fetch(`${mm.apiUrl}/posts/${post.id}/actions/Approve`, {
		method: 'POST',
		headers: { authorization: `Bearer ${seed.tokens.alice}`, 'content-type': 'application/json' },
		body: '{}',
	});
	const body = await res.json();
	assert.equal(res.status, 200, JSON.stringify(body));
	const list = await lab.waitForExecutions(rest, workflow.id, before + 1, 120000);
	const click = list.find((e) => e.mode === 'webhook');
	assert.ok(click, 'no webhook execution');
	const clicked = await lab.waitForExecution(rest, click.id, { timeoutMs: 120000 });
	assert.equal(clicked.status, 'success');
	assert.equal(lab.nodeOutput(clicked.data, lab.TRIGGER_NODE).items[0].user_name, seed.alice.username);
	const on = await assertRanOnWorker(click.id);
	assert.equal(mm.state.posts.get(post.id).message, `Approved by @${seed.alice.username}`);
	await lab.deactivateWorkflow(rest, workflow.id);
	lab.log(`  button → ${url}; click execution ${click.id} ran on ${on.join(', ')}`);
});

test('triggers: Events over WebSocket: exactly one socket to Mattermost across all processes; each post one execution on a worker', { timeout: LONG }, async () => {
	const channel = newChannel('queue-events');
	const sessionsBefore = mm.webSocket.sessions.size;
	const workflow = await create(lab.eventsWorkflowFixture({ name: 'Queue: events', channel, credential: q.bot }));
	await publish(workflow);
	await lab.waitUntil(() => mm.webSocketConnections.length === 1, { timeoutMs: 60000, what: 'one WebSocket in the fake' });
	const sockets = [];
	for (let i = 0; i < 10; i++) {
		sockets.push(mm.webSocketConnections.length);
		await lab.sleep(500);
	}
	assert.deepEqual(sockets, Array(10).fill(1), 'the number of open sockets changed');
	const posts = [];
	for (let i = 0; i < 20; i++) posts.push(mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: `queue event ${i}` }).id);
	let executions = [];
	await lab.waitUntil(
		async () => {
			executions = await allExecutions(workflow.id);
			return executions.length >= 20 && executions.every((e) => !['new', 'running'].includes(e.status));
		},
		{ timeoutMs: 300000, intervalMs: 1000, what: '20 finished executions', explain: () => executions.map((e) => e.status) },
	);
	await lab.sleep(3000); // a doubled event would add its execution now
	executions = await allExecutions(workflow.id);
	const perPost = new Map();
	for (const e of executions) {
		const ex = await lab.waitForExecution(rest, e.id, { timeoutMs: 120000 });
		assert.equal(ex.status, 'success');
		const postId = lab.nodeOutput(ex.data, lab.TRIGGER_NODE).items[0]?.post?.id;
		perPost.set(postId, (perPost.get(postId) || 0) + 1);
		await assertRanOnWorker(e.id);
	}
	assert.deepEqual([...perPost.keys()].sort(), [...posts].sort());
	assert.ok([...perPost.values()].every((n) => n === 1), 'a post started more than one execution');
	assert.equal(mm.webSocketConnections.length, 1);
	assert.equal(mm.webSocket.sessions.size - sessionsBefore, 1, 'more than one WebSocket session was opened');
	await lab.deactivateWorkflow(rest, workflow.id);
	await lab.waitUntil(() => mm.webSocketConnections.length === 0, { timeoutMs: 30000, what: 'the socket closed after deactivation' });
	lab.log(`  1 socket; ${executions.length} executions for ${posts.length} posts, all on workers`);
});

test('send and wait: the click reaches the webhook processor and the execution finishes on a worker', { timeout: LONG }, async () => {
	const channel = seed.channels.townSquare;
	const webhookPath = `queue-ask-${crypto.randomBytes(3).toString('hex')}`;
	const workflow = await create(lab.workflowOf({
		name: 'Queue: send and wait',
		nodes: [
			lab.webhookNode(webhookPath),
			lab.workflowNode('Ask', lab.NODE_TYPE, [220, 0], {
				resource: 'message',
				operation: 'sendAndWait',
				channelId: lab.byId(channel.id),
				message: '=Ship queue build {{ $json.body.build }}?',
				responseType: 'approval',
			}, { credentials: lab.credentialRef(q.bot) }),
			lab.workflowNode('Result', 'n8n-nodes-base.noOp', [440, 0], {}),
		],
		links: { Webhook: 'Ask', Ask: 'Result' },
	}));
	await publish(workflow);
	const answer = await postToWebhook(q.webhookUrl, webhookPath, { build: 7 });
	assert.equal(answer.status, 200, answer.text);
	let post;
	await lab.waitUntil(() => (post = mm.postsIn(channel.id).find((p) => p.message === 'Ship queue build 7?')), { timeoutMs: 120000, what: 'the question post' });
	let execution;
	await lab.waitUntil(
		async () => {
			[execution] = await allExecutions(workflow.id);
			return execution?.status === 'waiting';
		},
		{ timeoutMs: 60000, what: 'a waiting execution', explain: () => execution },
	);
	await assertRanOnWorker(execution.id);
	const button = new URL(post.props.attachments[0].actions[0].integration.url);
	assert.equal(button.origin, q.webhookUrl);
	assert.ok(button.pathname.startsWith(`/webhook-waiting/${execution.id}/`), button.pathname);
	const res = await fetch(`${mm.url}/__fake/click`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ user: 'alice', post_id: post.id, action_id: 'approve' }),
	});
	const clicked = await res.json();
	assert.equal(res.status, 200, JSON.stringify(clicked));
	assert.equal(clicked.integration.status, 200, JSON.stringify(clicked.integration));
	const ex = await lab.waitForExecution(rest, execution.id, { timeoutMs: 120000 });
	assert.equal(ex.status, 'success');
	const [item] = lab.nodeOutput(ex.data, 'Result').items;
	assert.equal(item.data.approved, true);
	// The resumed run continues after the question: it is not asked again.
	assert.equal(mm.postsIn(channel.id).filter((p) => p.message === 'Ship queue build 7?').length, 1);
	const on = await assertRanOnWorker(execution.id, 2);
	lab.log(`  execution ${execution.id}: started and resumed by ${on.join(', ')}`);
});

const CRASH_POSTS = 500;
const crash = {};

test(`faults: a worker killed (SIGKILL) in the middle of a ${CRASH_POSTS}-post execution; n8n marks it crashed and does not run it again; no post twice`, { timeout: LONG }, async () => {
	const channel = newChannel('queue-crash');
	const marker = `qcrash-${crypto.randomBytes(3).toString('hex')}`;
	const workflow = await create(postManyWorkflow({ name: `Queue: ${CRASH_POSTS} keyed posts`, channelId: channel.id, credential: q.bot, count: CRASH_POSTS, marker, idempotent: true }));
	Object.assign(crash, { channel, marker, workflow });
	const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
	await lab.waitUntil(() => marked(channel.id, marker).length >= 150, { timeoutMs: 300000, intervalMs: 50, what: '150 posts of the run' });
	const [name] = workersOf(executionId);
	const worker = q.workers.find((w) => w.name === name);
	assert.ok(worker, `no worker log names execution ${executionId}`);
	process.kill(worker.proc.pid, 'SIGKILL');
	await worker.proc.exitPromise;
	const atKill = marked(channel.id, marker).length;
	lab.log(`  killed ${name} (pid ${worker.proc.pid}) after ${atKill} posts`);
	await lab.sleep(2000);
	const afterKill = marked(channel.id, marker).length;
	await startWorker(Number(name.slice(-1)));
	let status;
	await lab.waitUntil(
		async () => {
			status = (await rest.get(`/rest/executions/${executionId}`))?.data?.status;
			return !['new', 'running'].includes(status) && status;
		},
		{ timeoutMs: 300000, intervalMs: 2000, what: `execution ${executionId} no longer running`, explain: () => status },
	);
	// Time for a re-run, if n8n made one, to post again.
	await lab.sleep(15000);
	const keys = marked(channel.id, marker).map((p) => p.props?.[KEY_PROP]);
	lab.log(`  execution ${executionId}: ${status}; the fake holds ${keys.length} posts (${afterKill} two seconds after the kill)`);
	assert.equal(status, 'crashed');
	assert.equal(keys.length, afterKill, 'posts were made after the worker died: n8n ran the execution again');
	assert.ok(keys.length < CRASH_POSTS);
	assert.equal(duplicates(keys), 0);
	crash.posted = keys.length;
});

test(`crash recovery: the same workflow started again with the Idempotency Key → exactly ${CRASH_POSTS} posts, none twice`, { timeout: LONG }, async () => {
	assert.ok(crash.posted !== undefined, 'the crash test did not run');
	const { channel, marker, workflow } = crash;
	const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 300000 });
	assert.equal(ex.status, 'success', lab.executionErrorText(ex));
	const keys = marked(channel.id, marker).map((p) => p.props?.[KEY_PROP]);
	assert.equal(keys.length, CRASH_POSTS);
	assert.equal(duplicates(keys), 0);
	const items = lab.nodeOutput(ex.data, lab.POST_NODE).items;
	assert.equal(items.filter((i) => i.reused === true).length, crash.posted);
	const on = await assertRanOnWorker(executionId);
	lab.log(`  ${CRASH_POSTS - crash.posted} posted, ${crash.posted} reused; ran on ${on.join(', ')}`);
});

test('throughput: 100 small post executions, two workers vs. one regular-mode n8n (printed, not asserted)', { timeout: LONG }, async () => {
	const channel = newChannel('queue-throughput');
	const webhookPath = `queue-small-${crypto.randomBytes(3).toString('hex')}`;
	const workflow = await create(smallPostWorkflow({ name: 'Queue: small post', channelId: channel.id, credential: q.bot, marker: 'small', webhookPath }));
	await publish(workflow);
	const succeeded = async () => {
		const qs = new URLSearchParams({ filter: JSON.stringify({ workflowId: workflow.id, status: ['success'] }), limit: '1' });
		return (await rest.get(`/rest/executions?${qs}`))?.data?.count ?? 0;
	};
	const measure = async (base, label) => {
		const before = await succeeded();
		const start = Date.now();
		const answers = await lab.inParallel(Array.from({ length: 100 }, (_, i) => i), 10, (i) => postToWebhook(base, webhookPath, { i: `${label}-${i}` }));
		assert.ok(answers.every((a) => a.status === 200), 'a webhook call failed');
		await lab.waitUntil(async () => (await succeeded()) >= before + 100, {
			timeoutMs: 400000,
			intervalMs: 250,
			what: `100 successful executions (${label})`,
		});
		const seconds = (Date.now() - start) / 1000;
		return { seconds, perSecond: 100 / seconds };
	};
	const queued = await measure(q.webhookUrl, 'queue');
	// One process: the same database and workflow, n8n start in regular mode (workers, webhook processor and queue-mode main stopped).
	await q.webhook.stop();
	for (const worker of q.workers) await worker.stop();
	await q.main.stop();
	q.main = await startMain({ EXECUTIONS_MODE: 'regular', N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false', WEBHOOK_URL: `http://127.0.0.1:${q.mainPort}/`, N8N_WEBHOOK_URL: `http://127.0.0.1:${q.mainPort}/` });
	rest = await lab.login(q.main.url);
	// The probe's execution and post come before the measurement.
	await lab.waitUntil(async () => (await postToWebhook(q.main.url, webhookPath, { i: 'probe' })).status === 200, { timeoutMs: 60000, what: 'the webhook served by the regular-mode n8n' });
	await lab.waitUntil(() => marked(channel.id, 'small').length === 101, { timeoutMs: 60000, what: 'the probe post' });
	const regular = await measure(q.main.url, 'regular');
	const line = (label, r) => `${label}: 100 executions in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)} executions/s`;
	lab.log(`  ${line('queue mode, 2 workers (concurrency 10 each)', queued)}`);
	lab.log(`  ${line('regular mode, 1 process', regular)}`);
	assert.equal(marked(channel.id, 'small').length, 201);
});
