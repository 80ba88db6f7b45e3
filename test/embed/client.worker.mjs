// A TCP / Unix-socket client on its own thread (the guest under test blocks
// the main thread while it runs). workerData: { connect: { port, host } or
// { path }, count, concurrency }.
//
// Each connection sends "line <i>\n" and expects "LINE <i>\n" back (the
// guest upper-cases it). Then either the connection ends (a given socket:
// the guest closed it), or "bye\n" follows (a lent socket: the host writes
// it after the lease), the client answers "ping\n" and the host ends the
// connection once it has read it. Posts { given, lent, failures }.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { connect, count, concurrency } = workerData;
let next = 0;
let given = 0;
let lent = 0;
const failures = [];

function one(i) {
  return new Promise((resolve) => {
    const s = net.connect(connect);
    const want = `LINE ${i}\n`;
    let got = '';
    let pinged = false;
    s.setEncoding('utf8');
    s.on('data', (d) => {
      got += d;
      if (!pinged && got === `${want}bye\n`) {
        pinged = true;
        s.write('ping\n');
      }
    });
    s.on('error', (e) => failures.push(`connection ${i}: ${e.message}`));
    s.on('close', () => {
      if (got === want) given++;
      else if (got === `${want}bye\n` && pinged) lent++;
      else failures.push(`connection ${i}: got ${JSON.stringify(got)}`);
      resolve();
    });
    s.write(`line ${i}\n`);
  });
}

async function lane() {
  while (next < count) await one(next++);
}

await Promise.all(Array.from({ length: concurrency }, lane));
parentPort.postMessage({ given, lent, failures });
