import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';
import { dateParameter, endOfDay, endOfWeek, workflowTimeZone } from './shared';

/** model.CustomStatusTextMaxRunes */
const MAX_TEXT = 100;
const MINUTE = 60_000;

const properties: INodeProperties[] = [
	{ ...userRLC, description: 'Whose custom status to set: the credential\'s own user, or anyone for an admin' },
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '',
		placeholder: 'e.g. calendar',
		description: 'Emoji name, with or without colons. Empty: Mattermost shows speech_balloon.',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: 'e.g. In a meeting',
		description: `The status text, at most ${MAX_TEXT} characters`,
	},
	{
		displayName: 'Clear After',
		name: 'duration',
		type: 'options',
		options: [
			{ name: '1 Hour', value: 'one_hour' },
			{ name: '30 Minutes', value: 'thirty_minutes' },
			{ name: '4 Hours', value: 'four_hours' },
			{ name: 'Date and Time', value: 'date_and_time' },
			{ name: 'Don\'t Clear', value: '' },
			{ name: 'This Week', value: 'this_week', description: 'Until the end of Saturday in the workflow\'s timezone' },
			{ name: 'Today', value: 'today', description: 'Until midnight in the workflow\'s timezone' },
		],
		default: '',
	},
	{
		displayName: 'Clear At',
		name: 'expiresAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When the custom status is cleared',
		displayOptions: { show: { duration: ['date_and_time'] } },
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['setCustomStatus'] } },
	properties,
);

/** The expiry Mattermost's app would send for each "Clear After" choice. */
function expiryFor(ctx: IExecuteFunctions, duration: string, itemIndex: number): number | undefined {
	const now = Date.now();
	const wholeMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
	switch (duration) {
		case '':
			return undefined;
		case 'thirty_minutes':
			return wholeMinute(now + 30 * MINUTE);
		case 'one_hour':
			return wholeMinute(now + 60 * MINUTE);
		case 'four_hours':
			return wholeMinute(now + 240 * MINUTE);
		case 'today':
			return endOfDay(now, workflowTimeZone(ctx));
		case 'this_week':
			return endOfWeek(now, workflowTimeZone(ctx));
		case 'date_and_time': {
			const ms = dateParameter(ctx, ctx.getNodeParameter('expiresAt', itemIndex, ''), 'Clear At', itemIndex);
			if (ms <= now) {
				throw new NodeOperationError(ctx.getNode(), `Clear At (${new Date(ms).toISOString()}) is in the past`, {
					description: 'Give a time in the future, or choose another Clear After.',
					itemIndex,
				});
			}
			return ms;
		}
		default:
			throw new NodeOperationError(ctx.getNode(), `Clear After "${duration}" is not a Mattermost duration`, {
				description: 'Use thirty_minutes, one_hour, four_hours, today, this_week, date_and_time, or leave it empty.',
				itemIndex,
			});
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const emoji = String(this.getNodeParameter('emoji', itemIndex, '')).trim().replace(/^:|:$/g, '');
	const text = String(this.getNodeParameter('text', itemIndex, '')).trim();
	const duration = String(this.getNodeParameter('duration', itemIndex, '') ?? '');
	if (emoji === '' && text === '') {
		throw new NodeOperationError(this.getNode(), 'Emoji and Text are both empty', {
			description: 'A custom status needs an emoji or a text. To remove the custom status, use Clear Custom Status.',
			itemIndex,
		});
	}
	if ([...text].length > MAX_TEXT) {
		throw new NodeOperationError(this.getNode(), `Text is ${[...text].length} characters long; Mattermost keeps at most ${MAX_TEXT}`, {
			description: 'Shorten the text.',
			itemIndex,
		});
	}
	if (/\s/.test(emoji)) {
		throw new NodeOperationError(this.getNode(), `Emoji "${emoji}" is not an emoji name`, {
			description: 'Give the name of an emoji without spaces, e.g. calendar or :palm_tree:.',
			itemIndex,
		});
	}
	const expiresAt = expiryFor(this, duration, itemIndex);
	const userId = await resolveUserId(this, itemIndex);

	const body: IDataObject = { emoji, text };
	if (duration !== '') body.duration = duration;
	if (expiresAt !== undefined) body.expires_at = new Date(expiresAt).toISOString();
	await mattermostApiRequest.call(this, 'PUT', `/users/${userId}/status/custom`, {
		body,
		itemIndex,
		subject: `user ${userId}`,
	});
	return [{ json: { user_id: userId, ...body } }];
}
