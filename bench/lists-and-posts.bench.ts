/**
 * Figures that matter, each beside a baseline measured in the same run against the same fake
 * server with the same simulated network latency:
 * - listing 5,000 users: the node (Return All, per_page 200) vs raw HTTP the way the built-in
 *   Mattermost node pages (per_page 100) and raw HTTP at per_page 200;
 * - posting 300 messages: the node one item at a time and with Items per Batch 8 vs raw HTTP (what
 *   n8n's machinery and our checks cost);
 * - loading the built action node after n8n-workflow, in fresh processes, vs n8n-workflow alone.
 */
import axios from 'axios';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { byId, runNode, useFakeMattermost } from '../test/support';

const fake = useFakeMattermost();
const LATENCY_MS = 15;
const USERS = 5000;
const rows: string[][] = [];

function withLatency(mm: any) {
	mm.addFault({ pathRegex: '^/api/v4/', delayMs: LATENCY_MS, times: Infinity });
}

/** The median of three runs, after the caller's warm-up, so JIT and first connections do not count. */
async function timed<T>(fn: () => Promise<T>, runs = 3): Promise<{ ms: number; value: T }> {
	const samples: number[] = [];
	let value!: T;
	for (let run = 0; run < runs; run++) {
		const start = process.hrtime.bigint();
		value = await fn();
		samples.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	samples.sort((a, b) => a - b);
	return { ms: samples[Math.floor(runs / 2)], value };
}

function requestsTo(mm: any, path: string, since: number) {
	return mm.requests.slice(since).filter((r: any) => r.path === path).length;
}

async function rawPages(mm: any, token: string, perPage: number) {
	const users: unknown[] = [];
	for (let page = 0; ; page++) {
		const { data } = await axios.get(`${mm.url}/api/v4/users`, {
			params: { page, per_page: perPage },
			headers: { Authorization: `Bearer ${token}` },
		});
		users.push(...data);
		if (data.length < perPage) return users;
	}
}

afterAll(() => {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
	console.log(`\nbench (simulated latency ${LATENCY_MS} ms per request)\n${lines.join('\n')}\n`);
});

describe('benchmarks', () => {
	beforeAll(() => {
		rows.push(['case', 'variant', 'requests', 'ms', 'result']);
		for (let n = 0; n < USERS; n++) fake.mm.createUser({ username: `bench${n}`, email: `bench${n}@example.com` });
		withLatency(fake.mm);
	});

	it(`lists ${USERS}+ users`, async () => {
		const { mm, seed } = fake;
		const listWithNode = () =>
			runNode(mm, { resource: 'user', operation: 'getAll', returnAll: true, simplify: false }, { token: seed.tokens.admin });
		await listWithNode();
		await rawPages(mm, seed.tokens.admin, 200);
		let mark = mm.requests.length;
		const node = await timed(listWithNode, 1);
		const nodeRequests = requestsTo(mm, '/api/v4/users', mark);
		mark = mm.requests.length;
		const builtInWay = await timed(() => rawPages(mm, seed.tokens.admin, 100), 1);
		const builtInRequests = requestsTo(mm, '/api/v4/users', mark);
		mark = mm.requests.length;
		const raw200 = await timed(() => rawPages(mm, seed.tokens.admin, 200), 1);
		const raw200Requests = requestsTo(mm, '/api/v4/users', mark);
		// Medians of three, now that the request counts are known.
		node.ms = (await timed(listWithNode)).ms;
		builtInWay.ms = (await timed(() => rawPages(mm, seed.tokens.admin, 100))).ms;
		raw200.ms = (await timed(() => rawPages(mm, seed.tokens.admin, 200))).ms;

		rows.push(['list users', 'Mattermost Suite node (per_page 200)', String(nodeRequests), node.ms.toFixed(0), `${node.value.length} items`]);
		rows.push(['list users', 'baseline: raw HTTP, per_page 100 (built-in node)', String(builtInRequests), builtInWay.ms.toFixed(0), `${builtInWay.value.length} users`]);
		rows.push(['list users', 'baseline: raw HTTP, per_page 200', String(raw200Requests), raw200.ms.toFixed(0), `${raw200.value.length} users`]);
		expect(node.value.length).toBe(builtInWay.value.length);
		expect(nodeRequests).toBeLessThan(builtInRequests);
	});

	it('posts 300 messages', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.townSquare.id;
		const items = Array.from({ length: 300 }, (_, n) => ({ json: { text: `bench ${n}` } }));
		const post = { resource: 'message', operation: 'post', channelId: byId(channelId), message: '={{ $json.text }}' };
		// n8n's request helper builds a new agent for every request: no connection is reused.
		let connections = 0;
		mm.server.on('connection', () => connections++);
		const counted = async <T>(fn: () => Promise<T>) => {
			connections = 0;
			const result = await timed(fn, 1);
			return { ...result, connections };
		};
		const node = await counted(() => runNode(mm, post, { token: seed.tokens.bot, items }));
		const batched = await counted(() =>
			runNode(mm, { ...post, requestOptions: { batching: { batch: { batchSize: 8 } } } }, { token: seed.tokens.bot, items }),
		);
		const raw = await counted(async () => {
			for (const item of items) {
				await axios.post(
					`${mm.url}/api/v4/posts`,
					{ channel_id: channelId, message: item.json.text },
					{ headers: { Authorization: `Bearer ${seed.tokens.bot}` } },
				);
			}
		});
		const perPost = (run: { ms: number; connections: number }) =>
			`${(run.ms / 300).toFixed(1)} ms/post, ${run.connections} TCP connections`;
		rows.push(['post 300', 'Mattermost Suite node, one item at a time', '300', node.ms.toFixed(0), perPost(node)]);
		rows.push(['post 300', 'Mattermost Suite node, Items per Batch 8', '300', batched.ms.toFixed(0), perPost(batched)]);
		rows.push(['post 300', 'baseline: raw HTTP (keep-alive)', '300', raw.ms.toFixed(0), perPost(raw)]);
		expect(node.value).toHaveLength(300);
		expect(batched.value).toHaveLength(300);
	});

	it('loads the built action node', () => {
		const built = join(__dirname, '..', 'dist', 'nodes', 'MattermostSuite', 'MattermostSuite.node.js');
		if (!existsSync(built)) {
			rows.push(['module load', 'dist/ missing: run npm run build first', '-', '-', '-']);
			return;
		}
		// n8n has n8n-workflow loaded before it requires a community node: only what follows counts.
		const script = `
			const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;
			let start = process.hrtime.bigint();
			require('n8n-workflow');
			const workflow = ms(start);
			start = process.hrtime.bigint();
			require(${JSON.stringify(built)});
			console.log(JSON.stringify({ workflow, node: ms(start) }));`;
		const runs = Array.from({ length: 7 }, () =>
			JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8' })),
		);
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
		const nodeMs = median(runs.map((run) => run.node));
		const workflowMs = median(runs.map((run) => run.workflow));
		rows.push(['module load', 'MattermostSuite.node.js after n8n-workflow (median of 7)', '-', nodeMs.toFixed(1), 'goal <= 25 ms']);
		rows.push(['module load', 'baseline: n8n-workflow alone, fresh process', '-', workflowMs.toFixed(1), '']);
	});
});
