// @ts-check
/**
 * Where things are: this checkout's root, and the git-ignored `.cache/` where the pinned n8n
 * runtimes are installed. Standard library only.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache');
