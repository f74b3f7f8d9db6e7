// Control for the Dredd figure: plain sequential GETs from Node's http module (Dredd's
// runtime) against the same sandbox, so the report shows what the server and Node allow
// one request at a time. Prints one line: "<requests> <milliseconds>".
//   node node_get_loop.cjs BASE_URL TOKEN PATH COUNT
const http = require('http');
const [base, token, path, count] = process.argv.slice(2);
const url = new URL(path, base);
let sent = 0;
const start = process.hrtime.bigint();
function next() {
  if (sent === Number(count)) {
    console.log(sent, (Number(process.hrtime.bigint() - start) / 1e6).toFixed(1));
    return;
  }
  sent++;
  http.get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
    res.resume();
    res.on('end', next);
  }).on('error', (e) => { console.error(e.message); process.exit(1); });
}
next();
