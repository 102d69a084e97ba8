import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { siteUrlExpression } from './siteUrlExpression';
import { baseUrlField, ignoreSslIssuesField } from './commonFields';

/**
 * Mattermost as an OAuth 2.0 provider (an app under Integrations > OAuth 2.0 Applications).
 *
 * Built on n8n's generic `oAuth2Api`: n8n runs the authorization-code flow (with PKCE for public
 * clients), stores the token in `oauthTokenData`, signs requests with `Authorization: Bearer`
 * and, on a 401, renews the token with the refresh token. The parent's fields that do not apply
 * to Mattermost are fixed here as hidden fields:
 * - `authUrl` / `accessTokenUrl` come from the Base URL by the same rule as the access-token
 *   credential (`siteUrlExpression`), sub-path kept, pasted /api/v4 dropped;
 * - `authentication: 'body'`: Mattermost reads `client_id` / `client_secret` from the form body
 *   only (client_secret_post), never from HTTP Basic;
 * - `scope: ''`: Mattermost has no scopes, a token carries the user's full permissions;
 * - `grantType` is the visible "Client Type": `authorizationCode` (confidential client, with a
 *   secret and refresh tokens) or `pkce` (public client, S256, no secret, no refresh token;
 *   Mattermost 11.2 or later).
 */
export class MattermostSuiteOAuth2Api implements ICredentialType {
	name = 'mattermostSuiteOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Mattermost Suite OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/MattermostSuite/mattermostSuite.svg',
		dark: 'file:../nodes/MattermostSuite/mattermostSuite.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-mattermost-suite/n8n-nodes-mattermost-suite';

	properties: INodeProperties[] = [
		// n8n shows oAuth2Api's fields first and a child's field of the same name in the parent's
		// slot; fields oAuth2Api lacks follow its last one (Allowed HTTP Request Domains). So the
		// dialog reads Client Type, Client ID, Client Secret, then the setup notice and Base URL,
		// whatever the order here: test/oauth2-field-order.test.ts.
		{
			displayName: 'Client Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Confidential (Client Secret)',
					value: 'authorizationCode',
					description: 'Authorization code with the client secret; n8n renews expired tokens by itself',
				},
				{
					name: 'Public (PKCE)',
					value: 'pkce',
					description:
						'Authorization code with PKCE (S256) and no secret; no refresh token, so reconnect when the token expires. Needs Mattermost 11.2 or later.',
				},
			],
			default: 'authorizationCode',
			description: 'How the OAuth 2.0 application is registered in Mattermost',
			// n8n shows this field first; the steps and the Base URL can only come after Client Secret.
			hint: 'New to this? Register n8n in Mattermost first: the steps and the Base URL are at the end of this form.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: 'The Client ID Mattermost shows after you add the OAuth 2.0 application',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
			description: 'The Client Secret Mattermost shows after you add the OAuth 2.0 application',
		},
		{
			displayName:
				'Register n8n in Mattermost first: System Console > Integrations > Integration Management > Enable OAuth 2.0 Service Provider, then Integrations > OAuth 2.0 Applications > Add OAuth 2.0 Application. Paste the OAuth Redirect URL shown here as its Callback URL. "Is Trusted" skips the consent page. For a Public Client (PKCE, Mattermost 11.2 or later), register the app as a public client; it has no secret.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		baseUrlField,
		ignoreSslIssuesField,
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${siteUrlExpression('$self.baseUrl', '/oauth/authorize')} }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${siteUrlExpression('$self.baseUrl', '/oauth/access_token')} }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			// n8n's token exchange and refresh read this name (the parent's own field is not
			// inherited); it follows the visible setting, which the transport reads.
			displayName: 'Ignore SSL Issues for Token Requests',
			name: 'ignoreSSLIssues',
			type: 'hidden',
			default: '={{ $self.ignoreSslIssues === true }}',
		},
	];
}
