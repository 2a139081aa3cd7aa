// Node-only parts: a wallet file. Import from '@millicent/client/node'.
import { open, readFile, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A wallet kept in one file (mode 0600, its folder 0700). Each save writes a temporary file beside
 * it, fsyncs it, renames it over the file and fsyncs the folder, so a crash leaves either the old
 * or the new document, never a torn one.
 */
export class FileStorage {
  /** @param {string} path */
  constructor(path) {
    this.path = path;
    this.n = 0;
  }
  async load() {
    try {
      return JSON.parse(await readFile(this.path, 'utf8'));
    } catch (e) {
      if (/** @type {any} */ (e).code === 'ENOENT') return null;
      throw e;
    }
  }
  /** @param {object} doc */
  async save(doc) {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${process.pid}.${this.n++}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(doc));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw e;
    }
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}
