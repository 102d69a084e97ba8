import type { IExecuteFunctions } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';

const CONTEXT_KEY = 'mattermostSuiteCurrentUserId';

/**
 * The id of the credential's user (`GET /users/me`), asked once per execution: the answer is kept
 * in the node's execution context, which n8n creates per execution, so no module state outlives it.
 */
export async function currentUserId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const context = ctx.getContext('node');
	const cached = context[CONTEXT_KEY];
	if (typeof cached === 'string' && cached !== '') return cached;
	const me = await mattermostApiRequest.call(ctx, 'GET', '/users/me', {
		itemIndex,
		subject: 'the credential\'s user',
	});
	const id = String(me.id ?? '');
	context[CONTEXT_KEY] = id;
	return id;
}
