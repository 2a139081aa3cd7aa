#!/usr/bin/env node
// An agent that fetches priced API resources within a budget, paying HTTP 402s with Millicent.
//
//   node examples/budgeted-agent.mjs --broker http://127.0.0.1:8081 --total 500 \
//        http://127.0.0.1:8080/pages/haiku.html http://127.0.0.1:8080/pages/weather.html
//
// Options (amounts in millicents; 1000 millicents = 1 US cent):
//   --wallet FILE       the wallet file (default $MILLICENT_JS_WALLET, else ./agent-wallet.json)
//   --broker URL        open an account at this broker if the wallet has none yet
//   --per-request N     refuse any single price above N (default 1000)
//   --total N           stop once N millicents have been paid in total (default 5000)
//   --private           pay in the private variant (payment, answer and change encrypted)
//
// Each URL is fetched once. A 402 is paid from the wallet's scrip (bought from the broker as
// needed), within the budget; the change is kept in the wallet file for the next run. When the
// budget would be passed the agent stops fetching and says so. Exit code: 0 when every URL was
// fetched or the budget stopped it, 1 when something else failed.
import { Wallet, MillicentError } from '@millicent/client';
import { FileStorage } from '@millicent/client/node';

function parse(argv) {
  const o = { wallet: process.env.MILLICENT_JS_WALLET ?? 'agent-wallet.json', perRequest: 1_000, total: 5_000, urls: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--wallet') o.wallet = argv[++i];
    else if (a === '--broker') o.broker = argv[++i];
    else if (a === '--per-request') o.perRequest = Number(argv[++i]);
    else if (a === '--total') o.total = Number(argv[++i]);
    else if (a === '--private') o.private = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.urls.push(a);
  }
  return o;
}

const opts = parse(process.argv.slice(2));
const wallet = await Wallet.open({
  storage: new FileStorage(opts.wallet),
  preferPrivate: Boolean(opts.private),
  // The per-vendor daily limit is left at the total: this agent has one budget.
  budget: { perRequest: opts.perRequest, perVendorPerDay: opts.total, total: opts.total },
});
if (opts.broker && !wallet.brokers().some((b) => new URL(b.url).origin === new URL(opts.broker).origin)) {
  const account = await wallet.register(opts.broker, 'budgeted-agent');
  console.log(`opened account ${account.customerId} at ${opts.broker} (broker "${account.broker}")`);
}
// Payments whose answers were lost in an earlier run are re-sent first (no value is lost).
await wallet.recover();

let failed = false;
for (const url of opts.urls) {
  const paidBefore = wallet.totals().paid;
  try {
    const r = await wallet.fetch(url, { headers: { accept: 'application/json, text/*' } });
    const body = await r.text();
    const paid = wallet.totals().paid - paidBefore;
    console.log(`${r.status} ${url}  paid ${paid} millicents  ${body.length} bytes`);
    if (!r.ok) failed = true;
  } catch (e) {
    if (e instanceof MillicentError && e.code === 'budget-exceeded') {
      console.log(`stopped at ${url}: ${e.message}`);
      break;
    }
    console.error(`failed ${url}: ${e instanceof MillicentError ? e.message : e}`);
    failed = true;
  }
}
const t = wallet.totals();
console.log(`paid ${t.paid} of ${opts.total} millicents; holding ${t.held} in change; ${t.inFlight} in flight`);
process.exit(failed ? 1 : 0);
