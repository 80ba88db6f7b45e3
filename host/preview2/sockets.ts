// wasi:sockets on the ownership core. Default-deny, after wasmtime's
// socket_addr_check: a guest may bind (and then listen) only to an address
// the config's `listen` granted — the context opened that listening socket
// when it was created, so the embedder can read its port — and nothing
// else: every other bind, every connect, every UDP socket and every name
// lookup is refused.
//
// A tcp-socket is a core entry of kind "socket"; the streams of a connected
// socket and its pollables are its children.

import { Errno, type OsHandle } from "../os/types.js";
import { ContextCore, K_OTHER, K_SOCKET, Resource, type Listener, type State } from "./context.js";
import { ResourceTrap, netCode, type NetErrorCode } from "./errors.js";
import { IoError, READY, newInputStream, newOutputStream, newPollable, type InputStream, type OutputStream, type Pollable } from "./io.js";
import { OsInput, OsOutput, osWaitable } from "./cli.js";

export type IpAddressFamily = "ipv4" | "ipv6";
export type IpAddress = { tag: "ipv4"; val: number[] } | { tag: "ipv6"; val: number[] };
export type IpSocketAddress =
  | { tag: "ipv4"; val: { port: number; address: number[] } }
  | { tag: "ipv6"; val: { port: number; flowInfo: number; address: number[]; scopeId: number } };

/** An IP literal of the config (`127.0.0.1`, `::1`, `localhost`) as the WIT tuples it may be bound as. */
function addressesOf(host: string): { family: IpAddressFamily; address: number[] }[] {
  if (host === "localhost") return [{ family: "ipv4", address: [127, 0, 0, 1] }, { family: "ipv6", address: [0, 0, 0, 0, 0, 0, 0, 1] }];
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return [{ family: "ipv4", address: v4.slice(1).map(Number) }];
  const v6 = parseIpv6(host);
  return v6 ? [{ family: "ipv6", address: v6 }] : [];
}

function parseIpv6(host: string): number[] | null {
  const h = host.replace(/^\[|\]$/g, "");
  if (!/^[0-9a-fA-F:]+$/.test(h)) return null;
  const [head, tail, more] = h.split("::");
  if (more !== undefined) return null;
  const part = (s: string | undefined) => (s ? s.split(":").map((x) => parseInt(x, 16)) : []);
  const a = part(head);
  const b = part(tail);
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const out = [...a, ...new Array(Math.max(fill, 0)).fill(0), ...b];
  return out.length === 8 && out.every((x) => x >= 0 && x <= 0xffff) ? out : null;
}

