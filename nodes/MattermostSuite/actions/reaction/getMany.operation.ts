import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { limitOf, postRLC, returnAllOrLimit, showOnlyFor } from '../common.descriptions';

const properties: INodeProperties[] = [{ ...postRLC, description: 'The post whose reactions to get' }, ...returnAllOrLimit()];

export const description = showOnlyFor(
	{ show: { resource: ['reaction'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const limit = limitOf(this, itemIndex);
	// One unpaged list; `null` for a post that never had a reaction.
	const response = (await mattermostApiRequest.call(this, 'GET', `/posts/${postId}/reactions`, {
		itemIndex,
		subject: `post ${postId}`,
	})) as IDataObject[] | null;
	const reactions = Array.isArray(response) ? response : [];
	return (limit === undefined ? reactions : reactions.slice(0, limit)).map((reaction) => ({ json: reaction }));
}
