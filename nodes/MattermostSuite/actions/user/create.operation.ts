import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, simplifyProperty } from '../common.descriptions';
import { isEmail, userOutput } from './shared';

/** model.IsValidUsername: a letter first, then 2 to 21 of a-z 0-9 . - _ */
const USERNAME = /^[a-z][a-z0-9.\-_]{2,21}$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		required: true,
		default: '',
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. nathan',
		description: '3 to 22 characters: lowercase letters, digits, ".", "-" and "_", starting with a letter',
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The password for email login; it must meet the server\'s password rules (by default at least 8 characters)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'First Name', name: 'first_name', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'last_name', type: 'string', default: '' },
			{
				displayName: 'Locale',
				name: 'locale',
				type: 'string',
				default: '',
				placeholder: 'e.g. de',
				description: 'Language code of the user\'s interface',
			},
			{ displayName: 'Nickname', name: 'nickname', type: 'string', default: '' },
			{ displayName: 'Position', name: 'position', type: 'string', default: '', placeholder: 'e.g. Support Engineer' },
		],
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const email = String(this.getNodeParameter('email', itemIndex, '')).trim();
	const username = String(this.getNodeParameter('username', itemIndex, '')).trim().replace(/^@/, '');
	const password = String(this.getNodeParameter('password', itemIndex, ''));
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	if (!isEmail(email)) {
		throw new NodeOperationError(this.getNode(), email === '' ? 'Email is empty' : `Email "${email}" is not an email address`, {
			description: 'Enter the new user\'s email address, e.g. nathan@example.com.',
			itemIndex,
		});
	}
	if (!USERNAME.test(username.toLowerCase())) {
		throw new NodeOperationError(this.getNode(), username === '' ? 'Username is empty' : `Username "${username}" is not allowed by Mattermost`, {
			description: 'A username has 3 to 22 characters: lowercase letters, digits, ".", "-" and "_", and starts with a letter.',
			itemIndex,
		});
	}
	if (password === '') {
		throw new NodeOperationError(this.getNode(), 'Password is empty', {
			description: 'Enter a password for the new user (by default Mattermost wants at least 8 characters).',
			itemIndex,
		});
	}

	const body: IDataObject = { email, username: username.toLowerCase(), password };
	for (const key of ['first_name', 'last_name', 'nickname', 'position', 'locale']) {
		const value = additionalFields[key];
		if (typeof value === 'string' && value.trim() !== '') body[key] = value.trim();
	}
	const user = (await mattermostApiRequest.call(this, 'POST', '/users', { body, itemIndex })) as IDataObject;
	return [{ json: userOutput(this, itemIndex, user) }];
}
