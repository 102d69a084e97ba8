import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { answerParameter } from '../helpers/itemExpression';
import { accept, field, refuse, requestFields, secretsMatch } from '../helpers/verify';

/** The key of the action context that carries the secret. */
export const SECRET_CONTEXT_KEY = 'secret';

function updateProps(ctx: IWebhookFunctions, value: unknown): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), 'Update Props (JSON) is not valid JSON', {
				description: `${(error as Error).message}. Example: {"attachments": [{"text": "Done"}]}`,
			});
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Update Props (JSON) must be a JSON object', {
			description: 'Example: {"attachments": [{"text": "Done"}]}',
		});
	}
	return parsed as IDataObject;
}

export async function receiveInteractiveAction(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = requestFields(this);
	const rawContext = body.context;
	const context: IDataObject =
		rawContext && typeof rawContext === 'object' && !Array.isArray(rawContext) ? { ...(rawContext as IDataObject) } : {};
	const secret = String(this.getNodeParameter('secret', '') ?? '');
	if (secret !== '' && !secretsMatch(secret, context[SECRET_CONTEXT_KEY])) {
		return refuse(this, 'the action context carries no matching secret');
	}
	// The secret stays out of the execution data.
	delete context[SECRET_CONTEXT_KEY];

	const item: IDataObject = {
		user_id: field(body, 'user_id'),
		user_name: field(body, 'user_name'),
		post_id: field(body, 'post_id'),
		channel_id: field(body, 'channel_id'),
		channel_name: field(body, 'channel_name'),
		team_id: field(body, 'team_id'),
		team_domain: field(body, 'team_domain'),
		trigger_id: field(body, 'trigger_id'),
		type: field(body, 'type'),
		data_source: field(body, 'data_source'),
		context,
		selected_option: typeof context.selected_option === 'string' ? context.selected_option : '',
	};

	const set = this.getNodeParameter('actionResponse', {}, { rawExpressions: true }) as IDataObject;
	const answer = (name: string) => (name in set ? answerParameter(this, `actionResponse.${name}`, item) : undefined);
	const ephemeralText = answer('ephemeralText');
	const updateMessage = answer('updateMessage');
	const props = answer('updateProps');
	const response: IDataObject = {};
	if (typeof ephemeralText === 'string' && ephemeralText.trim() !== '') {
		response.ephemeral_text = ephemeralText;
	}
	const hasMessage = typeof updateMessage === 'string' && updateMessage !== '';
	if (hasMessage || props !== undefined) {
		response.update = {
			message: hasMessage ? updateMessage : '',
			props: updateProps(this, props),
		};
	}
	return accept(this, item, response);
}
