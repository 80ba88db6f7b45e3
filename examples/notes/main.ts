// notes: a small WASI command, written in AssemblyScript, that iolife runs in
// its sandbox (npm start). It works only through WASI preview1 calls:
//
//   1. finds its preopened directory /notes      (fd_prestat_get, fd_prestat_dir_name)
//   2. lists it                                   (fd_readdir)
//   3. reads each .txt file and counts it         (path_open, fd_read, fd_close)
//   4. appends a dated line to /notes/log.txt     (clock_time_get, args_get, path_open O_CREAT+APPEND, fd_write)
//   5. tries to leave the sandbox, and reports that it could not
//                                                 (path_open "../../etc/passwd", "/etc/passwd")
//
// Built by scripts/build.mjs into build/examples/notes.wasm with
// @assemblyscript/wasi-shim (console.log, process.argv, Date over WASI).
// Exit code: 0 on success, 1 if /notes is missing or the sandbox let it out.

import {
  clock_time_get, clockid, errno, errnoToString, fd_close, fd_prestat_dir_name,
  fd_prestat_get, fd_read, fd_readdir, fd_write, fdflags, filetype, oflags, prestat,
  path_open, rights,
} from "bindings/wasi_snapshot_preview1";

// Out-parameters and iovecs live here (WASI calls write through pointers).
const scratch = memory.data(64);
const OUT = scratch;          // u32 / u64 results
const IOV = scratch + 16;     // one iovec: buf u32, len u32
const NBYTES = scratch + 24;  // bytes read / written

const GUEST_DIR = "/notes";

/** The WASI name of an errno, in lower case: "notcapable", "noent". */
function errName(e: errno): string {
  return errnoToString(e).toLowerCase();
}

/** Like path_open in WASI libc; returns the new fd, or -errno. */
function openAt(dirFd: u32, path: string, oflag: u16, base: u64, flags: u16): i32 {
  const bytes = String.UTF8.encode(path);
  const e = path_open(dirFd, 0, changetype<usize>(bytes), <usize>bytes.byteLength,
    oflag, base, 0, flags, OUT);
  return e == errno.SUCCESS ? <i32>load<u32>(OUT) : -<i32>e;
}

/** Lists the preopened directories (fds 3, 4, … until badf); returns the fd of `name`, or -1. */
function findPreopen(name: string): i32 {
  let found = -1, count = 0;
  for (let fd: u32 = 3; ; fd++) {
    // prestat: tag u8 (0 = dir) at 0, name length u32 at 4
    if (fd_prestat_get(fd, changetype<prestat>(OUT)) != errno.SUCCESS) break; // badf: no more preopens
    if (load<u8>(OUT) != 0) continue;
    const len = load<u32>(OUT, 4);
    const buf = new ArrayBuffer(len);
    if (fd_prestat_dir_name(fd, changetype<usize>(buf), len) != errno.SUCCESS) continue;
    const dirName = String.UTF8.decode(buf);
    console.log(`  fd ${fd}  ${dirName}`);
    count++;
    if (dirName == name && found < 0) found = <i32>fd;
  }
  if (count == 0) console.log("  (none)");
  return found;
}

class Entry {
  constructor(public name: string, public type: u8) {}
}

/** Every entry of the directory (without . and ..), in name order. */
function listDir(dirFd: u32): Entry[] {
  const out = new Array<Entry>();
  const BUF = 4096;
  const buf = new ArrayBuffer(BUF);
  const base = changetype<usize>(buf);
  let cookie: u64 = 0;
  while (true) {
    const e = fd_readdir(dirFd, base, BUF, cookie, NBYTES);
    if (e != errno.SUCCESS) {
      console.log(`  fd_readdir failed: ${errName(e)}`);
      break;
    }
    const used = <usize>load<u32>(NBYTES);
    let p: usize = 0;
    let progressed = false;
    // dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; name @24
    while (p + 24 <= used) {
      const namlen = <usize>load<u32>(base + p, 16);
      if (p + 24 + namlen > used) break; // truncated entry: read again from its cookie
      const name = String.UTF8.decodeUnsafe(base + p + 24, namlen);
      if (name != "." && name != "..") out.push(new Entry(name, load<u8>(base + p, 20)));
      cookie = load<u64>(base + p);
      p += 24 + namlen;
      progressed = true;
    }
    if (used < <usize>BUF || !progressed) break; // a short buffer means the end
  }
  out.sort((a: Entry, b: Entry): i32 => a.name < b.name ? -1 : (a.name > b.name ? 1 : 0));
  return out;
}

class Counts {
  lines: i32 = 0;
  words: i32 = 0;
  bytes: i32 = 0;
  err: errno = errno.SUCCESS;
}

/** wc for one file: lines, words, bytes. */
function countFile(dirFd: u32, name: string): Counts {
  const c = new Counts();
  const fd = openAt(dirFd, name, 0, rights.FD_READ, 0);
  if (fd < 0) {
    c.err = <errno>-fd;
    return c;
  }
  const BUF = 4096;
  const buf = new ArrayBuffer(BUF);
  const base = changetype<usize>(buf);
  let inWord = false;
  while (true) {
    store<u32>(IOV, <u32>base);
    store<u32>(IOV, BUF, 4);
    const e = fd_read(<u32>fd, IOV, 1, NBYTES);
    if (e != errno.SUCCESS) {
      c.err = e;
      break;
    }
    const n = <i32>load<u32>(NBYTES);
    if (n == 0) break;
    c.bytes += n;
    for (let i = 0; i < n; i++) {
      const ch = load<u8>(base + <usize>i);
      if (ch == 10) c.lines++;
      const space = ch == 32 || ch == 10 || ch == 9 || ch == 13;
      if (!space && !inWord) c.words++;
      inWord = !space;
    }
  }
  fd_close(<u32>fd);
  return c;
}

