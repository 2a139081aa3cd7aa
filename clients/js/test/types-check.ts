// Compiled (never run) by types.test.js: the declarations describe the API the README shows.
import { Wallet, MemoryStorage, IndexedDbStorage, MillicentError, createPayingFetch, protocol } from '../index.js';
import type { WalletStorage, Totals } from '../index.js';
import { FileStorage } from '../node.js';

async function use(): Promise<void> {
  const storage: WalletStorage = Math.random() > 0.5 ? new MemoryStorage() : new IndexedDbStorage('w');
  const wallet = await Wallet.open({ storage, budget: { perRequest: 1_000 }, preferPrivate: false });
  await wallet.register('http://127.0.0.1:8081', 'alice');
  const r: Response = await wallet.fetch('http://127.0.0.1:8080/pages/1', { millicent: { variant: 'private' } });
  const t: Totals = wallet.totals();
  const accounts: string[] = wallet.brokers().map((b) => b.customerId);
  console.log(accounts);
  const n: number = await wallet.renew({ all: true });
  const merged: boolean = await wallet.merge({ vendor: 'venetia' });
  try {
    await wallet.payingFetch(new Request('http://127.0.0.1:8080/x'));
  } catch (e) {
    if (e instanceof MillicentError && e.code === 'budget-exceeded') console.log(e.peerCode);
  }
  const pay = await createPayingFetch({ storage: new FileStorage('/tmp/w.json') });
  await pay('http://127.0.0.1:8080/');
  const s: protocol.Scrip = protocol.decodeScrip('token');
  const id: bigint = s.scripId;
  console.log(r.status, t.held, n, merged, pay.wallet.balance(), id, protocol.authorityOf('http://a/').port);
}
void use;
