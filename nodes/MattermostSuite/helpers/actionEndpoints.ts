import type { IDataObject } from 'n8n-workflow';

/**
 * Where message buttons send their clicks. A Mattermost Suite Trigger with Source "Interactive
 * Action" registers its production URL (and secret) here when its workflow is activated, and
 * Message > Post fills them into the buttons it builds. The workflow's global static data is the
 * one store n8n shares between the nodes of a workflow and keeps across executions, in queue mode
 * too; the entries are keyed by the trigger's node name.
 */
export const ACTION_ENDPOINTS_KEY = 'mattermostSuiteActionEndpoints';

export interface ActionEndpoint {
	url: string;
	/** The trigger's Secret; a button must carry it in its context. */
	secret?: string;
}

/** The endpoints registered in the workflow, by trigger node name. */
export function readActionEndpoints(globalStaticData: IDataObject): Record<string, ActionEndpoint> {
	const stored = globalStaticData[ACTION_ENDPOINTS_KEY];
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
	return { ...(stored as unknown as Record<string, ActionEndpoint>) };
}

/**
 * Stores the endpoints. The container is replaced, never changed in place: n8n notices (and
 * saves) a change of static data only on its observed top-level objects.
 */
export function writeActionEndpoints(globalStaticData: IDataObject, endpoints: Record<string, ActionEndpoint>): void {
	if (Object.keys(endpoints).length === 0) delete globalStaticData[ACTION_ENDPOINTS_KEY];
	else globalStaticData[ACTION_ENDPOINTS_KEY] = endpoints as unknown as IDataObject;
}
