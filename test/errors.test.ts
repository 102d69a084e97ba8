import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const post = (channelId: string) => ({ resource: 'message', operation: 'post', channelId: byId(channelId), message: 'hi' });

describe('Mattermost errors become NodeApiErrors that say what to do', () => {
	it('401: names the token problem and keeps the request id', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, post(seed.channels.townSquare.id), { token: 'wrongtoken' }).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/^Mattermost did not accept the access token: .*session/);
		expect(error.description).toMatch(/access token is wrong, expired or revoked/);
		expect(error.description).toMatch(/Mattermost request ID: [a-z0-9]+/);
		expect(error.context.requestId).toMatch(/^[a-z0-9]+$/);
	});

	it('403: the server message, and the missing permission when the server names it', async () => {
		const { mm, seed } = fake;
		const other = mm.createChannel({ team_id: seed.team.id, name: 'closed-room', display_name: 'Closed', type: 'P' });
		const error = await runNode(mm, post(other.id), { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe('You do not have the appropriate permissions.');
		expect(error.description).toMatch(/not allowed|lacks/);
	});

	it('404: says what was looked up', async () => {
		const { mm, seed } = fake;
		const missing = 'abcdefghijklmnopqrstuvwxyz';
		const error = await runNode(mm, post(missing), { token: seed.tokens.bot }).catch((e) => e);
		expect(error.httpCode).toMatch(/^40[34]$/);
		if (error.httpCode === '404') expect(error.description).toContain(missing);
	});

	it.each([
		[413, /larger than the server accepts/],
		[429, /rate limiting/],
		[500, /failed to handle the request/],
		[503, /failed to handle the request/],
	])('%i: mapped with advice', async (status, description) => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status, times: Infinity });
		try {
			const error = await runNode(mm, { ...post(seed.channels.townSquare.id), requestOptions: { maxAttempts: 1 } }, { token: seed.tokens.bot }).catch((e) => e);
			expect(error.httpCode).toBe(String(status));
			expect(error.description).toMatch(description);
			if (status === 429) expect(error.message).toMatch(/rate limit/i);
		} finally {
			mm.clearFaults();
		}
	});

	it('refused connection: says nothing answers at the Base URL', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, post(seed.channels.townSquare.id), {
			token: seed.tokens.bot,
			credentials: { baseUrl: 'http://127.0.0.1:1' },
		}).catch((e) => e);
		expect(error.message).toMatch(/refused the connection/);
		expect(error.description).toMatch(/Base URL/);
	});

	it('a Base URL without a scheme against a plain-HTTP server: says the server speaks plain HTTP and gives the fix, never falls back to http', async () => {
		const { mm, seed } = fake;
		const hostPort = new URL(mm.url).host;
		mm.clearRequests();
		const error = await runNode(mm, post(seed.channels.townSquare.id), {
			token: seed.tokens.bot,
			credentials: { baseUrl: hostPort },
		}).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe(
			`The server at ${hostPort} answered in plain HTTP, not TLS (EPROTO): write http://${hostPort} as Base URL, or enable TLS on the server`,
		);
		expect(error.description).toMatch(/never switches to http by itself/);
		expect(error.context.itemIndex).toBe(0);
		// The TLS handshake failed: no request (and so no token) reached the server.
		expect(mm.requests).toEqual([]);
	});

	it('a bad Base URL is refused before any request', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, post(seed.channels.townSquare.id), {
			token: seed.tokens.bot,
			credentials: { baseUrl: 'ftp://mattermost.example.com' },
		}).catch((e) => e);
		expect(error.message).toMatch(/Base URL of the Mattermost credential is not a valid http\(s\) URL/);
	});
});
