#!/usr/bin/env node
'use strict';
/**
 * npm run bench:n8n: the packed package and n8n's built-in Mattermost node (n8n-nodes-base.mattermost)
 * side by side in ONE real n8n (the one the e2e tests use), against ONE fake Mattermost in this
 * process, which injects the network latency. Prints one table: built-in (or the baseline named in
 * the row), ours, the ratio and whether the goal of issue 13 is met.
 *
 * - Post 200 messages at 0 and 20 ms latency: built-in, ours one item at a time, ours with Items per
 *   Batch 8 (time spent in the node, as n8n records it; median of BENCH_RUNS runs after a warm-up).
 * - User > Get Many, Return All of BENCH_USERS users: time in the node, n8n's peak RSS, and the JS heap
 *   n8n holds during a run, read through n8n's inspector (--inspect on a free port) right after a
 *   forced collection every 250 ms, in extra runs whose times are not used.
 * - File Download → Upload of BENCH_FILE_MB MB against 1 kB (ours only; the built-in node has no
 *   file operations): n8n's peak RSS, byte-identical check. n8n runs with
 *   N8N_DEFAULT_BINARY_DATA_MODE=filesystem.
 * - Events trigger: BENCH_EVENTS posts at BENCH_EVENT_RATE per second, one execution per event
 *   against Batch Events (100 per execution, at most 1,000 ms late): events per second through
 *   finished executions, lag from the post's creation to the end of its execution, lost and doubled.
 * - Module load: `require` of our action node and of the built-in one, each after n8n-workflow, in
 *   fresh processes of n8n's Node.
 *
 * Peak RSS is n8n's main process (it runs the nodes; the task runner only runs Code nodes, which the
 * bench does not use): its VmHWM is reset through /proc/<pid>/clear_refs before a case and read
 * after, with VmRSS sampled every 50 ms as a fallback.
 *
 * Environment: BENCH_RUNS (3), BENCH_USERS (20000), BENCH_FILE_MB (500), BENCH_EVENTS (1000),
 * BENCH_EVENT_RATE (1000), BENCH_EVENT_WAIT_S (300: how long after the last post executions may
 * take; later ones count as lost), BENCH_ONLY (comma list of load, posts, users, files, events), MM_SUITE_TARBALL
 * (install this tarball instead of packing the working copy), BENCH_CPU_PROF (a folder: n8n writes
 * a V8 CPU profile there when it stops). Not part of CI: it takes minutes and
 * its figures depend on the machine. Never asserts a time; prints.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('./lib/n8n-lab');

const { log, bold } = lab;

const RUNS = Number(process.env.BENCH_RUNS || 3);
const USERS = Number(process.env.BENCH_USERS || 20000);
const FILE_MB = Number(process.env.BENCH_FILE_MB || 500);
const EVENTS = Number(process.env.BENCH_EVENTS || 1000);
const EVENT_RATE = Number(process.env.BENCH_EVENT_RATE || 1000);
const EVENT_WAIT_S = Number(process.env.BENCH_EVENT_WAIT_S || 300);
const ONLY = new Set((process.env.BENCH_ONLY || 'load,posts,users,files,events').split(',').map((s) => s.trim()));
const POSTS = 200;
const LATENCY_MS = 20;
const ENCRYPTION_KEY = `bench-${crypto.randomBytes(16).toString('hex')}`;
const BUILT_IN_TYPE = 'n8n-nodes-base.mattermost';
const BUILT_IN_CREDENTIAL = 'mattermostApi';
const GENERATE = 'Generate Items';
const NODE = 'Mattermost';
const EVENT_BATCH = { batchEvents: true, batchSize: 100, batchMaxWaitMs: 1000 };

// ---------------------------------------------------------------------------------------------
// Memory of n8n's process
// ---------------------------------------------------------------------------------------------

function statusKb(pid, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** Peak RSS of `pid` from now until stop() (MB), and its RSS at the start. */
function trackPeakRss(pid) {
	let hwmReset = true;
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		hwmReset = false;
	}
	const startKb = statusKb(pid, 'VmRSS');
	let sampledKb = startKb;
	const timer = setInterval(() => {
		sampledKb = Math.max(sampledKb, statusKb(pid, 'VmRSS'));
	}, 50);
	return {
		startMb: startKb / 1024,
		stop() {
			clearInterval(timer);
			const peakKb = Math.max(sampledKb, hwmReset ? statusKb(pid, 'VmHWM') : 0);
			return peakKb / 1024;
		},
	};
}

