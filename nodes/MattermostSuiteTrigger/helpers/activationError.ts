import type { IHookFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ACCESS_TOKEN_CREDENTIAL, APP_CREDENTIAL } from '../../MattermostSuite/transport';

/** What the trigger was doing, e.g. "create the outgoing webhook in Mattermost". */
export interface Activation {
	activity: string;
	/** The Mattermost permission the activity needs, e.g. "manage_outgoing_webhooks". */
	permission?: string;
}

const PERMISSION_ERROR_ID = 'api.context.permissions.app_error';
const PRIVATE_CHANNEL_ERROR_ID = 'api.webhook.create_outgoing.not_open.app_error';

type TriggerContext = IHookFunctions | ITriggerFunctions;

function credentialLabel(ctx: TriggerContext): { label: string; oAuth2: boolean } {
	const oAuth2 = ctx.getNodeParameter('authentication', 'accessToken') === 'oAuth2';
	const name = ctx.getNode().credentials?.[oAuth2 ? APP_CREDENTIAL : ACCESS_TOKEN_CREDENTIAL]?.name;
	return { label: name ? `credential "${name}"` : 'the Mattermost Suite credential', oAuth2 };
}

function sentence(text: string | null | undefined): string {
	const trimmed = (text ?? '').trim();
	return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function apiErrorAdvice(ctx: TriggerContext, error: NodeApiError, activation: Activation): string {
	const { label, oAuth2 } = credentialLabel(ctx);
	const start = `Could not ${activation.activity}`;
	if (error.httpCode === '401') {
		return oAuth2
			? `${start}: Mattermost refused the OAuth2 connection of ${label} (the app was deauthorized or its user deactivated). Reconnect the credential`
			: `${start}: Mattermost refused the access token of ${label} (it is wrong, expired or revoked, or its user is deactivated). Create a new token in Mattermost and paste it into the credential`;
	}
	if (error.httpCode === '403' && activation.permission && error.context.mattermostErrorId === PERMISSION_ERROR_ID) {
		return `${start}: the Mattermost user of ${label} lacks the "${activation.permission}" permission in this team. Ask a Mattermost admin to give that user the permission (e.g. make them a team admin, or allow it for members in System Console > User Management > Permissions), or use a credential whose user has it`;
	}
	if (error.context.mattermostErrorId === PRIVATE_CHANNEL_ERROR_ID) {
		return `${start}: Mattermost sends outgoing webhooks only for public channels. Pick a public channel, or leave Channel empty and rely on trigger words`;
	}
	// The request ID stays in the description, where support looks for it.
	const advice = (error.description ?? '').replace(/\s*\(Mattermost request ID: \w+\)/, '');
	return `${start}: ${sentence(error.message)} ${sentence(advice)}`.trim().replace(/\.$/, '');
}

/**
 * n8n 2.41 shows only `message` when a trigger fails to publish (the description is dropped), so
 * the sentence that says what to do goes into the message; Mattermost's own text moves to the
 * description.
 */
export function activationError(ctx: TriggerContext, error: unknown, activation: Activation): Error {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error);
	if (nodeError.context.activationAdvice === true) return nodeError;
	if (nodeError instanceof NodeApiError) {
		const raw = (nodeError.context.mattermostMessage as string | undefined) ?? nodeError.message;
		nodeError.message = apiErrorAdvice(ctx, nodeError, activation);
		nodeError.description = nodeError.httpCode
			? `Mattermost answered HTTP ${nodeError.httpCode}: "${raw}". ${nodeError.description ?? ''}`.trim()
			: `${raw}. ${nodeError.description ?? ''}`.trim();
	} else if (nodeError.description) {
		nodeError.message = `${sentence(nodeError.message)} ${sentence(nodeError.description)}`.replace(/\.$/, '');
	}
	nodeError.context.activationAdvice = true;
	return nodeError;
}

/** Runs one activation step; what it throws comes out as an activation error. */
export async function duringActivation<T>(ctx: TriggerContext, activation: Activation, step: () => Promise<T>): Promise<T> {
	try {
		return await step();
	} catch (error) {
		throw activationError(ctx, error, activation);
	}
}
