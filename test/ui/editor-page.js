'use strict';
/**
 * n8n's editor as the UI suite drives it: every selector the suite uses lives here, so an n8n
 * upgrade that renames one means one file to fix. Written against n8n 2.41.1; prefers n8n's own
 * `data-test-id` attributes, and falls back to visible text or Element Plus classes only where
 * n8n has no test id (noted at each).
 */

const fs = require('node:fs');
const path = require('node:path');

const CHROMIUM = process.env.UI_CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };

const sel = {
	signinEmail: 'input[name=emailOrLdapLoginId]',
	signinPassword: 'input[name=password]',
	formSubmit: '[data-test-id="form-submit-button"]',
	canvasPlus: '[data-test-id="canvas-plus-button"]',
	canvasNode: '[data-test-id="canvas-node"]',
	canvasNodeNamed: (name) => `[data-test-id="canvas-node"][data-node-name="${name}"]`,
	creator: '[data-test-id="node-creator"]',
	creatorSearch: '[data-test-id="node-creator-search-bar"]',
	creatorItemName: '[data-test-id="node-creator-item-name"]',
	creatorItem: '[data-test-id="item-iterator-item"]',
	creatorCategory: '[data-test-id="node-creator-category-item"]',
	ndv: '[data-test-id="ndv"]',
	ndvClose: '[data-test-id="ndv-close-button"]',
	ndvTitle: '[data-test-id="node-title-container"] [data-test-id="inline-edit-preview"]',
	nodeParameters: '[data-test-id="node-parameters"]',
	parameterItem: '[data-test-id="parameter-item"]',
	parameterIssues: '[data-test-id="parameter-issues"]',
	parameterInput: (name) => `[data-test-id="parameter-input-${name}"]`,
	credentialsSelect: '[data-test-id="node-credentials-select"]',
	executeStep: '[data-test-id="node-execute-button"]',
	outputPanel: '[data-test-id="output-panel"]',
	runButtons: '[data-test-id^="execute-workflow-button-"]',
	// Element Plus's dropdown has no test id of n8n's.
	visibleOption: '.el-select-dropdown__item:visible',
	// The webhook URL block has classes only.
	webhookHeadline: '[data-test-id="ndv"] .webhooks .headline',
	webhookUrls: '[data-test-id="ndv"] .node-webhooks .webhook-wrapper',
	rlcInput: (param) => `[data-test-id="resource-locator-${param}"] [data-test-id="rlc-input"]`,
	rlcSearch: '[data-test-id="rlc-search"]',
	rlcItem: '[data-test-id="rlc-item"]',
	credentialDialog: '[data-test-id="credential-edit-dialog"]',
	credentialSave: '[data-test-id="credential-save-button"]',
	credentialSuccess: '[data-test-id="credentials-config-container-test-success"]',
	// The failed-test banner has no test id in 2.41.1: its text, and its "More details" link.
	credentialErrorText: /Couldn.t connect with these settings/,
	credentialErrorDetails: 'More details',

	// OAuth2 credential dialog (test/ui/oauth2.test.js).
	newCredentialTypeSelect: '[data-test-id="new-credential-type-select"]',
	newCredentialTypeOption: '[data-test-id="new-credential-type-select-option"]',
	newCredentialTypeContinue: '[data-test-id="new-credential-type-button"]',
	credentialField: '[data-test-id="credential-connection-parameter"]',
	// The field's input carries `parameter-input-<name>`; `parameter-input-field` is its inner box.
	credentialFieldInput: '[data-test-id^="parameter-input-"]:not([data-test-id="parameter-input-field"])',
	// n8n's notice component has a class and a role, no test id.
	credentialNotice: '.notice[role="alert"]',
	oauthRedirectUrl: '[data-test-id="copy-input"]',
	oauthConnect: '[data-test-id="quick-connect-button"]',
	oauthConnected: '[data-test-id="oauth-connect-success-banner"]',
	// The fake Mattermost's consent page (test/fake-mattermost/routes/oauth.js).
	fakeConsentAllow: '#allow',
};

