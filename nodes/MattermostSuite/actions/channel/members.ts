import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { usersByIds } from '../../helpers/resolve';

export const membersOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Resolve Users',
			name: 'resolveUsers',
			type: 'boolean',
			default: false,
			description:
				'Whether to add each member\'s user (username, name, email, …) as "user", fetched 200 members at a time',
		},
	],
};

/** Adds `user` (the user record, or null for a user that no longer exists) to each member. */
export async function withUsers(
	ctx: IExecuteFunctions,
	members: IDataObject[],
	itemIndex: number,
): Promise<IDataObject[]> {
	const ids = members.map((member) => member.user_id).filter((id): id is string => typeof id === 'string');
	const users = await usersByIds(ctx, ids, { itemIndex, subject: 'users of these members' });
	return members.map((member) => ({ ...member, user: users.get(member.user_id as string) ?? null }));
}
