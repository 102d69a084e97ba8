import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor } from '../common.descriptions';
import { emojiNameOf, reactionProperties, reactionUserId } from './emoji';

const properties: INodeProperties[] = reactionProperties(
	'The post to react to',
	'Who reacts. Without it: the credential\'s user. Mattermost lets a token react only as its own user, so any other user is refused.',
);

export const description = showOnlyFor(
	{ show: { resource: ['reaction'], operation: ['add'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const emojiName = emojiNameOf(this, itemIndex);
	const userId = await reactionUserId(this, itemIndex);
	const reaction = (await mattermostApiRequest.call(this, 'POST', '/reactions', {
		body: { user_id: userId, post_id: postId, emoji_name: emojiName },
		itemIndex,
		subject: `post ${postId}`,
	})) as IDataObject;
	return [{ json: reaction }];
}
