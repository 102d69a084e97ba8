import { byId, pagesAsked, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

describe('Message > Search paging (page and per_page go in the body)', () => {
	beforeAll(() => {
		const { mm, seed } = fake;
		for (let n = 0; n < 650; n++) {
			mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.alice.id, message: `okapi sighting ${n}` });
		}
	});

	const searches = () =>
		fake.mm.requests.filter((r: any) => r.path === `/api/v4/teams/${fake.seed.team.id}/posts/search`);

	it('Return All walks every page of a list longer than three pages', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: 'okapi', returnAll: true },
			{ token: seed.tokens.bot },
		);
		expect(items).toHaveLength(650);
		expect(new Set(items.map((i: any) => i.json.id)).size).toBe(650);
		expect(pagesAsked(searches(), 'body')).toEqual({ pages: [0, 1, 2, 3, 4, 5, 6], perPage: ['200'] });
		expect(searches().every((r: any) => Object.keys(r.query).length === 0)).toBe(true);
	});

	it('a Limit that cuts a page asks for no more than it needs', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'search', teamId: byId(seed.team.id), terms: 'okapi', returnAll: false, limit: 250 },
			{ token: seed.tokens.bot },
		);
		expect(items).toHaveLength(250);
		expect(searches().map((r: any) => r.body.page)).toEqual([0, 1]);
	});
});
