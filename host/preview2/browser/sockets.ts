// iolife/preview2/sockets (browser, simulated OS): wasi:sockets on the default context.
import { defaults } from "./default.js";
export const {
  instanceNetwork, ipNameLookup, network, tcp, tcpCreateSocket, udp, udpCreateSocket,
} = defaults.interfaces.sockets;