function sameAddress(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---------------------------------------------------------------- network

/** wasi:sockets/network `network`: the capability a guest passes to bind/connect. */
export class Network extends Resource {
  protected get _what(): string {
    return "wasi:sockets/network network";
  }

  /** jco's WASI 0.2.10 WIT adds this method to work around a componentize-js bindings bug; it does nothing. */
  noop(): void {
    this._ctx.use(this._h, K_OTHER, 0, "wasi:sockets/network network.noop");
  }
}

/** wasi:sockets/ip-name-lookup `resolve-address-stream` (never handed out: lookups are refused). */
export class ResolveAddressStream extends Resource {
  protected get _what(): string {
    return "wasi:sockets/ip-name-lookup resolve-address-stream";
  }
}

/** wasi:sockets/udp resources (never handed out: UDP is not supported). */
export class UdpSocket extends Resource {
  protected get _what(): string {
    return "wasi:sockets/udp udp-socket";
  }
}
export class IncomingDatagramStream extends Resource {
  protected get _what(): string {
    return "wasi:sockets/udp incoming-datagram-stream";
  }
}
export class OutgoingDatagramStream extends Resource {
  protected get _what(): string {
    return "wasi:sockets/udp outgoing-datagram-stream";
  }
}

// ---------------------------------------------------------------- tcp

export type TcpPhase = "unbound" | "bind-started" | "bound" | "listen-started" | "listening" | "connected" | "closed";

export interface TcpState extends State {
  readonly family: IpAddressFamily;
  phase: TcpPhase;
  listener: Listener<OsHandle> | null;
  /** The listening or connected OS socket, owned by this entry once set. */
  os: OsHandle | null;
  address: number[] | null;
  port: number;
  keepAlive: boolean;
  keepAliveIdle: bigint;
  keepAliveInterval: bigint;
  keepAliveCount: number;
  hopLimit: number;
  receiveBuffer: bigint;
  sendBuffer: bigint;
}

export function tcpState(ctx: ContextCore, family: IpAddressFamily, phase: TcpPhase, os: OsHandle | null): TcpState {
  const st: TcpState = {
    wit: "tcp-socket", family, phase, listener: null, os, address: null, port: 0,
    keepAlive: false, keepAliveIdle: 7_200_000_000_000n, keepAliveInterval: 75_000_000_000n, keepAliveCount: 9,
    hopLimit: 64, receiveBuffer: 131072n, sendBuffer: 16384n,
    release: () => {
      if (st.os !== null) ctx.os.close(st.os);
      st.os = null;
      st.phase = "closed";
    },
  };
  return st;
}

const W = "wasi:sockets/tcp tcp-socket.";

/** wasi:sockets/tcp `tcp-socket`. */
export class TcpSocket extends Resource {
  protected get _what(): string {
    return "wasi:sockets/tcp tcp-socket";
  }

  private st(op: string): TcpState {
    return this._ctx.use<TcpState>(this._h, K_SOCKET, 0, W + op);
  }

  private network(n: Network, op: string): void {
    if (!(n instanceof Network) || n._ctx !== this._ctx) throw new ResourceTrap("foreign", `${W}${op}: not a network of this context`);
    this._ctx.use(n._h, K_OTHER, 0, `${W}${op} (network)`);
  }

  startBind(network: Network, local: IpSocketAddress): void {
    const st = this.st("start-bind");
    this.network(network, "start-bind");
    if (st.phase !== "unbound") throw "invalid-state" satisfies NetErrorCode;
    if (local.tag !== st.family) throw "invalid-argument" satisfies NetErrorCode;
    const { port, address } = local.val;
    const l = this._ctx.listeners.find((l) => !l.taken && (port === l.requested || port === l.port) &&
      addressesOf(l.host).some((a) => a.family === local.tag && sameAddress(a.address, address)));
    if (l === undefined) throw "access-denied" satisfies NetErrorCode;
    l.taken = true;
    // The socket takes the granted listening socket over: it closes with this entry.
    st.os = l.os;
    st.listener = l;
    st.address = address;
    st.port = l.port;
    st.phase = "bind-started";
  }

  finishBind(): void {
    const st = this.st("finish-bind");
    if (st.phase !== "bind-started") throw "not-in-progress" satisfies NetErrorCode;
    st.phase = "bound";
  }

  startConnect(network: Network, _remote: IpSocketAddress): void {
    const st = this.st("start-connect");
    this.network(network, "start-connect");
    if (st.phase !== "unbound" && st.phase !== "bound") throw "invalid-state" satisfies NetErrorCode;
    throw "access-denied" satisfies NetErrorCode;
  }

  finishConnect(): [InputStream, OutputStream] {
    this.st("finish-connect");
    throw "not-in-progress" satisfies NetErrorCode;
  }

  startListen(): void {
    const st = this.st("start-listen");
    if (st.phase !== "bound") throw "invalid-state" satisfies NetErrorCode;
    st.phase = "listen-started";
  }

  finishListen(): void {
    const st = this.st("finish-listen");
    if (st.phase !== "listen-started") throw "not-in-progress" satisfies NetErrorCode;
    st.phase = "listening";
  }

  accept(): [TcpSocket, InputStream, OutputStream] {
    const st = this.st("accept");
    if (st.phase !== "listening" || st.os === null) throw "invalid-state" satisfies NetErrorCode;
    const os = this._ctx.os;
    if (os.accept === undefined) throw "not-supported" satisfies NetErrorCode;
    const r = os.accept(st.os, true);
    if (typeof r === "number") throw r === Errno.again ? "would-block" : netCode(r);
    const c = this._ctx;
    const conn = tcpState(c, st.family, "connected", r);
    conn.address = st.address;
    conn.port = st.port;
    let h: number;
    try {
      h = c.insert("socket", conn);
    } catch (e) {
      os.close(r);
      throw e;
    }
    return [new TcpSocket(c, h), newInputStream(c, new OsInput(c, r), h), newOutputStream(c, new OsOutput(c, r), h)];
  }

  localAddress(): IpSocketAddress {
    const st = this.st("local-address");
    if (st.address === null) throw "invalid-state" satisfies NetErrorCode;
    return st.family === "ipv4"
      ? { tag: "ipv4", val: { port: st.port, address: st.address } }
      : { tag: "ipv6", val: { port: st.port, flowInfo: 0, address: st.address, scopeId: 0 } };
  }

  remoteAddress(): IpSocketAddress {
    const st = this.st("remote-address");
    if (st.phase !== "connected") throw "invalid-state" satisfies NetErrorCode;
    // The OS interface has no getpeername.
    throw "not-supported" satisfies NetErrorCode;
  }

  isListening(): boolean {
    return this.st("is-listening").phase === "listening";
  }

  addressFamily(): IpAddressFamily {
    return this.st("address-family").family;
  }

  setListenBacklogSize(value: bigint): void {
    const st = this.st("set-listen-backlog-size");
    if (value === 0n) throw "invalid-argument" satisfies NetErrorCode;
    if (st.phase === "connected") throw "invalid-state" satisfies NetErrorCode;
  }

  keepAliveEnabled(): boolean {
    return this.st("keep-alive-enabled").keepAlive;
  }
  setKeepAliveEnabled(value: boolean): void {
    this.st("set-keep-alive-enabled").keepAlive = value;
  }
  keepAliveIdleTime(): bigint {
    return this.st("keep-alive-idle-time").keepAliveIdle;
  }
  setKeepAliveIdleTime(value: bigint): void {
    if (value <= 0n) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-keep-alive-idle-time").keepAliveIdle = value;
  }
  keepAliveInterval(): bigint {
    return this.st("keep-alive-interval").keepAliveInterval;
  }
  setKeepAliveInterval(value: bigint): void {
    if (value <= 0n) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-keep-alive-interval").keepAliveInterval = value;
  }
  keepAliveCount(): number {
    return this.st("keep-alive-count").keepAliveCount;
  }
  setKeepAliveCount(value: number): void {
    if (value === 0) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-keep-alive-count").keepAliveCount = value;
  }
  hopLimit(): number {
    return this.st("hop-limit").hopLimit;
  }
  setHopLimit(value: number): void {
    if (value === 0) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-hop-limit").hopLimit = value;
  }
  receiveBufferSize(): bigint {
    return this.st("receive-buffer-size").receiveBuffer;
  }
  setReceiveBufferSize(value: bigint): void {
    if (value === 0n) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-receive-buffer-size").receiveBuffer = value;
  }
  sendBufferSize(): bigint {
    return this.st("send-buffer-size").sendBuffer;
  }
  setSendBufferSize(value: bigint): void {
    if (value === 0n) throw "invalid-argument" satisfies NetErrorCode;
    this.st("set-send-buffer-size").sendBuffer = value;
  }

  subscribe(): Pollable {
    const st = this.st("subscribe");
    const w = st.os !== null && (st.phase === "listening" || st.phase === "connected") ? osWaitable(this._ctx, st.os, false) : READY;
    return newPollable(this._ctx, w, this._h);
  }

  shutdown(how: "receive" | "send" | "both"): void {
    const st = this.st("shutdown");
    if (st.phase !== "connected" || st.os === null) throw "invalid-state" satisfies NetErrorCode;
    const os = this._ctx.os;
    if (os.shutdown === undefined) throw "not-supported" satisfies NetErrorCode;
    const r = os.shutdown(st.os, how === "receive" ? 1 : how === "send" ? 2 : 3);
    if (r !== Errno.success) throw netCode(r);
  }
}

/** The wasi:sockets namespaces for `ctx`, as jco imports them. */
export function socketsInterfaces(ctx: () => ContextCore) {
  return {
    instanceNetwork: {
      instanceNetwork(): Network {
        const c = ctx();
        return new Network(c, c.insert("other", { wit: "network" }));
      },
    },
    network: {
      Network,
      networkErrorCode(err: IoError): NetErrorCode | undefined {
        const st = IoError._state(err);
        return st.errno === 0 ? undefined : netCode(st.errno);
      },
    },
    tcpCreateSocket: {
      createTcpSocket(family: IpAddressFamily): TcpSocket {
        if (family !== "ipv4" && family !== "ipv6") throw "not-supported" satisfies NetErrorCode;
        const c = ctx();
        return new TcpSocket(c, c.insert("socket", tcpState(c, family, "unbound", null)));
      },
    },
    tcp: { TcpSocket },
    udpCreateSocket: {
      createUdpSocket(_family: IpAddressFamily): UdpSocket {
        throw "not-supported" satisfies NetErrorCode;
      },
    },
    udp: { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    ipNameLookup: {
      ResolveAddressStream,
      /** Refused, as wasmtime refuses a lookup the embedder did not allow. */
      resolveAddresses(network: Network, _name: string): ResolveAddressStream {
        const c = ctx();
        if (!(network instanceof Network) || network._ctx !== c) throw new ResourceTrap("foreign", "wasi:sockets/ip-name-lookup resolve-addresses: not a network of this context");
        c.use(network._h, K_OTHER, 0, "wasi:sockets/ip-name-lookup resolve-addresses (network)");
        throw "permanent-resolver-failure" satisfies NetErrorCode;
      },
    },
  };
}
