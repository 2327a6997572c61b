// DEVELOPMENT STAND-IN for a back office: the half of keyless mode
// (docs/keyless.md) that holds the secrets, for the cashier page and its test
// against the sandbox. It holds the sandbox's TEST keys and answers
//   POST /stamp  {}               → {timestamp, nonce, token}   (zvcms.stamp)
//   POST /sign   {params}         → {sign, signType, signContent} (allinpay.sign)
// with CORS open to any origin. A real back office authenticates the cashier
// (its login, the till), limits the rate of stamps, and checks what it signs
// (below: the method and appId of the sign content) — see docs/keyless.md for
// the Go, C#, Delphi and C versions. Do not deploy this file.
//
// Run: node examples/browser-cashier/backoffice.js [port]
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "../../bindings/js/src/index.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const file = (rel) => readFileSync(path.join(repo, rel), "utf8");

// The methods this back office signs for the page.
const allowedMethods = new Set(["allinpay.shopoint.couponService.couponSend"]);

/**
 * Starts the stand-in on 127.0.0.1:port (0: a free port); resolves to {url,
 * close(), counts} (counts: stamps issued and contents signed).
 */
export async function startBackoffice(port = 0) {
  const ck = await load(); // the full module: it needs the Allinpay keys
  const session = ck.openSession({
    zvcms: { openId: "6dc05b4ac175cf316d226252b05cf685", grantCode: "782c281f62", openKey: "sandbox-open-key-TEST-ONLY" },
    allinpay: { appId: "sandbox-app-0001", signType: "RSA2", privateKey: file("testdata/allinpay/rsa2048_pkcs8.pem"),
      platformPublicKey: file("testdata/sandbox/platform_rsa2048_pub_spki.pem"), gatewayUrl: "http://127.0.0.1:1/unused" },
  });
  const counts = { stamps: 0, signs: 0 };
  const server = http.createServer(async (req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type" };
    const reply = (status, body) => {
      res.writeHead(status, { ...cors, "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (req.method !== "POST") return reply(405, { error: "POST only" });
    let text = "";
    for await (const chunk of req) text += chunk;
    try {
      const body = text ? JSON.parse(text) : {};
      if (req.url === "/stamp") {
        counts.stamps++;
        return reply(200, session.issueStamp());
      }
      if (req.url === "/sign") {
        // Check what is signed, from the request's params (allinpay.sign
        // itself checks their appId and signType against the keys).
        const params = Array.isArray(body.params) ? body.params : [];
        const method = params.find((p) => p && p.key === "method");
        if (!method || !allowedMethods.has(method.value)) return reply(403, { error: "this back office does not sign that request" });
        counts.signs++;
        return reply(200, session.sign(params));
      }
      reply(404, { error: "not found" });
    } catch (e) {
      reply(400, { error: e.code ? `${e.code} ${e.field}` : "bad request" }); // never the message of a key error
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: async () => { server.close(); await ck.close(); },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startBackoffice(Number(process.argv[2] || 0));
  console.log(`back office stand-in (DEVELOPMENT ONLY, TEST keys): ${url}`);
}