// Issue 15 checks (post picker, trigger test events, Send and Wait, every operation's panel).
Object.assign(sel, {
	executeWorkflow: '[data-test-id="execute-workflow-button"]',
	// A trigger's panel: "Listen for test event" (full width, or icon-only when the panel is narrow).
	triggerExecute: '[data-test-id="trigger-execute-button"]:visible, [data-test-id="trigger-execute-button-compact"]:visible',
	canvasNodeSuccess: (name) => `[data-test-id="canvas-node"][data-node-name="${name}"] [data-test-id="canvas-node-status-success"]`,
	// A waiting node has no test id of its own: n8n adds a (CSS module) class named "…waiting…".
	canvasNodeWaiting: (name) => `[data-test-id="canvas-node"][data-node-name="${name}"] [class*="waiting"], [data-test-id="canvas-node"][data-node-name="${name}"][class*="waiting"]`,
	// The output panel's table/JSON switch: the JSON view shows every field of an item.
	outputDisplayMode: (mode) => `[data-test-id="output-panel"] [data-test-id="ndv-run-data-display-mode"] [data-test-id="radio-button-${mode}"]`,
	zoomToFit: '[data-test-id="zoom-to-fit"]',
	// A canvas node's subtitle has no test id: its (CSS module) class is named "…_subtitle_…".
	canvasNodeSubtitle: '[class*="_subtitle_"]',
	// A From-list picker's dropdown (search box and list, or only the list's error): a popover with no test id.
	rlcDropdown: '[role="dialog"][class*="popoverContent"]:visible',
});

const LAUNCH_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

