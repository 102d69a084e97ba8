import { credentialType, testMattermostCredential, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const tlsFake = useFakeMattermost({ tls: true });

describe('Mattermost Suite API credential', () => {
	it('is its own type, not the built-in one, with the documented fields', () => {
		expect(credentialType.name).toBe('mattermostSuiteApi');
		expect(credentialType.properties.map((p) => p.displayName)).toEqual(
			expect.arrayContaining(['Access Token', 'Base URL', 'Ignore SSL Issues (Insecure)']),
		);
		const token = credentialType.properties.find((p) => p.name === 'accessToken');
		expect(token?.typeOptions?.password).toBe(true);
	});

	it('test: a good token passes, through GET /api/v4/users/me', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const result = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: mm.url });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/users/me']);
		expect(mm.requests[0].headers.authorization).toBe(`Bearer ${seed.tokens.bot}`);
	});

	it('test: accepts the Base URL forms users paste (sub-path-free host with /api/v4/)', async () => {
		const { mm, seed } = fake;
		const result = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: ` ${mm.url}/api/v4/ ` });
		expect(result.status).toBe('OK');
	});

	it('test: a bad token says the token is wrong, revoked or PATs are disabled, and where to enable them', async () => {
		const { mm } = fake;
		const result = await testMattermostCredential({ accessToken: 'abcdefghijklmnopqrstuvwxyz', baseUrl: mm.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Access Token \(401\)/);
		expect(result.message).toMatch(/Enable Personal Access Tokens/);
	});

	it('test: a wrong URL (no Mattermost API there) says to fix the Base URL', async () => {
		const { mm, seed } = fake;
		const result = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: `${mm.url}/not-mattermost` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/No Mattermost API answered at this Base URL/);
	});

	it('test: a malformed Base URL or token is refused with what to fix, before any request', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const badUrl = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: 'ftp://mm.example.com' });
		expect(badUrl).toMatchObject({ status: 'Error' });
		expect(badUrl.message).toMatch(/Base URL .* not a valid http\(s\) URL/);
		const emptyToken = await testMattermostCredential({ accessToken: '  ', baseUrl: mm.url });
		expect(emptyToken.message).toMatch(/Access Token of the Mattermost credential is empty/);
		const spacedToken = await testMattermostCredential({ accessToken: 'abc def\nxyz', baseUrl: mm.url });
		expect(spacedToken.message).toMatch(/contains spaces or a line break/);
		expect(spacedToken.message).not.toContain('abc def');
		const bearerToken = await testMattermostCredential({ accessToken: 'Bearer q7rt2tokenafterbearer', baseUrl: mm.url });
		expect(bearerToken.message).toMatch(/starts with "Bearer ": remove "Bearer " from the token/);
		expect(bearerToken.message).not.toContain('q7rt2tokenafterbearer');
		expect(mm.requests).toHaveLength(0);
	});

	it('test: a Base URL without a scheme against a plain-HTTP server fails with EPROTO, which the form explains', async () => {
		const { mm, seed } = fake;
		const result = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: new URL(mm.url).host });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/EPROTO/);
		const notice = credentialType.properties.find((p) => p.name === 'connectionCodesNotice');
		expect(notice?.displayName).toMatch(/EPROTO means the server answered in plain HTTP .*write http:\/\/host:port as Base URL, or enable TLS on the server/);
	});

	it('test: an answer that is not the token\'s user fails (a proxy\'s 502 page, a web page at the URL)', async () => {
		const { mm, seed } = fake;
		try {
			mm.addFault({ method: 'GET', path: '/api/v4/users/me', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
			const proxyError = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: mm.url });
			expect(proxyError.status).toBe('Error');
			expect(proxyError.message).toMatch(/did not return the token's user/);
			mm.addFault({ method: 'GET', path: '/api/v4/users/me', status: 200, body: '<html>Welcome</html>' });
			const webPage = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: mm.url });
			expect(webPage.status).toBe('Error');
			expect(webPage.message).toMatch(/did not return the token's user/);
		} finally {
			mm.clearFaults();
		}
	});

	it('test: a refused connection fails with the connection error', async () => {
		const result = await testMattermostCredential({ accessToken: 'x'.repeat(26), baseUrl: 'http://127.0.0.1:1' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/ECONNREFUSED/);
	});

	it('test: a self-signed HTTPS server fails with the toggle off and passes with it on', async () => {
		const { mm, seed } = tlsFake;
		expect(mm.url.startsWith('https://')).toBe(true);
		const off = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: mm.url, ignoreSslIssues: false });
		expect(off.status).toBe('Error');
		expect(off.message).toMatch(/SELF_SIGNED|CERT|certificate/i);
		const on = await testMattermostCredential({ accessToken: seed.tokens.bot, baseUrl: mm.url, ignoreSslIssues: true });
		expect(on).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});