/** Writes all of `text` to fd; returns the errno. */
function writeAll(fd: u32, text: string): errno {
  const bytes = String.UTF8.encode(text);
  let off = 0;
  while (off < bytes.byteLength) {
    store<u32>(IOV, <u32>(changetype<usize>(bytes) + <usize>off));
    store<u32>(IOV, <u32>(bytes.byteLength - off), 4);
    const e = fd_write(fd, IOV, 1, NBYTES);
    if (e != errno.SUCCESS) return e;
    off += <i32>load<u32>(NBYTES);
  }
  return errno.SUCCESS;
}

function pad(s: string, width: i32): string {
  return s.padEnd(width, " ");
}

/** "  4 lines", "  1 line " (a fixed-width column). */
function count(n: i32, width: i32, word: string): string {
  return `${n.toString().padStart(width, " ")} ${word}${n == 1 ? " " : "s"}`;
}

function plural(n: i32, word: string): string {
  return `${n} ${word}${n == 1 ? "" : "s"}`;
}

function main(): i32 {
  const args = process.argv.slice(1);
  console.log("notes: a WASI program in iolife's sandbox");
  console.log(`arguments: ${args.length > 0 ? args.join(" ") : "(none)"}`);

  // 1. The directory we were granted.
  console.log("preopened directories:");
  const found = findPreopen(GUEST_DIR);
  if (found < 0) {
    console.log(`error: no preopened directory ${GUEST_DIR}; run with --dir HOST_DIR::${GUEST_DIR}`);
    return 1;
  }
  const dir = <u32>found;

  // 2 and 3. List it and count each .txt file.
  const entries = listDir(dir);
  console.log("");
  console.log(`${GUEST_DIR} has ${entries.length} ${entries.length == 1 ? "entry" : "entries"}:`);
  let files = 0, lines = 0, words = 0;
  for (let i = 0; i < entries.length; i++) {
    const ent = entries[i];
    if (ent.type == filetype.DIRECTORY) {
      console.log(`  ${pad(ent.name + "/", 16)} (directory, skipped)`);
      continue;
    }
    if (ent.type != filetype.REGULAR_FILE || !ent.name.endsWith(".txt")) {
      console.log(`  ${pad(ent.name, 16)} (not a .txt file, skipped)`);
      continue;
    }
    const c = countFile(dir, ent.name);
    if (c.err != errno.SUCCESS) {
      console.log(`  ${pad(ent.name, 16)} cannot read: ${errName(c.err)}`);
      continue;
    }
    files++;
    lines += c.lines;
    words += c.words;
    console.log(`  ${pad(ent.name, 16)} ${count(c.lines, 3, "line")} ${count(c.words, 4, "word")} ${count(c.bytes, 5, "byte")}`);
  }
  console.log(`${plural(files, "text file")}: ${plural(lines, "line")}, ${plural(words, "word")} in all`);

  // 4. Append to the log, with the date from the realtime clock.
  const e = clock_time_get(clockid.REALTIME, 1000, OUT);
  const now = e == errno.SUCCESS ? new Date(<i64>(load<u64>(OUT) / 1_000_000)).toISOString() : "(no clock)";
  const line = `${now} notes ran with ${args.length > 0 ? "arguments: " + args.join(" ") : "no arguments"}\n`;
  const log = openAt(dir, "log.txt", oflags.CREAT, rights.FD_WRITE, fdflags.APPEND);
  console.log("");
  if (log < 0) {
    console.log(`could not open ${GUEST_DIR}/log.txt: ${errName(<errno>-log)}`);
  } else {
    const w = writeAll(<u32>log, line);
    fd_close(<u32>log);
    if (w != errno.SUCCESS) console.log(`could not write ${GUEST_DIR}/log.txt: ${errName(w)}`);
    else console.log(`appended to ${GUEST_DIR}/log.txt: ${line.trimEnd()}`);
  }

  // 5. Try to get out. Both must be refused.
  console.log("");
  console.log("trying to read files outside the sandbox:");
  const escapes = [`${GUEST_DIR}/../../etc/passwd`, "/etc/passwd"];
  let escaped = false;
  for (let i = 0; i < escapes.length; i++) {
    const path = escapes[i];
    // Relative to /notes, as WASI libc would resolve it: strip the preopen's
    // prefix; a path under no preopen is handed over as it is (absolute).
    const rel = path.startsWith(GUEST_DIR + "/") ? path.slice(GUEST_DIR.length + 1) : path;
    const fd = openAt(dir, rel, 0, rights.FD_READ, 0);
    if (fd >= 0) {
      fd_close(<u32>fd);
      console.log(`  ${pad(path, 24)} OPENED: the sandbox let this program out!`);
      escaped = true;
    } else {
      const err = <errno>-fd;
      console.log(`  ${pad(path, 24)} refused: ${errName(err)} (errno ${err})${err == errno.NOTCAPABLE ? ", outside the granted directory" : ""}`);
    }
  }
  if (escaped) return 1;
  console.log("done: everything outside /notes stayed out of reach.");
  return 0;
}

const code = main();
if (code != 0) process.exit(code);
