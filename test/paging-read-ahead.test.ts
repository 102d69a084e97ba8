/**
 * Return All over a page-numbered list reads ahead: one page, then two, then four at a time
 * (transport MAX_PAGES_IN_FLIGHT), so a long list does not wait for each answer before asking for the
 * next. Items still come out in page order, once each; a failure inside the list fails it, one past
 * its end does not.
 */
import { MAX_PAGES_IN_FLIGHT } from '../nodes/MattermostSuite/transport';
import { pagesAsked, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const EXTRA_USERS = 1450;
const USERS = '/api/v4/users';

const getAllUsers = { resource: 'user', operation: 'getAll', returnAll: true, simplify: false };

/** Every user the way a client that waits for each page sees them: the order to keep. */
async function usersPageByPage(): Promise<string[]> {
	const ids: string[] = [];
	for (let page = 0; ; page++) {
		const answer = await fetch(`${fake.mm.url}${USERS}?page=${page}&per_page=200`, {
			headers: { Authorization: `Bearer ${fake.seed.tokens.bot}` },
		});
		const users = (await answer.json()) as Array<{ id: string }>;
		ids.push(...users.map((user) => user.id));
		if (users.length < 200) return ids;
	}
}

/** The requests to /users grouped by when the server received them: one group per round trip. */
function roundTrips(requests: any[], gapMs: number): number[][] {
	const groups: number[][] = [];
	let last = -Infinity;
	for (const request of requests) {
		if (request.time - last > gapMs) groups.push([]);
		groups[groups.length - 1].push(Number(request.query.page));
		last = request.time;
	}
	return groups.map((group) => group.sort((a, b) => a - b));
}

const userRequests = () => fake.mm.requests.filter((r: any) => r.path === USERS);

describe('Return All reads pages ahead', () => {
	beforeAll(() => {
		for (let i = 0; i < EXTRA_USERS; i++) fake.mm.createUser({ username: `reader${String(i).padStart(4, '0')}` });
	});

	beforeEach(() => {
		fake.mm.clearFaults();
		fake.mm.clearRequests();
	});

	it('asks for 1, 2, then 4 pages at a time and returns the users in page order, once each', async () => {
		const { mm, seed } = fake;
		const expected = await usersPageByPage();
		const lastPage = Math.floor(expected.length / 200);
		expect(lastPage).toBe(7);
		mm.clearRequests();
		// Each answer takes 300 ms, so requests sent together arrive together and rounds stand apart.
		mm.addFault({ path: USERS, delayMs: 300, times: Infinity });

		const items = await runNode(mm, getAllUsers, { token: seed.tokens.bot });

		expect(items.map((item: any) => item.json.id)).toEqual(expected);
		expect(MAX_PAGES_IN_FLIGHT).toBe(4);
		expect(roundTrips(userRequests(), 150)).toEqual([[0], [1, 2], [3, 4, 5, 6], [7, 8, 9, 10]]);
		expect(pagesAsked(userRequests())).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], perPage: ['200'] });
	});

	it('a list of one page costs one request', async () => {
		const { mm, seed } = fake;
		const items = await runNode(mm, { resource: 'team', operation: 'getAll', scope: 'all', returnAll: true }, { token: seed.tokens.admin });
		expect(items.length).toBeGreaterThan(0);
		expect(items.length).toBeLessThan(200);
		expect(mm.requests.filter((r: any) => r.path === '/api/v4/teams').map((r: any) => r.query.page)).toEqual(['0']);
	});

	it('a page past the end that fails does not fail the list', async () => {
		const { mm, seed } = fake;
		const expected = await usersPageByPage();
		mm.clearRequests();
		mm.addFault({ path: USERS, query: { page: 9 }, status: 403 });

		const items = await runNode(mm, getAllUsers, { token: seed.tokens.bot });

		expect(items.map((item: any) => item.json.id)).toEqual(expected);
		expect(pagesAsked(userRequests()).pages).toContain(9);
	});

	it('a page inside the list that fails fails the item with the server\'s answer', async () => {
		const { mm, seed } = fake;
		const refusal = { id: 'api.context.permissions.app_error', message: 'Page two is off limits.', status_code: 403 };
		mm.addFault({ path: USERS, query: { page: 2 }, status: 403, body: refusal, times: Infinity });

		await expect(runNode(mm, getAllUsers, { token: seed.tokens.bot })).rejects.toThrow(/Page two is off limits/);

		const items = await runNode(mm, getAllUsers, { token: seed.tokens.bot, continueOnFail: true });
		expect(items).toHaveLength(1);
		expect(JSON.stringify(items[0].json)).toMatch(/Page two is off limits/);
	});

	it('a 429 on a page read ahead is waited out and asked again; nothing is lost or doubled', async () => {
		const { mm, seed } = fake;
		const expected = await usersPageByPage();
		mm.clearRequests();
		mm.addFault({ path: USERS, query: { page: 4 }, status: 429, headers: { 'Retry-After': '1' } });

		const items = await runNode(mm, getAllUsers, { token: seed.tokens.bot });

		expect(items.map((item: any) => item.json.id)).toEqual(expected);
		const pages = pagesAsked(userRequests()).pages;
		expect(pages.filter((page) => page === 4)).toHaveLength(2);
		expect(new Set(pages).size).toBe(pages.length - 1);
	});
});
