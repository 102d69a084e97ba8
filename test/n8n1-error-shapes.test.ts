/**
 * The error shapes n8n 1.x's request helper throws, as measured on n8n 1.123.81: its
 * ExecutionBaseError drops an Error `cause`, so what is left is the NodeApiError's own fields
 * (`httpCode` as a string, `context.data`, `messages`). The transport asks for full responses, so
 * only failures without an answer (and OAuth2 renewals) reach these; the e2e `compat` suite runs
 * the real thing on n8n 1.x.
 */
import type { INode } from 'n8n-workflow';

import { describeFailure, mattermostError } from '../nodes/MattermostSuite/transport/errors';

const node: INode = {
	id: 'node',
	name: 'Mattermost Suite',
	type: 'n8n-nodes-mattermost-suite.mattermostSuite',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A NodeApiError of n8n-workflow 1.x after its constructor ran: no `cause`. */
function n8n1Error(fields: { message: string; httpCode?: string | null; messages?: string[]; context?: object }) {
	return Object.assign(new Error(fields.message), { messages: [], context: {}, httpCode: null, ...fields });
}

describe('n8n 1.x error shapes', () => {
	it('a refused connection: the code is the httpCode, and the message says nothing answers', () => {
		const error = n8n1Error({ message: 'The service refused the connection - perhaps it is offline', httpCode: 'ECONNREFUSED' });
		expect(describeFailure(error)).toEqual({ response: undefined, code: 'ECONNREFUSED', message: error.message });
		// n8n puts its own sentence for a message naming ECONNREFUSED; the description is the node's.
		expect(mattermostError(node, error).description).toMatch(/Nothing answers at the Base URL/);
	});

	it('an HTTP error: the status is the httpCode and the AppError body is context.data', () => {
		const error = n8n1Error({
			message: 'Forbidden - perhaps check your credentials?',
			httpCode: '403',
			context: { data: { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.', status_code: 403 } },
		});
		const apiError = mattermostError(node, error);
		expect(apiError.httpCode).toBe('403');
		expect(apiError.message).toBe('You do not have the appropriate permissions.');
		expect(apiError.description).toMatch(/not allowed to do this/);
	});

	it('OAuth2: the public client\'s "refreshToken is required" asks to reconnect', () => {
		const error = n8n1Error({ message: 'refreshToken is required', httpCode: 'ERR_ASSERTION' });
		const apiError = mattermostError(node, error, { oAuth2: true });
		expect(apiError.message).toMatch(/expired and cannot be renewed: this credential has no refresh token/);
		expect(apiError.description).toMatch(/reconnect/);
	});

	it('OAuth2: a refused renewal (the token URL\'s status in httpCode) is not taken for an API answer', () => {
		const error = n8n1Error({ message: 'Bad request - please check your parameters', httpCode: '400', messages: ['HTTP status 400'] });
		const apiError = mattermostError(node, error, { oAuth2: true });
		expect(apiError.message).toBe('Mattermost refused to renew the OAuth2 access token (HTTP 400)');
		expect(apiError.httpCode).toBeNull();
		expect(apiError.description).toMatch(/reconnect/i);
	});
});
