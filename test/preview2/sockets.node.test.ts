/**
 * wasi:sockets on real sockets (Node backend): a guest-side listener on the
 * granted address accepts a connection from node:net and echoes a line.
 */
import net from "node:net";
import { expect, it } from "vitest";
import { createContext } from "../../build/host/preview2/node/index.js";

it("tcp: bind + listen on the granted address, accept a real connection, echo through the streams", async () => {
  const ctx = createContext({ listen: [{ host: "127.0.0.1", port: 0 }] });
  const [port] = ctx.listenPorts() as [number];
  const io = ctx.interfaces.sockets;
  const n = io.instanceNetwork.instanceNetwork();
  const s = io.tcpCreateSocket.createTcpSocket("ipv4");
  s.startBind(n, { tag: "ipv4", val: { port, address: [127, 0, 0, 1] } });
  s.finishBind();
  s.startListen();
  s.finishListen();
  // The kernel completes the handshake into the backlog: no accept needed for 'connect'.
  const client = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => client.once("connect", resolve).once("error", reject));
  const received = new Promise<string>((resolve) => {
    let text = "";
    client.on("data", (d) => (text += d.toString())).on("end", () => resolve(text));
  });
  await new Promise<void>((resolve) => client.write("ping\n", () => resolve()));
  const p = s.subscribe();
  p.block();
  p[Symbol.dispose]();
  const [conn, input, output] = s.accept();
  expect(new TextDecoder().decode(input.blockingRead(100n))).toBe("ping\n");
  output.blockingWriteAndFlush(new TextEncoder().encode("pong\n"));
  conn.shutdown("both");
  expect(await received).toBe("pong\n");
  client.destroy();
  input[Symbol.dispose]();
  output[Symbol.dispose]();
  conn[Symbol.dispose]();
  s[Symbol.dispose]();
  ctx.dispose();
});

it("dispose(): a granted listener no guest took is closed", async () => {
  const ctx = createContext({ listen: [{ host: "127.0.0.1", port: 0 }] });
  const [port] = ctx.listenPorts() as [number];
  ctx.dispose();
  const err = await new Promise<string>((resolve) => net.connect(port, "127.0.0.1").once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "")).once("connect", () => resolve("connected")));
  expect(err).toBe("ECONNREFUSED");
});
