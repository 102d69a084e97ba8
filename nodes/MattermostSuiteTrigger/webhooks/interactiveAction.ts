import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readActionEndpoints, writeActionEndpoints } from '../../MattermostSuite/helpers/actionEndpoints';

import { answerParameter } from '../helpers/itemExpression';
import { accept, field, refuse, requestFields, secretsMatch } from '../helpers/verify';

/** The key of the action context that carries the secret. */
export const SECRET_CONTEXT_KEY = 'secret';

/** "Listen for test event": its test URL answers one call and then goes away, buttons would outlive it. */
function isListeningForTest(ctx: IHookFunctions): boolean {
	return ctx.getActivationMode() === 'manual' || ctx.getMode() === 'manual';
}

/** This trigger's endpoint as buttons need it; undefined while n8n is only listening for a test call. */
function ownEndpoint(ctx: IHookFunctions): { url: string; secret?: string } | undefined {
	if (isListeningForTest(ctx)) return undefined;
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) return undefined;
	const secret = String(ctx.getNodeParameter('secret', '') ?? '');
	return secret === '' ? { url } : { url, secret };
}

/** Whether the workflow's static data holds this trigger's current URL and secret. */
export function actionEndpointRegistered(this: IHookFunctions): boolean {
	const endpoint = ownEndpoint(this);
	if (!endpoint) return true;
	const stored = readActionEndpoints(this.getWorkflowStaticData('global'))[this.getNode().name];
	return stored?.url === endpoint.url && (stored.secret ?? '') === (endpoint.secret ?? '');
}

/** Registers the production URL (and secret) for Message > Post's buttons in this workflow. */
export function registerActionEndpoint(this: IHookFunctions): boolean {
	const endpoint = ownEndpoint(this);
	if (!endpoint) return true;
	const staticData = this.getWorkflowStaticData('global');
	writeActionEndpoints(staticData, { ...readActionEndpoints(staticData), [this.getNode().name]: endpoint });
	return true;
}

/** On deactivation: buttons built from now on cannot point at a URL that no longer answers. */
export function unregisterActionEndpoint(this: IHookFunctions): boolean {
	if (isListeningForTest(this)) return true;
	const staticData = this.getWorkflowStaticData('global');
	const endpoints = readActionEndpoints(staticData);
	if (!(this.getNode().name in endpoints)) return true;
	delete endpoints[this.getNode().name];
	writeActionEndpoints(staticData, endpoints);
	return true;
}

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
