import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { adviseOn, mattermostApiRequest } from '../../transport';
import { showOnlyFor, teamRLC } from '../common.descriptions';
import { isEmail } from './shared';

const properties: INodeProperties[] = [
	{ ...teamRLC, description: 'The team to invite the people to' },
	{
		displayName: 'Emails',
		name: 'emails',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. nathan@example.com, olivia@example.com',
		description: 'Email addresses to invite, separated by commas, semicolons, spaces or new lines (or a list from an expression). Mattermost emails each one an invitation to join the team.',
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['inviteByEmail'] } },
	properties,
);

function emailsFrom(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/);
	const emails = list.map((email) => email.trim()).filter((email) => email !== '');
	return [...new Set(emails.map((email) => email.toLowerCase()))];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const emails = emailsFrom(this.getNodeParameter('emails', itemIndex, ''));
	if (emails.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Emails is empty', {
			description: 'Enter at least one email address, e.g. nathan@example.com.',
			itemIndex,
		});
	}
	const invalid = emails.filter((email) => !isEmail(email));
	if (invalid.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Emails: ${invalid.map((email) => `"${email}"`).join(', ')} ${invalid.length === 1 ? 'is not an email address' : 'are not email addresses'}`,
			{ description: 'Separate addresses with commas, e.g. nathan@example.com, olivia@example.com.', itemIndex },
		);
	}
	const teamId = await resolveTeamId(this, itemIndex);
	try {
		await mattermostApiRequest.call(this, 'POST', `/teams/${teamId}/invite/email`, {
			body: emails,
			itemIndex,
			subject: `team ${teamId}`,
		});
	} catch (error) {
		if (!(error instanceof NodeApiError)) throw new NodeOperationError(this.getNode(), error, { itemIndex });
		if (error.httpCode === '501') {
			adviseOn(
				error,
				'Email invitations are turned off on this server. Ask a Mattermost admin to enable ServiceSettings.EnableEmailInvitations and email notifications (SMTP).',
			);
		}
		// Hands back the same error, with the advice above.
		throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
	}
	return [{ json: { invited: true, team_id: teamId, emails } }];
}
