// The sandbox's TEST keys for the page's demo mode (no ?backoffice=): the
// page then signs itself, which shows every request offline. A real page
// never holds keys: it runs keyless against its back office (docs/keyless.md;
// loaded only without ?backoffice=, so a keyless page never fetches this).
/** The sandbox's zvcms openKey (testdata/sandbox/seed.json): a test value. */
export const openKey = "sandbox-open-key-TEST-ONLY";
/** Where the sandbox merchant's TEST private key is served from. */
export const privateKeyUrl = new URL("../../testdata/allinpay/rsa2048_pkcs8.pem", import.meta.url).href;
