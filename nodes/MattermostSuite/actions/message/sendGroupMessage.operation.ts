import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { userByUsername } from '../../helpers/resolve';
import { MATTERMOST_ID_PATTERN, showOnlyFor } from '../common.descriptions';
import { currentUserId } from './currentUser';
import { listParameter, postContentProperties, preparePost, sendPreparedPost } from './postContent';

/** A group message channel has 3 to 8 members: the credential's user and 2 to 7 others. */
const MIN_OTHERS = 2;
const MAX_OTHERS = 7;

/** Mattermost usernames: 3 to 22 of a-z, 0-9, '.', '-' and '_', starting with a letter. */
const USERNAME = /^[a-z][a-z0-9._-]{2,21}$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Users',
		name: 'users',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. alice, bob, 4xp9fdt77pncbef59f4k1qe83o',
		description:
			'The 2 to 7 other members of the group message, as usernames or user IDs separated by commas (or a list from an expression). The credential\'s user is always a member.',
	},
	...postContentProperties,
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['sendGroupMessage'] } },
	properties,
);

type UserReference = { id: string } | { username: string };

function userReferences(ctx: IExecuteFunctions, itemIndex: number): UserReference[] {
	const raw = ctx.getNodeParameter('users', itemIndex, '') as unknown;
	const entries = [...new Set(listParameter(raw).map((entry) => entry.replace(/^@/, '')))];
	const idPattern = new RegExp(MATTERMOST_ID_PATTERN);
	const references = entries.map((entry): UserReference => {
		if (idPattern.test(entry)) return { id: entry };
		const username = entry.toLowerCase();
		if (!USERNAME.test(username)) {
			throw new NodeOperationError(ctx.getNode(), `Users: "${entry}" is neither a username nor a user ID`, {
				description:
					'Separate the users with commas, e.g. alice, bob. A username is 3 to 22 letters, digits, dots, dashes or underscores; a user ID is 26 lowercase letters and digits.',
				itemIndex,
			});
		}
		return { username };
	});
	assertGroupSize(ctx, references.length, itemIndex);
	return references;
}

function assertGroupSize(ctx: IExecuteFunctions, others: number, itemIndex: number): void {
	if (others < MIN_OTHERS || others > MAX_OTHERS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`A group message needs ${MIN_OTHERS} to ${MAX_OTHERS} users besides the credential's user; Users names ${others}`,
			{
				description:
					others < MIN_OTHERS
						? 'Name at least two users besides the credential\'s user. For one user, use Send Direct Message.'
						: 'A group message has at most 8 members including the credential\'s user. For more people, use a private channel.',
				itemIndex,
			},
		);
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const references = userReferences(this, itemIndex);
	const prepared = preparePost(this, itemIndex);
	const me = await currentUserId(this, itemIndex);
	const ids: string[] = [];
	for (const reference of references) {
		if ('id' in reference) {
			ids.push(reference.id);
			continue;
		}
		const user = await userByUsername(this, reference.username, { itemIndex });
		ids.push(user.id as string);
	}
	const others = [...new Set(ids)].filter((id) => id !== me);
	assertGroupSize(this, others.length, itemIndex);
	// Creating a group channel that exists already (same members) returns it unchanged.
	const channel = (await mattermostApiRequest.call(this, 'POST', '/channels/group', {
		body: [me, ...others],
		itemIndex,
		subject: `one of the users ${others.join(', ')}`,
	})) as IDataObject;
	return [{ json: await sendPreparedPost(this, itemIndex, prepared, channel.id as string) }];
}
