/** The trigger with the OAuth2 credential: REST calls and the WebSocket use the OAuth access token. */
import { MattermostSuiteOAuth2Api } from '../credentials/MattermostSuiteOAuth2Api.credentials';
import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { activateTrigger, type ActiveTrigger } from './harness';
import { useFakeMattermost } from './support';

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const oauthType = new MattermostSuiteOAuth2Api();
const active: ActiveTrigger[] = [];
afterEach(async () => {
	for (const trigger of active.splice(0)) await trigger.close();
});

describe('Mattermost Suite Trigger with OAuth2', () => {
	it('listens for events as the user who connected the app', async () => {
		const { mm, seed } = fake;
		const app = mm.createOAuthApp({ name: 'n8n', callback_urls: ['http://127.0.0.1/callback'], is_trusted: true });
		const session = mm.state.createOAuthSession(seed.alice.id, app.id, 3600);
		mm.clearRequests();
		const trigger = await activateTrigger({
			nodeType,
			parameters: { source: 'events', authentication: 'oAuth2', events: ['posted'] } as any,
			credentials: {
				mattermostSuiteOAuth2Api: {
					baseUrl: mm.url,
					grantType: 'authorizationCode',
					clientId: app.id,
					clientSecret: app.client_secret,
					ignoreSslIssues: false,
					oauthTokenData: { access_token: session.token, token_type: 'bearer' },
				},
			},
			credentialTypes: [oauthType],
		});
		active.push(trigger);
		const me = mm.requests.find((r: any) => r.path === '/api/v4/users/me');
		expect(me.headers.authorization).toBe(`Bearer ${session.token}`);
		expect(mm.webSocketConnections).toEqual([expect.objectContaining({ userId: seed.alice.id })]);

		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: 'hello alice' });
		const [item] = await trigger.waitForItems(1);
		expect(item.json).toMatchObject({ event: 'posted', post: { message: 'hello alice' } });
	});
});
