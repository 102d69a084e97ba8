import { createHash } from 'crypto';

/**
 * Where message buttons send their clicks when Message > Post sends them to the Mattermost Suite
 * Trigger (Source: Interactive Action) of its own workflow.
 *
 * The action node finds that trigger from the workflow's definition alone: a queue-mode worker
 * gets no static data with a new execution (n8n 2.41), and no node API tells another node's
 * webhook ID. So a trigger with a Secret listens at a path made of the workflow's ID and a digest
 * of the workflow ID and the secret, which both nodes can compute. The digest keeps the secret out
 * of the URL and makes the URL unguessable without it; every click still has to carry the secret.
 */
const PATH_PREFIX = 'mattermost-suite';
const DIGEST_HEX_LENGTH = 32;

/** The trigger's webhook path (after n8n's `/webhook/`) for this workflow and secret. */
export function interactiveActionPath(workflowId: string, secret: string): string {
	const digest = createHash('sha256').update(`${workflowId}:${secret}`, 'utf8').digest('hex');
	return `${PATH_PREFIX}/${workflowId}/${digest.slice(0, DIGEST_HEX_LENGTH)}`;
}

/**
 * The trigger's webhook path as an n8n expression, for its webhook description with `isFullPath`
 * (n8n evaluates it when activating, when a call comes in, and in the editor). Without a Secret,
 * or for the other sources, it is n8n's usual `<webhook ID>/webhook`; a node without a webhook ID
 * gets `<workflow ID>/<node name>/webhook` from n8n as before.
 */
export const WEBHOOK_PATH_EXPRESSION =
	`={{ $parameter["source"] === "interactiveAction" && $parameter["secret"] ? "${PATH_PREFIX}/" + $workflow.id + "/" + ($workflow.id + ":" + $parameter["secret"]).hash("sha256").slice(0, ${DIGEST_HEX_LENGTH}) : ($webhookId ? $webhookId + "/" : "") + "webhook" }}`;

/** The production URL of that path: n8n serves production webhooks under `<base URL>/webhook/`. */
export function interactiveActionUrl(instanceBaseUrl: string, workflowId: string, secret: string): string {
	return `${instanceBaseUrl.replace(/\/+$/, '')}/webhook/${interactiveActionPath(workflowId, secret)}`;
}
