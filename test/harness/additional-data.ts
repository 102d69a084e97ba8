import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
	ExternalSecretsProxy,
	type ExecutionLifecycleHooks,
} from 'n8n-core';
import { UnexpectedError } from 'n8n-workflow';
import type {
	ICredentialsHelper,
	IDataObject,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

// --------------------------------------------------------------------------- binary data

export type HarnessBinaryDataMode = 'default' | 'filesystem';

let binaryDataSetup: Promise<{ mode: HarnessBinaryDataMode; storagePath: string }> | undefined;
const createdStoragePaths: string[] = [];

/**
 * Installs a BinaryDataService in n8n's DI container, the way n8n's own test utilities do
 * (`initBinaryDataService`): a service built from the real BinaryDataConfig, `init()`-ed, then
 * `Container.set`. n8n-core's helpers (prepareBinaryData, getBinaryDataBuffer, getBinaryStream …)
 * all go through `Container.get(BinaryDataService)`.
 *
 * - 'filesystem' (n8n 2.x's default, and the harness default): files are written under a fresh
 *   temporary folder and items carry `{ id: 'filesystem-v2:…', data: 'filesystem-v2' }`, so node
 *   code that reads `binary.data` directly instead of using the helpers fails here as it would in
 *   production.
 * - 'default': the in-memory mode (base64 in `binary.data`).
 *
 * The mode can also come from N8N_DEFAULT_BINARY_DATA_MODE, which BinaryDataConfig reads.
 * Calling again with another mode replaces the service.
 */
export async function configureBinaryData(
	options: { mode?: HarnessBinaryDataMode; storagePath?: string } = {},
): Promise<{ mode: HarnessBinaryDataMode; storagePath: string }> {
	const setup = (async () => {
		const config = Container.get(BinaryDataConfig);
		const envMode = process.env.N8N_DEFAULT_BINARY_DATA_MODE as HarnessBinaryDataMode | undefined;
		const mode = options.mode ?? envMode ?? 'filesystem';
		if (mode !== 'default' && mode !== 'filesystem') {
			throw new UnexpectedError(`The test harness supports binary data modes "default" and "filesystem", not "${mode}"`);
		}
		const storagePath =
			options.storagePath ??
			mkdtempSync(path.join(process.env.N8N_USER_FOLDER ?? tmpdir(), 'harness-binary-data-'));
		config.mode = mode;
		config.availableModes = [mode];
		config.localStoragePath = storagePath;
		const service = new BinaryDataService(config, Container.get(ErrorReporter), Container.get(Logger));
		await service.init();
		Container.set(BinaryDataService, service);
		if (!options.storagePath) createdStoragePaths.push(storagePath);
		return { mode, storagePath };
	})();
	binaryDataSetup = setup;
	return await setup;
}

/** Configures binary data with the defaults unless a test already did. */
export async function ensureBinaryData(): Promise<void> {
	if (!binaryDataSetup) binaryDataSetup = configureBinaryData();
	await binaryDataSetup;
}

/** Deletes the temporary binary-data folders the harness created. Runs by itself, see below. */
export function cleanupBinaryData(): void {
	for (const dir of createdStoragePaths.splice(0)) rmSync(dir, { recursive: true, force: true });
	binaryDataSetup = undefined;
}

// Binary files can be large (tests write 50 MB): delete them when the test file ends, without
// every test file having to remember. Jest evaluates this module once per test file, so this
// registers one file-level afterAll. A test file that imports the harness lazily, inside a test
// (where hooks cannot be added), must call cleanupBinaryData() in its own afterAll.
const insideATest = typeof expect === 'function' && expect.getState().currentTestName !== undefined;
if (typeof afterAll === 'function' && !insideATest) afterAll(() => cleanupBinaryData());

// --------------------------------------------------------------------------- error reports

/** What n8n-core handed to its ErrorReporter (Sentry in production). */
export interface ErrorReport {
	error: unknown;
	options?: unknown;
}

/** Every error n8n-core reported during the tests, oldest first (clear it as you like). */
export const errorReports: ErrorReport[] = [];

let errorReporterPatched = false;

/**
 * n8n-core reports node failures to its ErrorReporter (WorkflowExecute.reportNodeExecutionError,
 * credential tests …). Without Sentry configured the reporter prints each one with its stack;
 * the harness records them instead, so tests can look at them and the output stays readable.
 * This does not change anything a node can observe.
 */
function recordErrorReports(): void {
	if (errorReporterPatched) return;
	errorReporterPatched = true;
	const reporter = Container.get(ErrorReporter);
	reporter.error = (error: unknown, options?: unknown) => {
		errorReports.push({ error, options });
	};
}

// --------------------------------------------------------------------------- additional data

/** A message a node sent to the editor (`this.sendMessageToUI`, `logNodeOutput`). */
export interface UiMessage {
	type: string;
	data: IDataObject | IDataObject[];
}

export type HarnessAdditionalData = IWorkflowExecuteAdditionalData & {
	/** Everything passed to `sendDataToUI` (only happens in mode 'manual', as in n8n). */
	uiMessages: UiMessage[];
};

export interface AdditionalDataOverrides extends Partial<IWorkflowExecuteAdditionalData> {}

const BASE_URL = 'http://localhost:5678/';

const notAvailable = (what: string) => async () => {
	throw new UnexpectedError(`${what} is not available in the test harness`);
};

/**
 * The IWorkflowExecuteAdditionalData n8n's cli builds in `WorkflowExecuteAdditionalData.getBase`,
 * reduced to what does not need a server: the credentials helper, lifecycle hooks, the URL set
 * (n8n's defaults for a local instance), an empty `$vars`, an external-secrets proxy with no
 * providers, and a `sendDataToUI` that records messages. Sub-workflows, agents and task runners
 * throw if a node reaches for them.
 */
export function buildAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
	overrides: AdditionalDataOverrides = {},
): HarnessAdditionalData {
	recordErrorReports();
	const uiMessages: UiMessage[] = [];
	const additionalData: HarnessAdditionalData = {
		credentialsHelper,
		hooks,
		executionId: 'harness-execution-1',
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE_URL}rest`,
		instanceBaseUrl: BASE_URL,
		formBaseUrl: `${BASE_URL}form`,
		formWaitingBaseUrl: `${BASE_URL}form-waiting`,
		formTestBaseUrl: `${BASE_URL}form-test`,
		webhookBaseUrl: `${BASE_URL}webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}webhook-test`,
		mcpBaseUrl: `${BASE_URL}mcp`,
		mcpTestBaseUrl: `${BASE_URL}mcp-test`,
		variables: {},
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		executeWorkflow: notAvailable('executeWorkflow (sub-workflows)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask (task runners)'),
		logAiEvent: () => {},
		sendDataToUI: (type: string, data: IDataObject | IDataObject[]) => {
			uiMessages.push({ type, data });
		},
		uiMessages,
		...overrides,
	} as HarnessAdditionalData;
	return additionalData;
}

