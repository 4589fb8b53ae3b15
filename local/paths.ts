import { fileURLToPath } from 'node:url';

/** `.local/` at the repository root: emulator state, the signing key, endpoints.json. Git-ignored. */
export const LOCAL_DATA_DIR = fileURLToPath(new URL('../.local/', import.meta.url));

export const SIGNING_KEY_FILE = `${LOCAL_DATA_DIR}signing-key.json`;
export const ENDPOINTS_FILE = `${LOCAL_DATA_DIR}endpoints.json`;
