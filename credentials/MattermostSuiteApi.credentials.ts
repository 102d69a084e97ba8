import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { accessTokenProblem } from '../nodes/MattermostSuite/transport/accessToken';
import { apiRootFromBaseUrl } from '../nodes/MattermostSuite/transport/apiRoot';
import { siteUrlExpression } from './siteUrlExpression';
import { baseUrlField, ignoreSslIssuesField } from './commonFields';

/**
 * The API-root rule of transport/apiRoot.ts written as an n8n expression: n8n evaluates a
 * credential's test request from this description alone. An empty root makes the request fail
 * in `authenticate`, which names the problem.
 */
export const API_ROOT_EXPRESSION = `={{ ${siteUrlExpression('$credentials.baseUrl', '/api/v4')} }}`;

export class MattermostSuiteApi implements ICredentialType {
	name = 'mattermostSuiteApi';

	displayName = 'Mattermost Suite API';

	icon: Icon = {
		light: 'file:../nodes/MattermostSuite/mattermostSuite.svg',
		dark: 'file:../nodes/MattermostSuite/mattermostSuite.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-mattermost-suite/n8n-nodes-mattermost-suite';

	properties: INodeProperties[] = [
		{
			displayName:
				'Use a personal access token (System Console > Integrations > Integration Management > Enable Personal Access Tokens, then Profile > Security > Personal Access Tokens) or a bot account\'s token (Integrations > Bot Accounts).',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		baseUrlField,
		ignoreSslIssuesField,
		{
			// n8n 2.41 shows only the error code when the test request gets no HTTP answer.
			displayName:
				'If Test answers with a bare code: ECONNREFUSED, ENOTFOUND or ETIMEDOUT means nothing answers at this Base URL (check the host, the port, and that n8n can reach it); DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN or UNABLE_TO_VERIFY_LEAF_SIGNATURE means n8n does not trust the server\'s certificate (give the server a trusted certificate, or turn on Ignore SSL Issues); EPROTO means the server answered in plain HTTP where n8n used https (a Base URL without a scheme gets https://): write http://host:port as Base URL, or enable TLS on the server.',
			name: 'connectionCodesNotice',
			type: 'notice',
			default: '',
		},
	];

	/**
	 * A function rather than a generic block so that a malformed token or Base URL is refused with
	 * a message that says what to fix, before anything is sent, in the credential test as in nodes.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		apiRootFromBaseUrl(credentials.baseUrl);
		const problem = accessTokenProblem(credentials.accessToken);
		if (problem) throw new Error(problem);
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken).trim()}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_ROOT_EXPRESSION,
			url: '/users/me',
			method: 'GET',
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues === true }}',
			// An error status comes back as an answer for the rules below to read (Mattermost's error
			// body carries status_code): n8n 1.x's tester cannot see the status of a thrown error.
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status_code',
					value: 401,
					message:
						'Mattermost refused the Access Token (401): it is wrong, revoked or belongs to a deactivated user, or personal access tokens are disabled on the server. Create a new token, or ask an admin to enable System Console > Integrations > Integration Management > Enable Personal Access Tokens.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status_code',
					value: 403,
					message:
						'Mattermost accepted the token but refused to read the user it belongs to (403). Check that the token\'s account is active and allowed to use the API.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status_code',
					value: 404,
					message:
						'No Mattermost API answered at this Base URL (404). Use the address you open Mattermost at, e.g. https://mattermost.example.com, including any sub-path such as /mattermost.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'id',
					value: undefined,
					message:
						'GET /api/v4/users/me at this Base URL did not return the token\'s user. Check that the Base URL is the address you open Mattermost at, e.g. https://mattermost.example.com (with any sub-path such as /mattermost), and that Mattermost is up.',
				},
			},
		],
	};
}
