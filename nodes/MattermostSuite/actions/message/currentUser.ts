import type { IExecuteFunctions } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { executionOnce } from '../../transport/perExecution';

/** The id of the credential's user (`GET /users/me`), asked once per run of the node. */
export async function currentUserId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	return await executionOnce(ctx, 'currentUserId', async () => {
		const me = await mattermostApiRequest.call(ctx, 'GET', '/users/me', {
			itemIndex,
			subject: "the credential's user",
		});
		return String(me.id ?? '');
	});
}
