// n8n-core writes instance settings (an encryption key) into N8N_USER_FOLDER when it loads:
// keep that inside a temporary folder, never in the developer's home.
const fs = require('fs');
const os = require('os');
const path = require('path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-suite-n8n-'));
}
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'mattermost-suite-test-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