async function launch(userDataDir) {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ui/ensure-chromium.sh (apt-get install -y chromium) or set UI_CHROMIUM`);
	}
	const { chromium } = require('playwright-core');
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: VIEWPORT,
		args: LAUNCH_ARGS,
	});
	// Generous: the machine running the suite may be busy (a page load has taken over 30 s).
	context.setDefaultTimeout(60000);
	const page = context.pages()[0] || (await context.newPage());
	return { context, page };
}

class EditorPage {
	constructor(page, baseUrl) {
		this.page = page;
		this.url = baseUrl;
	}

	async signIn({ email, password }) {
		const { page } = this;
		await page.goto(`${this.url}/signin`);
		await page.fill(sel.signinEmail, email);
		await page.fill(sel.signinPassword, password);
		await page.click(sel.formSubmit);
		await page.waitForURL((u) => !/\/signin/.test(String(u)));
	}

	async newWorkflow() {
		await this.page.goto(`${this.url}/workflow/new`);
		await this.page.waitForSelector(sel.canvasPlus);
	}

	/** Opens the nodes panel on an empty canvas and types a search. */
	async searchNodes(text) {
		await this.page.click(sel.canvasPlus);
		await this.page.fill(sel.creatorSearch, text);
		await this.page.locator(sel.creatorItemName).filter({ hasText: text }).first().waitFor();
	}

	/** The search results: name and icon URL of each item. */
	async nodeResults() {
		return this.page.$$eval(sel.creatorItem, (els) =>
			els
				.map((e) => ({
					name: e.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim(),
					icon: e.querySelector('img')?.getAttribute('src') || null,
				}))
				.filter((r) => r.name),
		);
	}

	async openResult(name) {
		await this.page.locator(sel.creatorItemName).filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }).first().click();
		await this.page.locator(sel.creatorCategory).first().waitFor();
	}

	/** Category headers of the opened node ("Triggers (15)", "Actions (47)"). */
	async categories() {
		return this.page.$$eval(sel.creatorCategory, (els) => els.map((e) => e.textContent.trim().replace(/\s+/g, ' ')));
	}

	/**
	 * Expands the Actions category (collapsing Triggers), waits until `count` actions are listed (the
	 * list renders in steps) and returns { resource header: [action names] }.
	 */
	async actionsByResource(count) {
		const { page } = this;
		await page.locator(sel.creatorCategory, { hasText: 'Triggers' }).click();
		await page.locator(sel.creatorCategory, { hasText: 'Actions' }).click();
		await page
			.waitForFunction((n) => document.querySelectorAll('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]').length >= n, count, { timeout: 20000 })
			.catch(() => {});
		await page.waitForTimeout(500);
		// The resource headers are labels without a test id of their own: read the panel's text.
		const text = await page.locator(sel.creator).innerText();
		const groups = {};
		let current = null;
		for (const line of text.split('\n').map((l) => l.trim())) {
			const header = /^(.+) ACTIONS$/i.exec(line);
			if (header) {
				current = header[1].toLowerCase();
				groups[current] = [];
			} else if (current && line && !/^(Manage|\||Report issue)$/.test(line)) {
				groups[current].push(line);
			}
		}
		return groups;
	}

	async scrollCreatorTo(text) {
		await this.page.locator(sel.creator).getByText(text, { exact: true }).first().scrollIntoViewIfNeeded();
	}

	async openWorkflow(workflowId) {
		await this.page.goto(`${this.url}/workflow/${workflowId}`);
		await this.page.waitForSelector(sel.canvasNode);
	}

	/** Opens a node's panel straight from its URL (one page load, no canvas geometry involved). */
	async openNodeByUrl(workflowId, nodeId) {
		await this.page.goto(`${this.url}/workflow/${workflowId}/${nodeId}`);
		await this.page.waitForSelector(sel.ndv);
		await this.page.waitForSelector(`${sel.ndv} ${sel.parameterItem}`);
	}

	async openNode(name) {
		await this.page.dblclick(sel.canvasNodeNamed(name));
		await this.page.waitForSelector(sel.ndv);
	}

	async closeNode() {
		await this.page.click(sel.ndvClose);
		await this.page.waitForSelector(sel.ndv, { state: 'hidden' });
	}

	/** Waits until no parameter list in the panel is still loading. */
	async settle() {
		await this.page.waitForFunction(() => !document.querySelector('[data-test-id="parameter-options-loader"], [data-test-id="ndv"] [class*="loadingItem"]'), null, {
			timeout: 20000,
		});
		await this.page.waitForTimeout(300);
	}

	async ndvText() {
		return (await this.page.locator(sel.ndv).innerText()).replace(/\s+/g, ' ');
	}

	/** Labels of the parameters shown in the panel. */
	async parameterLabels() {
		return this.page.$$eval(`${sel.ndv} ${sel.parameterItem}`, (els) =>
			els.map((e) => (e.querySelector('label') || e).textContent.trim().replace(/\s+/g, ' ')).filter(Boolean),
		);
	}

	async parameterIssueTexts() {
		return this.page.$$eval(`${sel.ndv} ${sel.parameterIssues}`, (els) => els.map((e) => e.getAttribute('title') || e.textContent.trim()));
	}

	async chooseOption(parameter, optionText) {
		await this.page.click(sel.parameterInput(parameter));
		await this.page.locator(sel.visibleOption, { hasText: optionText }).first().click();
	}

	/** The names the editor shows for a node: panel title, canvas node of that type, run buttons' test ids. */
	async triggerNames(nodeTypeSuffix) {
		const { page } = this;
		const titles = await page.$$eval(sel.ndvTitle, (els) => els.map((e) => e.textContent.trim()));
		const canvas = await page.locator(`${sel.canvasNode}[data-node-type$="${nodeTypeSuffix}"]`).getAttribute('data-node-name');
		const runButtons = await page.$$eval(sel.runButtons, (els) => els.map((e) => e.getAttribute('data-test-id')));
		return { title: titles[0], canvas, runButtons };
	}

	async showWebhookUrls() {
		const headline = this.page.locator(sel.webhookHeadline);
		await headline.waitFor();
		if (!/\bexpanded\b/.test((await headline.getAttribute('class')) || '')) await headline.click();
		await this.page.waitForSelector(sel.webhookUrls);
		return (await this.page.locator(sel.webhookUrls).first().innerText()).replace(/\s+/g, ' ').trim();
	}

	/** Opens a From-list picker; resolves the dropdown locator once its list has loaded. */
	async openPicker(param) {
		const { page } = this;
		await page.locator(sel.rlcInput(param)).click();
		const dropdown = page.locator(sel.rlcDropdown).first();
		await dropdown.waitFor();
		await page.waitForFunction(() => !document.querySelector('[role="dialog"] [class*="loadingItem"]'), null, { timeout: 30000 });
		return dropdown;
	}

	async pickerItems() {
		await this.page.waitForTimeout(300);
		return this.page.$$eval(`${sel.rlcItem}`, (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.textContent.trim().replace(/\s+/g, ' ')));
	}

	async searchPicker(text) {
		await this.page.locator(sel.rlcSearch).fill(text);
		await this.page.waitForTimeout(800);
		await this.page.waitForFunction(() => !document.querySelector('[role="dialog"] [class*="loadingItem"]'), null, { timeout: 30000 });
	}

	/** Whether the open picker shows its search box. */
	async pickerHasSearch() {
		return (await this.page.locator(`${sel.rlcSearch}:visible`).count()) > 0;
	}

	/** Clicks the picker's item that contains `text`. */
	async pickItem(text) {
		await this.page.locator(sel.rlcItem).filter({ hasText: text }).first().click();
	}

	/** The text a resource locator shows in its input. */
	async pickerValue(param) {
		return this.page.locator(sel.rlcInput(param)).evaluate((e) => (e.tagName === 'INPUT' ? e.value : (e.querySelector('input')?.value ?? e.textContent)));
	}

	/**
	 * The subtitle under every canvas node, { node name: text }, once each of `names` shows one
	 * (n8n renders the subtitles after the nodes; a missing one is left to the caller's assertion).
	 */
	async canvasSubtitles(names) {
		const { page } = this;
		await page.locator(sel.zoomToFit).click();
		await page.waitForFunction(
			({ node, subtitle, names }) => names.every((n) => document.querySelector(`${node}[data-node-name="${n}"] ${subtitle}`)?.textContent?.trim()),
			{ node: sel.canvasNode, subtitle: sel.canvasNodeSubtitle, names },
			{ timeout: 30000 },
		).catch(() => {});
		return page.$$eval(
			sel.canvasNode,
			(els, subtitle) => Object.fromEntries(els.map((e) => [e.getAttribute('data-node-name'), e.querySelector(subtitle)?.textContent?.trim()])),
			sel.canvasNodeSubtitle,
		);
	}

	async executeStep() {
		await this.page.click(`${sel.ndv} ${sel.executeStep}`);
	}

	async outputText() {
		return (await this.page.locator(`${sel.ndv} ${sel.outputPanel}`).innerText()).replace(/\s+/g, ' ');
	}

	async openCredential(id) {
		await this.page.goto(`${this.url}/home/credentials/${id}`);
		await this.page.waitForSelector(sel.credentialDialog);
	}

	async fillCredentialField(name, value) {
		await this.page.locator(`${sel.credentialDialog} ${sel.parameterInput(name)} input`).fill(value);
	}

	async saveCredential() {
		await this.page.click(sel.credentialSave);
	}

	/**
	 * Waits for n8n's connection test to show `ok` (success callout) or not (the failure banner) and
	 * returns its text, with the error's details opened. Callers wait for a state that differs from
	 * the one shown before, so a banner left over from an earlier test cannot pass.
	 */
	async credentialTestResult(ok) {
		const { page } = this;
		const dialog = page.locator(sel.credentialDialog);
		const success = dialog.locator(sel.credentialSuccess);
		const failure = dialog.getByText(sel.credentialErrorText);
		await (ok ? success : failure).waitFor({ timeout: 30000 });
		await (ok ? failure : success).waitFor({ state: 'hidden', timeout: 30000 });
		if (!ok) {
			await dialog.getByText(sel.credentialErrorDetails, { exact: true }).click();
			await page.waitForTimeout(300);
		}
		return (await dialog.innerText()).replace(/\s+/g, ' ').trim();
	}

	// --- OAuth2 credential dialog (test/ui/oauth2.test.js) ---

	/** Opens "Create credential" and continues with the credential type shown as `displayName`. */
	async newCredential(displayName) {
		const { page } = this;
		await page.goto(`${this.url}/home/credentials/create`);
		await page.locator(`${sel.newCredentialTypeSelect} input`).fill(displayName);
		await page.locator(sel.newCredentialTypeOption).filter({ hasText: new RegExp(`^\\s*${displayName}\\s*$`) }).first().click();
		await page.click(sel.newCredentialTypeContinue);
		await page.waitForSelector(`${sel.credentialDialog} ${sel.credentialField}`);
	}

	/**
	 * The dialog's fields top to bottom, as shown: a field by its name, a notice as
	 * `notice: <its text up to the first colon>`.
	 */
	async credentialFieldOrder() {
		return this.page.$$eval(
			`${sel.credentialDialog} ${sel.credentialField}`,
			(forms, { input, notice }) =>
				forms
					.filter((f) => f.offsetParent !== null)
					.map((f) => {
						const field = f.querySelector(input);
						if (field) return field.getAttribute('data-test-id').replace(/^parameter-input-/, '');
						const box = f.querySelector(notice);
						return box ? `notice: ${box.textContent.trim().split(':')[0]}` : f.textContent.trim().slice(0, 40);
					}),
			{ input: sel.credentialFieldInput, notice: sel.credentialNotice },
		);
	}

	async oauthRedirectUrl() {
		return (await this.page.locator(`${sel.credentialDialog} ${sel.oauthRedirectUrl}`).first().innerText()).trim();
	}

	/**
	 * Clicks Connect and answers the provider's page in the popup n8n opens: `consent` is called
	 * with the popup (to click Allow), or null when the provider redirects at once.
	 */
	async connectOAuth2(consent) {
		const { page } = this;
		const popupOpened = page.context().waitForEvent('page', { timeout: 30000 });
		await page.locator(`${sel.credentialDialog} ${sel.oauthConnect}`).click();
		const popup = await popupOpened;
		// n8n closes the popup once its callback page has run.
		const closed = popup.isClosed() ? Promise.resolve() : popup.waitForEvent('close', { timeout: 60000 });
		if (consent) await consent(popup);
		await closed;
		const banner = page.locator(`${sel.credentialDialog} ${sel.oauthConnected}`);
		await banner.waitFor({ timeout: 30000 });
		return (await banner.innerText()).replace(/\s+/g, ' ').trim();
	}

	// ---- Issue 15 checks ----

	/**
	 * Opens another node of the workflow already on screen by double-clicking it on the canvas (as
	 * a user does; no page load), closing the open panel first.
	 */
	async switchToNode(name) {
		const { page } = this;
		if (await page.locator(sel.ndv).isVisible()) await this.closeNode();
		await page.locator(sel.canvasNodeNamed(name)).dblclick();
		await page.waitForSelector(sel.ndv);
		await page.waitForFunction(
			([title, expected]) => document.querySelector(title)?.textContent?.trim() === expected,
			[sel.ndvTitle, name],
		);
		await page.waitForSelector(`${sel.ndv} ${sel.parameterItem}`);
	}

	/** Waits until the panel shows every label of `shown` and none of `hidden` (exact label text). */
	async waitForParameterLabels(shown, hidden = []) {
		const read = () => this.parameterLabels();
		let labels = [];
		const deadline = Date.now() + 30000;
		for (;;) {
			// A label's text ends with its Fixed/Expression switch (and a required field's asterisk).
			labels = (await read()).map((l) => l.replace(/\s*Fixed\s*Expression$/, '').replace(/\s*\*$/, ''));
			if (shown.every((l) => labels.includes(l)) && !hidden.some((l) => labels.includes(l))) return labels;
			if (Date.now() > deadline) throw new Error(`parameters ${JSON.stringify(labels)}: expected ${JSON.stringify(shown)} and none of ${JSON.stringify(hidden)}`);
			await this.page.waitForTimeout(250);
		}
	}

	/** The "Listen for test event" button of an open trigger panel, and its text (or tooltip). */
	async listenButton() {
		const button = this.page.locator(sel.triggerExecute).first();
		await button.waitFor();
		const text = (await button.innerText()).replace(/\s+/g, ' ').trim() || (await button.getAttribute('aria-label')) || '';
		return { button, text };
	}

	/** Clicks the canvas's "Execute workflow" button. */
	async executeWorkflow() {
		await this.page.locator(sel.executeWorkflow).first().click();
	}

	/** Waits for a text in the open panel's output, with a long timeout (events arrive from outside). */
	async waitForOutput(text, timeout = 90000) {
		await this.page.locator(`${sel.ndv} ${sel.outputPanel}`).getByText(text).first().waitFor({ timeout });
	}

	/** Shows the output panel as Table, JSON or Schema (`table`, `json`, `schema`). */
	async outputAs(mode) {
		await this.page.locator(sel.outputDisplayMode(mode)).first().click();
	}

	/** Renders HTML in a second tab of the browser and screenshots it (e.g. the fake's view of a post). */
	async shotHtml(file, html) {
		const page = await this.page.context().newPage();
		try {
			await page.setViewportSize({ width: 640, height: 400 });
			await page.setContent(html);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			await page.locator('body > *').first().screenshot({ path: file });
		} finally {
			await page.close();
		}
		return file;
	}

	async shot(file, locator) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		if (locator) await this.page.locator(locator).first().screenshot({ path: file });
		else await this.page.screenshot({ path: file });
		return file;
	}
}

module.exports = { EditorPage, launch, sel, VIEWPORT };
