// One temporary n8n user folder for the whole run (n8n-core writes instance settings and binary
// data there); the workers inherit it through the environment, and teardown removes it.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
	if (!process.env.N8N_USER_FOLDER) {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-suite-n8n-'));
		process.env.N8N_USER_FOLDER = folder;
		process.env.MM_SUITE_TEMP_USER_FOLDER = folder;
	}
};
