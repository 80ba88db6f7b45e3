/**
 * wasi:sockets on the simulated OS's loopback network, called from JS the
 * way a guest's bindings call it (componentize-js 0.22 cannot build a guest
 * importing wasi:sockets/tcp, see components/guest.wit). Runs in Node and
 * Chromium. Default-deny: only the config's `listen` addresses can be bound.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext, ResourceTrap, type MemoryContext } from "./memory.js";
import { thrown } from "./guest.js";

let ctx: MemoryContext;
let port: number;
type Net = MemoryContext["interfaces"]["sockets"];
let net: Net;
const enc = new TextEncoder();
const dec = new TextDecoder();
const drop = (r: { [Symbol.dispose](): void }) => r[Symbol.dispose]();
const v4 = (p: number, address = [127, 0, 0, 1]) => ({ tag: "ipv4" as const, val: { port: p, address } });

function errCode(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof Error) throw e;
    return e;
  }
  return "ok";
}

beforeEach(() => {
  ctx = createContext({ listen: [{ host: "127.0.0.1", port: 0 }] });
  [port] = ctx.listenPorts() as [number];
  net = ctx.interfaces.sockets;
});
afterEach(() => ctx.dispose());

/** A listening guest socket on the granted address. */
function listening() {
  const n = net.instanceNetwork.instanceNetwork();
  const s = net.tcpCreateSocket.createTcpSocket("ipv4");
  s.startBind(n, v4(port));
  s.finishBind();
  s.startListen();
  s.finishListen();
  return { n, s };
}

describe("tcp: granted", () => {
  it("bind + listen on the granted address, accept a connection, read and write through its streams", () => {
    const { n, s } = listening();
    expect(s.isListening()).toBe(true);
    expect(s.localAddress()).toEqual(v4(port));
    expect(errCode(() => s.accept())).toBe("would-block");
    const client = ctx.system.connect("127.0.0.1", port);
    if (typeof client === "number") throw new Error(`connect: ${client}`);
    const p = s.subscribe();
    p.block();
    expect(p.ready()).toBe(true);
    drop(p);
    const [conn, input, output] = s.accept();
    expect(ctx.system.os.write(client, [enc.encode("ping\n")])).toBe(5);
    expect(dec.decode(input.blockingRead(100n))).toBe("ping\n");
    output.blockingWriteAndFlush(enc.encode("pong\n"));
    const buf = new Uint8Array(16);
    expect(dec.decode(buf.subarray(0, ctx.system.os.read(client, [buf])))).toBe("pong\n");
    conn.shutdown("send");
    expect(ctx.system.os.read(client, [buf])).toBe(0);
    drop(input);
    drop(output);
    drop(conn);
    drop(s);
    drop(n);
    ctx.system.os.close(client);
  });

  it("a blocking read nothing can satisfy traps instead of hanging the simulation", () => {
    const { s } = listening();
    const client = ctx.system.connect("127.0.0.1", port) as never;
    const [, input] = s.accept();
    expect(thrown(() => input.blockingRead(10n)).code).toBe("blocking");
    ctx.system.os.close(client);
  });

  it("the socket cannot be dropped while its streams live (they are its children)", () => {
    const { s } = listening();
    const client = ctx.system.connect("127.0.0.1", port) as never;
    const [conn, input, output] = s.accept();
    const e = thrown(() => drop(conn));
    expect(e).toBeInstanceOf(ResourceTrap);
    expect(e.message).toMatch(/tcp-socket drop: .*it has 2 live children: drop input-stream \d+, output-stream \d+ first/);
    drop(input);
    drop(output);
    drop(conn);
    ctx.system.os.close(client);
  });

  it("the granted address can be bound once", () => {
    listening();
    const n = net.instanceNetwork.instanceNetwork();
    const again = net.tcpCreateSocket.createTcpSocket("ipv4");
    expect(errCode(() => again.startBind(n, v4(port)))).toBe("access-denied");
  });

  it("state machine: finish without start is not-in-progress, listen before bind is invalid-state", () => {
    const n = net.instanceNetwork.instanceNetwork();
    const s = net.tcpCreateSocket.createTcpSocket("ipv4");
    expect(errCode(() => s.finishBind())).toBe("not-in-progress");
    expect(errCode(() => s.startListen())).toBe("invalid-state");
    expect(errCode(() => s.localAddress())).toBe("invalid-state");
    expect(errCode(() => s.startBind(n, { tag: "ipv6", val: { port, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1], scopeId: 0 } }))).toBe("invalid-argument");
  });
});

describe("tcp and lookups: denied", () => {
  it("bind to any other address or port is access-denied", () => {
    const n = net.instanceNetwork.instanceNetwork();
    const s = net.tcpCreateSocket.createTcpSocket("ipv4");
    expect(errCode(() => s.startBind(n, v4(port + 1)))).toBe("access-denied");
    expect(errCode(() => s.startBind(n, v4(port, [0, 0, 0, 0])))).toBe("access-denied");
    expect(errCode(() => s.startBind(n, v4(port, [10, 0, 0, 1])))).toBe("access-denied");
  });

  it("connect is access-denied, even to the granted listener", () => {
    const n = net.instanceNetwork.instanceNetwork();
    const s = net.tcpCreateSocket.createTcpSocket("ipv4");
    expect(errCode(() => s.startConnect(n, v4(port)))).toBe("access-denied");
    expect(errCode(() => s.finishConnect())).toBe("not-in-progress");
  });

  it("name lookups fail (permanent-resolver-failure), UDP is not-supported", () => {
    const n = net.instanceNetwork.instanceNetwork();
    expect(errCode(() => net.ipNameLookup.resolveAddresses(n, "example.com"))).toBe("permanent-resolver-failure");
    expect(errCode(() => net.udpCreateSocket.createUdpSocket("ipv4"))).toBe("not-supported");
  });

  it("a context without `listen` grants nothing at all", () => {
    const bare = createContext({});
    const b = bare.interfaces.sockets;
    const n = b.instanceNetwork.instanceNetwork();
    const s = b.tcpCreateSocket.createTcpSocket("ipv4");
    expect(errCode(() => s.startBind(n, v4(0)))).toBe("access-denied");
    bare.dispose();
  });

  it("a network of another context is refused with a trap", () => {
    const other = createContext({});
    const n = other.interfaces.sockets.instanceNetwork.instanceNetwork();
    const s = net.tcpCreateSocket.createTcpSocket("ipv4");
    expect(thrown(() => s.startBind(n, v4(port)))).toBeInstanceOf(ResourceTrap);
    other.dispose();
  });
});