/**
 * n8n's JS heap through its inspector (n8n runs with --inspect on `port`): collect garbage, read the
 * heap in use. Sampled right after a collection, the heap in use is what is really held then.
 */
async function heapInspector(port) {
	const WebSocket = lab.requireFromN8n('ws');
	const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const socket = new WebSocket(targets[0].webSocketDebuggerUrl, { perMessageDeflate: false });
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	let lastId = 0;
	const waiting = new Map();
	socket.on('message', (raw) => {
		const message = JSON.parse(String(raw));
		const pending = waiting.get(message.id);
		if (!pending) return;
		waiting.delete(message.id);
		if (message.error) pending.reject(new Error(message.error.message));
		else pending.resolve(message.result);
	});
	const send = (method, params = {}) =>
		new Promise((resolve, reject) => {
			lastId += 1;
			waiting.set(lastId, { resolve, reject });
			socket.send(JSON.stringify({ id: lastId, method, params }));
		});
	lab.onCleanup(() => socket.close());
	/** MB of JS heap in use right after a full collection. */
	const live = async () => {
		await send('HeapProfiler.collectGarbage');
		return (await send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
	};
	return {
		live,
		/** Samples `live` every `everyMs` while `task` runs; resolves the task's result and the peak over the start. */
		async peakDuring(task, everyMs = 250) {
			const start = await live();
			let peak = start;
			let running = true;
			const sampler = (async () => {
				while (running) {
					await new Promise((resolve) => setTimeout(resolve, everyMs));
					if (running) peak = Math.max(peak, await live());
				}
			})();
			try {
				const result = await task();
				return { result, start, peak, grew: peak - start };
			} finally {
				running = false;
				await sampler;
			}
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------

/** Manual Trigger → (Debug Helper with `count` items) → the node under test. */
function benchWorkflow(name, target, count) {
	const nodes = [lab.manualTriggerNode()];
	const links = {};
	let previous = lab.MANUAL_TRIGGER;
	if (count > 1) {
		nodes.push(
			lab.workflowNode(GENERATE, 'n8n-nodes-base.debugHelper', [200, 0], {
				category: 'randomData',
				randomDataType: 'uuid',
				randomDataCount: count,
				randomDataSeed: '',
				randomDataSingleArray: false,
			}),
		);
		links[previous] = GENERATE;
		previous = GENERATE;
	}
	nodes.push({ ...target, name: NODE, position: [400, 0] });
	links[previous] = NODE;
	return lab.workflowOf({ name, nodes, links });
}

/**
 * The REST client, with up to 3 more tries of a request whose connection was dead: while this
 * process is busy for seconds (seeding users, hashing a file), n8n closes the idle keep-alive
 * sockets that fetch then reuses. Such a request never reached n8n, so sending it again is safe.
 */
function retryDeadConnections(rest) {
	const request = rest.request;
	rest.request = async (...args) => {
		for (let attempt = 1; ; attempt++) {
			try {
				return await request(...args);
			} catch (error) {
				if (!(error instanceof TypeError) || attempt > 3) throw error;
				await lab.sleep(250);
			}
		}
	};
	return rest;
}

/** Runs a saved workflow once; resolves the node's time (as n8n records it), its items and the execution. */
async function runOnce(rest, workflowId) {
	const executionId = await lab.runWorkflow(rest, workflowId, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 900000 });
	const { run, error, items } = lab.nodeOutput(ex.data, NODE);
	lab.assert(ex.status === 'success', `execution ${executionId}: ${ex.status}`, error?.message ?? ex.data?.resultData?.error);
	return { ms: run.executionTime, items, ex };
}

/** The middle value (the upper one of an even count). */
function median(values) {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The median node time of RUNS runs after one warm-up run; checks the item count. */
async function medianMs(rest, workflowId, expectItems) {
	await runOnce(rest, workflowId);
	const samples = [];
	for (let i = 0; i < RUNS; i++) {
		const { ms, items } = await runOnce(rest, workflowId);
		lab.assert(items.length === expectItems, `expected ${expectItems} items, got ${items.length}`);
		samples.push(ms);
	}
	return median(samples);
}

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

const rows = [];
const notes = [];

function row(what, baseline, ours, ratio, goal, met) {
	rows.push([what, baseline, ours, ratio, goal, met === undefined ? '' : met ? 'yes' : 'NO']);
}

const ms = (value) => `${Math.round(value)} ms`;
const mb = (value) => `${Math.round(value)} MB`;
const x = (value) => `${value.toFixed(2)}×`;

function printTable(conditions) {
	const header = ['case', 'built-in / baseline', 'ours', 'ours ÷ base', 'goal', 'met'];
	const all = [header, ...rows];
	const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
	const line = (r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ');
	console.log(`\n${bold('bench:n8n')} ${conditions}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	for (const r of rows) console.log(line(r));
	for (const note of notes) console.log(`* ${note}`);
	console.log('');
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

async function benchPosts(ctx) {
	const { rest, mm, seed, ours, builtIn } = ctx;
	const channelId = seed.channels.townSquare.id;
	const builtInNode = lab.workflowNode(NODE, BUILT_IN_TYPE, [0, 0], {
		resource: 'message',
		operation: 'post',
		channelId,
		message: '=Bench {{ $json.uuid }}',
		attachments: [],
		otherOptions: {},
	}, { credentials: lab.credentialRef(builtIn, BUILT_IN_CREDENTIAL) });
	const oursNode = (requestOptions) =>
		lab.workflowNode(NODE, lab.NODE_TYPE, [0, 0], {
			resource: 'message',
			operation: 'post',
			channelId: lab.byId(channelId),
			message: '=Bench {{ $json.uuid }}',
			...(requestOptions ? { requestOptions } : {}),
		}, { credentials: lab.credentialRef(ours) });
	const variants = {
		builtIn: await lab.createWorkflow(rest, benchWorkflow('Bench: built-in post', builtInNode, POSTS)),
		sequential: await lab.createWorkflow(rest, benchWorkflow('Bench: ours post', oursNode(), POSTS)),
		batch8: await lab.createWorkflow(rest, benchWorkflow('Bench: ours post, batch 8', oursNode({ batching: { batch: { batchSize: 8 } } }), POSTS)),
	};
	for (const latency of [0, LATENCY_MS]) {
		mm.clearFaults();
		if (latency) mm.addFault({ pathRegex: '^/api/v4/', delayMs: latency, times: Infinity });
		const times = {};
		for (const [name, wf] of Object.entries(variants)) {
			times[name] = await medianMs(rest, wf.id, POSTS);
			log(`  post ${POSTS} at ${latency} ms: ${name} ${ms(times[name])}`);
		}
		const sequential = times.sequential / times.builtIn;
		const batch = times.batch8 / times.builtIn;
		row(`post ${POSTS}, ${latency} ms latency, ours sequential`, ms(times.builtIn), ms(times.sequential), x(sequential), latency === 0 ? '≤ 0.60×' : '', latency === 0 ? sequential <= 0.6 : undefined);
		row(`post ${POSTS}, ${latency} ms latency, ours Items per Batch 8`, ms(times.builtIn), ms(times.batch8), x(batch), latency ? '≤ 0.20× (5× faster)' : '', latency ? batch <= 0.2 : undefined);
	}
	mm.clearFaults();
}

async function benchUsers(ctx) {
	const { rest, mm, seed, ours, builtIn } = ctx;
	const have = mm.state.users.size;
	for (let n = have; n < USERS; n++) mm.createUser({ username: `bench${n}`, email: `bench${n}@example.com` });
	const total = mm.state.users.size;
	const builtInWf = await lab.createWorkflow(
		rest,
		benchWorkflow('Bench: built-in users', lab.workflowNode(NODE, BUILT_IN_TYPE, [0, 0], { resource: 'user', operation: 'getAll', returnAll: true, additionalFields: {} }, { credentials: lab.credentialRef(builtIn, BUILT_IN_CREDENTIAL) }), 1),
	);
	const oursWf = await lab.createWorkflow(
		rest,
		benchWorkflow('Bench: ours users', lab.workflowNode(NODE, lab.NODE_TYPE, [0, 0], { resource: 'user', operation: 'getAll', returnAll: true, simplify: false }, { credentials: lab.credentialRef(ours) }), 1),
	);
	void seed;
	for (const latency of [0, LATENCY_MS]) {
		mm.clearFaults();
		if (latency) mm.addFault({ pathRegex: '^/api/v4/', delayMs: latency, times: Infinity });
		// The two nodes take turns, first one then the other, so n8n's RSS creeping up over the session
		// weighs on both alike; each run's growth is its peak over the RSS it started from.
		const workflows = { builtIn: builtInWf, ours: oursWf };
		const runs = { builtIn: [], ours: [] };
		for (const wf of Object.values(workflows)) await runOnce(rest, wf.id);
		for (let i = 0; i < RUNS; i++) {
			const order = i % 2 === 0 ? ['builtIn', 'ours'] : ['ours', 'builtIn'];
			for (const name of order) {
				const tracker = trackPeakRss(ctx.pid);
				const mark = mm.requests.length;
				const { ms: took, items } = await runOnce(rest, workflows[name].id);
				const peak = tracker.stop();
				lab.assert(items.length === total, `${name}: ${items.length} users, expected ${total}`);
				const requests = mm.requests.slice(mark).filter((r) => r.path.replace(/\/+/g, '/') === '/api/v4/users').length;
				runs[name].push({ took, requests, peak, grew: peak - tracker.startMb });
			}
		}
		const result = {};
		for (const [name, list] of Object.entries(runs)) {
			result[name] = {
				took: median(list.map((r) => r.took)),
				requests: median(list.map((r) => r.requests)),
				peak: Math.max(...list.map((r) => r.peak)),
				grew: median(list.map((r) => r.grew)),
				grewAll: list.map((r) => Math.round(r.grew)),
			};
			log(`  users ${total} at ${latency} ms: ${name} ${ms(result[name].took)}, ${result[name].requests} requests, peak RSS ${mb(result[name].peak)}, growth per run ${result[name].grewAll.map((g) => `+${g}`).join(' ')} MB`);
		}
		const time = result.ours.took / result.builtIn.took;
		row(`Return All ${total} users, ${latency} ms latency: time (requests)`, `${ms(result.builtIn.took)} (${result.builtIn.requests})`, `${ms(result.ours.took)} (${result.ours.requests})`, x(time), '≤ 0.50×', time <= 0.5);
		// n8n's RSS creeps up run after run, so the growth during a run (median of the runs) compares
		// fairly; the highest peak is shown too.
		const growth = (r) => Math.max(1, r.grew);
		const rss = growth(result.ours) / growth(result.builtIn);
		row(
			`Return All ${total} users, ${latency} ms latency: n8n peak RSS (growth)`,
			`${mb(result.builtIn.peak)} (+${mb(growth(result.builtIn))})`,
			`${mb(result.ours.peak)} (+${mb(growth(result.ours))})`,
			x(rss),
			'growth ≤ 1.00×',
			rss <= 1,
		);
		// What the run really holds, without GC timing: n8n's heap sampled right after forced
		// collections every 250 ms during the run (slower runs; their times are not used).
		const held = { builtIn: [], ours: [] };
		for (let i = 0; i < 2; i++) {
			for (const name of i % 2 === 0 ? ['builtIn', 'ours'] : ['ours', 'builtIn']) {
				const { grew } = await ctx.heap.peakDuring(() => runOnce(rest, workflows[name].id));
				held[name].push(grew);
			}
		}
		const most = (values) => Math.max(...values);
		log(`  users ${total} at ${latency} ms: JS heap held over the start, per run: built-in ${held.builtIn.map(mb).join(', ')}, ours ${held.ours.map(mb).join(', ')}`);
		row(
			`Return All ${total} users, ${latency} ms latency: n8n JS heap held (after GC)`,
			`+${mb(most(held.builtIn))}`,
			`+${mb(most(held.ours))}`,
			x(most(held.ours) / most(held.builtIn)),
			'≤ 1.00×',
			most(held.ours) <= most(held.builtIn),
		);
	}
	mm.clearFaults();
}

async function benchFiles(ctx) {
	const { rest, mm, seed, ours } = ctx;
	const channelId = seed.channels.townSquare.id;
	mm.config.maxFileSizeBytes = Math.max(mm.config.maxFileSizeBytes, (FILE_MB + 1) * 1024 * 1024);
	const roundTrip = async (size) => {
		const content = crypto.randomBytes(size);
		const sha256 = crypto.createHash('sha256').update(content).digest('hex');
		const file = mm.state.createFile({ user_id: seed.bot.id, channel_id: channelId, name: `bench-${size}.bin`, mime_type: 'application/octet-stream', content });
		const credentials = lab.credentialRef(ours);
		const wf = lab.workflowOf({
			name: `Bench: files ${size}`,
			nodes: [
				lab.manualTriggerNode(),
				lab.workflowNode('Download', lab.NODE_TYPE, [200, 0], { resource: 'file', operation: 'download', fileId: file.id }, { credentials }),
				lab.workflowNode(NODE, lab.NODE_TYPE, [400, 0], { resource: 'file', operation: 'upload', channelId: lab.byId(channelId) }, { credentials }),
			],
			links: { [lab.MANUAL_TRIGGER]: 'Download', Download: NODE },
		});
		const saved = await lab.createWorkflow(rest, wf);
		const tracker = trackPeakRss(ctx.pid);
		const started = Date.now();
		const { items } = await runOnce(rest, saved.id);
		const peak = tracker.stop();
		const took = Date.now() - started;
		const stored = mm.state.files.get(items[0]?.id);
		const identical = Boolean(stored) && stored.size === size && crypto.createHash('sha256').update(stored.content).digest('hex') === sha256;
		// The fake keeps both copies in this process: let them go.
		mm.state.files.delete(file.id);
		if (stored) mm.state.files.delete(stored.id);
		log(`  files ${size} bytes: peak RSS ${mb(peak)} (from ${mb(tracker.startMb)}), ${ms(took)}, identical ${identical}`);
		return { peak, start: tracker.startMb, took, identical };
	};
	const small = await roundTrip(1024);
	const large = await roundTrip(FILE_MB * 1024 * 1024);
	const extra = large.peak - small.peak;
	notes.push('files: the built-in node has no file operations; baseline = ours with a 1 kB file');
	row(`Download + Upload ${FILE_MB} MB vs 1 kB: n8n peak RSS`, `${mb(small.peak)} (1 kB)`, `${mb(large.peak)} (${FILE_MB} MB, ${Math.round(large.took / 1000)} s)`, `+${mb(extra)}`, '≤ +64 MB', extra <= 64);
	row(`Download + Upload ${FILE_MB} MB: byte-identical`, '', large.identical ? 'yes' : 'no', '', 'identical', large.identical);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** Activates a trigger workflow, sends EVENTS posts at EVENT_RATE, measures until every execution finished. */
async function eventRun(ctx, label, eventsOptions) {
	const { rest, mm, seed, ours } = ctx;
	const channel = mm.createChannel({ team_id: seed.team.id, name: `bench-events-${crypto.randomBytes(3).toString('hex')}`, display_name: `Bench ${label}`, creator_id: seed.admin.id });
	for (const user of [seed.bot, seed.alice]) mm.addChannelMember(channel.id, user.id);
	const saved = await lab.createWorkflow(rest, lab.eventsWorkflowFixture({ name: `Bench: events ${label}`, channel, credential: ours, eventsOptions }));
	const botSockets = () => mm.webSocketConnections.filter((c) => c.userId === seed.bot.id).length;
	await lab.activateWorkflow(rest, saved.id, saved.versionId);
	await lab.waitUntil(() => botSockets() === 1, { timeoutMs: 60000, what: "the trigger's WebSocket" });

	const createdAt = new Map();
	const startedAt = Date.now();
	while (createdAt.size < EVENTS) {
		const due = Math.min(EVENTS, Math.ceil(((Date.now() - startedAt + 5) * EVENT_RATE) / 1000));
		while (createdAt.size < due) {
			const post = mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: `bench event ${createdAt.size}` });
			createdAt.set(post.id, post.create_at);
		}
		await lab.sleep(5);
	}
	const sendMs = Date.now() - startedAt;

	// Until every execution finished and none came for 20 s, or EVENT_WAIT_S after the last post:
	// 1,000 executions at once can choke n8n (SQLite write lock timeouts), and what is not done by
	// then counts as not delivered.
	let executions = [];
	let lastCount = -1;
	let grewAt = Date.now();
	const sentAt = Date.now();
	const finished = (e) => e.stoppedAt && !['new', 'running', 'waiting'].includes(e.status);
	for (;;) {
		await lab.sleep(2000);
		try {
			executions = await lab.allExecutions(rest, saved.id);
		} catch (error) {
			log(`  listing executions failed (${error.message}); n8n is busy`);
			continue;
		}
		if (executions.length !== lastCount) {
			lastCount = executions.length;
			grewAt = Date.now();
		}
		if (executions.every(finished) && Date.now() - grewAt > 20000) break;
		if (Date.now() - sentAt > EVENT_WAIT_S * 1000) break;
	}
	const unfinished = executions.filter((e) => !finished(e)).length;
	await lab.deactivateWorkflow(rest, saved.id).catch((error) => log(`  deactivating failed: ${error.message}`));
	const runs = await lab.inParallel(executions.filter(finished), 4, async (summary) => {
		const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 300000 });
		const { items } = lab.nodeOutput(ex.data, lab.TRIGGER_NODE);
		return { stoppedAt: Date.parse(ex.execution.stoppedAt), status: ex.status, postIds: items.map((item) => item.post?.id) };
	});
	const seen = new Map();
	const lags = [];
	let lastDone = 0;
	for (const run of runs) {
		lastDone = Math.max(lastDone, run.stoppedAt);
		for (const id of run.postIds) {
			seen.set(id, (seen.get(id) || 0) + 1);
			if (createdAt.has(id)) lags.push(run.stoppedAt - createdAt.get(id));
		}
	}
	lags.sort((a, b) => a - b);
	const lost = [...createdAt.keys()].filter((id) => !seen.has(id)).length;
	const doubled = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
	const firstCreated = Math.min(...createdAt.values());
	const result = {
		executions: executions.length,
		unfinished,
		failed: runs.filter((r) => r.status !== 'success').length,
		sentPerSecond: (EVENTS * 1000) / Math.max(1, sendMs),
		perSecond: ((EVENTS - lost) * 1000) / Math.max(1, lastDone - firstCreated),
		p50: percentile(lags, 50),
		p95: percentile(lags, 95),
		max: lags[lags.length - 1],
		lost,
		doubled,
	};
	log(`  events ${label}: sent ${EVENTS} at ${Math.round(result.sentPerSecond)}/s, ${result.executions} executions (${result.failed} failed, ${unfinished} unfinished after ${EVENT_WAIT_S} s), ${Math.round(result.perSecond)} events/s, lag p50 ${ms(result.p50)} p95 ${ms(result.p95)} max ${ms(result.max)}, lost ${lost}, doubled ${doubled}`);
	return result;
}

async function benchEvents(ctx) {
	// Batched first: one execution per event leaves n8n busy for minutes.
	const batched = await eventRun(ctx, 'Batch Events 100 / 1000 ms', EVENT_BATCH);
	const single = await eventRun(ctx, 'one execution per event', {});
	notes.push(
		`events: ${EVENTS} posts sent at ${Math.round(single.sentPerSecond)}/s (baseline) and ${Math.round(batched.sentPerSecond)}/s (ours); baseline = the trigger with one execution per event, ours = Batch Events, 100 per execution, Max Wait 1,000 ms`,
	);
	row(`events ${EVENTS} at ${EVENT_RATE}/s: events/s through n8n`, `${Math.round(single.perSecond)}/s`, `${Math.round(batched.perSecond)}/s`, x(batched.perSecond / single.perSecond), '', undefined);
	const keepsUp = EVENT_BATCH.batchMaxWaitMs + 2000;
	row('  lag post → its execution finished (delivered ones), p50 / p95 / max', `${ms(single.p50)} / ${ms(single.p95)} / ${ms(single.max)}`, `${ms(batched.p50)} / ${ms(batched.p95)} / ${ms(batched.max)}`, x(batched.p95 / single.p95), `max ≤ ${ms(keepsUp)} (keeps up)`, batched.max <= keepsUp);
	row(
		`  executions (failed, unfinished after ${EVENT_WAIT_S} s); events not delivered, doubled`,
		`${single.executions} (${single.failed}, ${single.unfinished}); ${single.lost}, ${single.doubled}`,
		`${batched.executions} (${batched.failed}, ${batched.unfinished}); ${batched.lost}, ${batched.doubled}`,
		'',
		'ours: none lost or doubled',
		batched.lost === 0 && batched.doubled === 0 && batched.failed === 0,
	);
}

/**
 * Module load: n8n requires every community node when it starts. In fresh processes of n8n's own
 * Node, after n8n's n8n-workflow (n8n has it loaded by then): `require` of our installed action
 * node against the built-in node from n8n-nodes-base. Median of 7 each.
 */
async function benchLoad(ctx) {
	const { nodeBin, n8nDir } = ctx.install;
	const modules = path.join(n8nDir, 'node_modules');
	const timeRequire = async (file) => {
		const script = [
			"const { createRequire } = require('node:module');",
			`const fromN8n = createRequire(${JSON.stringify(path.join(modules, 'n8n', 'package.json'))});`,
			"fromN8n('n8n-workflow');",
			'const start = process.hrtime.bigint();',
			`require(${JSON.stringify(file)});`,
			'console.log(Number(process.hrtime.bigint() - start) / 1e6);',
		].join('\n');
		const samples = [];
		for (let run = 0; run < 7; run++) {
			// NODE_PATH: our package resolves n8n-workflow to n8n's copy, as it does inside n8n.
			const { stdout } = await lab.run(nodeBin, ['-e', script], { env: { ...process.env, NODE_PATH: modules } });
			samples.push(Number(stdout.trim()));
		}
		return median(samples);
	};
	const builtIn = await timeRequire(path.join(modules, 'n8n-nodes-base', 'dist', 'nodes', 'Mattermost', 'Mattermost.node.js'));
	const ours = await timeRequire(path.join(ctx.packageDir, 'dist', 'nodes', 'MattermostSuite', 'MattermostSuite.node.js'));
	row('module load: require of the action node after n8n-workflow', `${builtIn.toFixed(1)} ms`, `${ours.toFixed(1)} ms`, x(ours / builtIn), '≤ 25 ms', ours <= 25);
}

// ---------------------------------------------------------------------------------------------

async function main() {
	lab.installSignalHandlers();
	const began = Date.now();
	await lab.ensureBuilt();
	const install = await lab.ensureN8n();
	const work = lab.makeTempDir('n8n-bench');
	const tarball = await lab.packageTarball(work);
	const { userFolder, packageDir } = await lab.createUserFolder({ tarball, dir: work });
	const { mm, seed } = await lab.startFakeMattermost();
	log(`fake Mattermost at ${mm.url}; starting n8n ${install.version}`);
	// The inspector reads n8n's heap for the Return All case. A CPU profile of n8n (BENCH_CPU_PROF) is
	// written when it stops: where the time goes.
	const inspectPort = await lab.freePort();
	const nodeOptions = [`--inspect=127.0.0.1:${inspectPort}`];
	if (process.env.BENCH_CPU_PROF) nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`);
	const server = await lab.startN8n({
		userFolder,
		encryptionKey: ENCRYPTION_KEY,
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', NODE_OPTIONS: nodeOptions.join(' ') },
	});
	const rest = retryDeadConnections(await lab.setupOwner(server.url));
	const ours = await lab.createCredential(rest, { name: 'Bench (ours)', baseUrl: mm.url, accessToken: seed.tokens.bot });
	const builtInCred = await rest.post('/rest/credentials', {
		name: 'Bench (built-in)',
		type: BUILT_IN_CREDENTIAL,
		data: { accessToken: seed.tokens.bot, baseUrl: mm.url, allowUnauthorizedCerts: false },
	});
	const ctx = {
		rest,
		mm,
		seed,
		pid: server.proc.pid,
		packageDir,
		install,
		heap: await heapInspector(inspectPort),
		ours,
		builtIn: { id: builtInCred.data.id, name: builtInCred.data.name },
	};
	const cases = { load: benchLoad, posts: benchPosts, users: benchUsers, files: benchFiles, events: benchEvents };
	for (const [name, bench] of Object.entries(cases)) {
		if (!ONLY.has(name)) continue;
		log(bold(`bench ${name}`));
		try {
			await bench(ctx);
		} catch (error) {
			row(`${name}: FAILED`, '', String(error.message).split('\n')[0].slice(0, 120), '', '', false);
			log(`  ${name} failed: ${error.stack}`);
		}
	}
	const load = require('node:os').loadavg().map((l) => l.toFixed(1)).join(' ');
	printTable(
		`(n8n ${install.version}, Node ${process.versions.node} here, ${require('node:os').cpus().length} cores, load ${load}, ` +
			`latency by the fake, median of ${RUNS} runs, ${Math.round((Date.now() - began) / 1000)} s in all, binary data mode filesystem, tarball ${path.basename(tarball)})`,
	);
	await lab.cleanup();
	process.exit(rows.some((r) => /FAILED/.test(r[0])) ? 1 : 0);
}

main().catch(async (error) => {
	console.error(error.stack || error);
	await lab.cleanup();
	process.exit(1);
});
