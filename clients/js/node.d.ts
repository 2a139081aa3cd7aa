import type { WalletStorage } from './index.js';

/** A wallet file (mode 0600): temp file, fsync, rename, fsync of the folder on every save. */
export class FileStorage implements WalletStorage {
  constructor(path: string);
  load(): Promise<unknown | null>;
  save(doc: unknown): Promise<void>;
}
