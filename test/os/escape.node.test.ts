/**
 * Escape attempts against the Node backend's sandbox. Every one must be
 * refused, and nothing outside the preopened directory may change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { Errno, OpenFlags } from '../../host/os/types.js';
import { expectErrno, makeSandbox, type Sandbox } from './sandbox.js';

const R = OpenFlags.READ;
const W = OpenFlags.WRITE;
const CREAT = OpenFlags.CREAT;

let sb: Sandbox;
let root: NodeHandle;

beforeEach(() => {
  sb = makeSandbox();
  root = sb.root;
  fs.mkdirSync(path.join(sb.box, 'a'));
  fs.writeFileSync(path.join(sb.box, 'file'), 'inside');
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

/** Open `p` and close it if it (wrongly) succeeded, returning the result for checks. */
function tryOpen(p: string, follow = true, flags = R): unknown {
  const r = nodeOs.openAt(root, p, follow, flags);
  if (typeof r !== 'number') {
    const content = r.type === 4 ? fs.readFileSync(`/proc/self/fd/${r.fd}`, 'latin1') : '<dir>';
    nodeOs.close(r);
    return `opened: ${content}`;
  }
  return r;
}

function link(name: string, target: string): void {
  fs.symlinkSync(target, path.join(sb.box, name));
}

describe('openAt() escapes', () => {
  it('openAt(): refuses `..` with notcapable', () => {
    expectErrno(tryOpen('..'), Errno.notcapable);
    expectErrno(tryOpen('../secret'), Errno.notcapable);
    expectErrno(tryOpen('../outside/sentinel'), Errno.notcapable);
  });

  it('openAt(): refuses `/` and absolute paths with notcapable', () => {
    expectErrno(tryOpen('/'), Errno.notcapable);
    expectErrno(tryOpen('/etc/passwd'), Errno.notcapable);
    expectErrno(tryOpen(path.join(sb.tmp, 'secret')), Errno.notcapable);
    expectErrno(tryOpen('//etc/passwd'), Errno.notcapable);
  });

  it('openAt(): refuses `a/../../x` with notcapable, even when creating', () => {
    expectErrno(tryOpen('a/../../secret'), Errno.notcapable);
    expectErrno(tryOpen('a/../../x', true, W | CREAT), Errno.notcapable);
    expectErrno(tryOpen('a/./../a/../../outside/sentinel'), Errno.notcapable);
    expect(fs.existsSync(path.join(sb.tmp, 'x'))).toBe(false);
  });

  it('openAt(): refuses a symlink to /etc with notcapable (followed or walked through)', () => {
    link('etc', '/etc');
    expectErrno(tryOpen('etc'), Errno.notcapable);
    expectErrno(tryOpen('etc/passwd'), Errno.notcapable);
    expectErrno(tryOpen('etc/', false), Errno.notcapable);
    expectErrno(tryOpen('a/../etc/passwd'), Errno.notcapable);
  });

  it('openAt(): does not follow a symlink to /etc when follow is off (loop, as Linux)', () => {
    link('etc', '/etc');
    expectErrno(tryOpen('etc', false), Errno.loop);
    expectErrno(tryOpen('etc', false, R | OpenFlags.DIRECTORY), Errno.notdir);
  });

  it('openAt(): refuses a symlink to ../outside with notcapable', () => {
    link('out', '../outside');
    link('outfile', '../outside/sentinel');
    expectErrno(tryOpen('out/sentinel'), Errno.notcapable);
    expectErrno(tryOpen('outfile'), Errno.notcapable);
    expectErrno(tryOpen('outfile', true, W | OpenFlags.TRUNC), Errno.notcapable);
    expectErrno(tryOpen('out/new', true, W | CREAT), Errno.notcapable);
  });

  it('openAt(): refuses a symlink loop (a -> b, b -> a) with loop', () => {
    link('la', 'lb');
    link('lb', 'la');
    expectErrno(tryOpen('la'), Errno.loop);
    expectErrno(tryOpen('la/x'), Errno.loop);
    link('self', 'self');
    expectErrno(tryOpen('self'), Errno.loop);
  });

  it('openAt(): follows 39 and 40 chained symlinks but refuses 41 with loop', () => {
    // c0 -> c1 -> ... -> cN -> file: opening c0 traverses N+1 symlinks.
    const chain = (prefix: string, n: number): void => {
      for (let i = 0; i < n; i++) link(`${prefix}${i}`, i === n - 1 ? 'file' : `${prefix}${i + 1}`);
    };
    chain('s', 39);
    chain('t', 40);
    chain('u', 41);
    expect(tryOpen('s0')).toBe('opened: inside');
    expect(tryOpen('t0')).toBe('opened: inside');
    expectErrno(tryOpen('u0'), Errno.loop);
  });

  it('openAt(): refuses `dot -> .` then `esc -> dot/..` with notcapable', () => {
    link('dot', '.');
    link('esc', 'dot/..');
    expect(tryOpen('dot/file')).toBe('opened: inside');
    expectErrno(tryOpen('esc'), Errno.notcapable);
    expectErrno(tryOpen('esc/secret'), Errno.notcapable);
    expectErrno(tryOpen('esc/outside/sentinel'), Errno.notcapable);
    expectErrno(tryOpen('dot/../secret'), Errno.notcapable);
  });

  it('openAt(): resolves a symlink in the middle of a path inside, refuses one pointing out', () => {
    fs.mkdirSync(path.join(sb.box, 'a', 'b'));
    fs.writeFileSync(path.join(sb.box, 'a', 'b', 'deep'), 'deep');
    link('mid', 'a/b');
    fs.symlinkSync('../..', path.join(sb.box, 'a', 'up2'));
    fs.symlinkSync('..', path.join(sb.box, 'a', 'up1'));
    expect(tryOpen('mid/deep')).toBe('opened: deep');
    expect(tryOpen('a/up1/file')).toBe('opened: inside');
    expect(tryOpen('a/up1/a/up1/mid/deep')).toBe('opened: deep');
    expectErrno(tryOpen('a/up2/secret'), Errno.notcapable);
    expectErrno(tryOpen('a/up2/outside/sentinel'), Errno.notcapable);
    expectErrno(tryOpen('mid/../up1/../secret'), Errno.notcapable);
  });

  it('openAt(): refuses paths with a NUL byte (inval), never truncating them', () => {
    expectErrno(tryOpen('file\0/../../secret'), Errno.inval);
    expectErrno(tryOpen('newfile\0junk', true, W | CREAT), Errno.inval);
    expect(fs.existsSync(path.join(sb.box, 'newfile'))).toBe(false);
  });

  it('openAt(): fails with notdir on a trailing slash after a file', () => {
    expectErrno(tryOpen('file/'), Errno.notdir);
    expectErrno(tryOpen('file/.'), Errno.notdir);
    expectErrno(tryOpen('file/x', true, W | CREAT), Errno.notdir);
    link('lfile', 'file');
    expectErrno(tryOpen('lfile/'), Errno.notdir);
    expectErrno(tryOpen('lfile/', false), Errno.notdir);
  });

  it('openAt(): refuses a symlink created by the guest whose traversal would escape', () => {
    expectErrno(nodeOs.symlinkAt('../outside', root, 'made'), Errno.success);
    expectErrno(nodeOs.symlinkAt('a/../../secret', root, 'made2'), Errno.success);
    expectErrno(tryOpen('made/sentinel'), Errno.notcapable);
    expectErrno(tryOpen('made2'), Errno.notcapable);
    expectErrno(nodeOs.statAt(root, 'made2', true), Errno.notcapable);
    expectErrno(nodeOs.mkdirAt(root, 'made/newdir'), Errno.notcapable);
    expectErrno(nodeOs.unlinkAt(root, 'made/sentinel'), Errno.notcapable);
    // The link itself can be inspected and removed: that does not follow it.
    expect(nodeOs.readlinkAt(root, 'made')).toBe('../outside');
    expectErrno(nodeOs.unlinkAt(root, 'made'), Errno.success);
    expect(fs.existsSync(path.join(sb.outside, 'sentinel'))).toBe(true);
  });

  it('symlinkAt(): refuses an absolute target with notcapable', () => {
    expectErrno(nodeOs.symlinkAt('/etc', root, 'abs'), Errno.notcapable);
    expectErrno(nodeOs.symlinkAt('x', root, '../abs'), Errno.notcapable);
    expectErrno(nodeOs.symlinkAt('x\0y', root, 'nul'), Errno.inval);
    expect(fs.existsSync(path.join(sb.box, 'abs'))).toBe(false);
  });
});

describe('path operation escapes', () => {
  it('statAt(): refuses `..`, absolute paths and escaping symlinks', () => {
    link('out', '../outside');
    expectErrno(nodeOs.statAt(root, '..', true), Errno.notcapable);
    expectErrno(nodeOs.statAt(root, '../secret', false), Errno.notcapable);
    expectErrno(nodeOs.statAt(root, '/etc/passwd', true), Errno.notcapable);
    expectErrno(nodeOs.statAt(root, 'out', true), Errno.notcapable);
    expectErrno(nodeOs.statAt(root, 'out/sentinel', false), Errno.notcapable);
    // lstat of the link itself is fine: it is inside.
    const s = nodeOs.statAt(root, 'out', false);
    expect(typeof s === 'number' ? s : s.type).toBe(7);
  });

  it('mkdirAt(): refuses to create outside', () => {
    link('out', '../outside');
    expectErrno(nodeOs.mkdirAt(root, '../newdir'), Errno.notcapable);
    expectErrno(nodeOs.mkdirAt(root, 'a/../../newdir'), Errno.notcapable);
    expectErrno(nodeOs.mkdirAt(root, 'out/newdir'), Errno.notcapable);
    expectErrno(nodeOs.mkdirAt(root, '/tmp/newdir'), Errno.notcapable);
    // A dangling symlink as final component is not followed: exist.
    link('dangling', '../newdir');
    expectErrno(nodeOs.mkdirAt(root, 'dangling'), Errno.exist);
  });

  it('unlinkAt() / rmdirAt(): refuse to remove outside', () => {
    link('out', '../outside');
    expectErrno(nodeOs.unlinkAt(root, '../secret'), Errno.notcapable);
    expectErrno(nodeOs.unlinkAt(root, 'out/sentinel'), Errno.notcapable);
    expectErrno(nodeOs.rmdirAt(root, '../outside'), Errno.notcapable);
    expectErrno(nodeOs.rmdirAt(root, 'out/..'), Errno.notcapable);
    expectErrno(nodeOs.rmdirAt(root, '..'), Errno.notcapable);
  });

  it('renameAt(): refuses a source outside', () => {
    link('out', '../outside');
    expectErrno(nodeOs.renameAt(root, '../secret', root, 'stolen'), Errno.notcapable);
    expectErrno(nodeOs.renameAt(root, 'out/sentinel', root, 'stolen'), Errno.notcapable);
    expectErrno(nodeOs.renameAt(root, '/etc/passwd', root, 'stolen'), Errno.notcapable);
    expect(fs.existsSync(path.join(sb.box, 'stolen'))).toBe(false);
  });

  it('renameAt(): refuses a target outside', () => {
    link('out', '../outside');
    expectErrno(nodeOs.renameAt(root, 'file', root, '../planted'), Errno.notcapable);
    expectErrno(nodeOs.renameAt(root, 'file', root, 'out/sentinel'), Errno.notcapable);
    expectErrno(nodeOs.renameAt(root, 'file', root, 'a/../../planted'), Errno.notcapable);
    expectErrno(nodeOs.renameAt(root, 'file', root, `${sb.outside}/sentinel`), Errno.notcapable);
    expect(fs.readFileSync(path.join(sb.box, 'file'), 'utf8')).toBe('inside');
  });

  it('renameAt(): keeps each path in its own sandbox (two roots)', () => {
    const sb2 = makeSandbox();
    try {
      fs.writeFileSync(path.join(sb2.box, 'other'), 'other');
      expectErrno(nodeOs.renameAt(root, 'file', sb2.root, '../x'), Errno.notcapable);
      expectErrno(nodeOs.renameAt(sb2.root, 'other', root, 'moved'), Errno.success);
      expect(fs.readFileSync(path.join(sb.box, 'moved'), 'utf8')).toBe('other');
      sb2.assertOutsideUntouched();
    } finally {
      sb2.dispose();
    }
  });

  it('linkAt(): refuses a target outside and a source outside', () => {
    link('out', '../outside');
    expectErrno(nodeOs.linkAt(root, 'file', false, root, '../planted'), Errno.notcapable);
    expectErrno(nodeOs.linkAt(root, 'file', false, root, 'out/planted'), Errno.notcapable);
    expectErrno(nodeOs.linkAt(root, '../secret', false, root, 'stolen'), Errno.notcapable);
    expectErrno(nodeOs.linkAt(root, 'out/sentinel', false, root, 'stolen'), Errno.notcapable);
    // Following a final symlink that points out is refused too.
    link('outfile', '../outside/sentinel');
    expectErrno(nodeOs.linkAt(root, 'outfile', true, root, 'stolen'), Errno.notcapable);
    expect(fs.existsSync(path.join(sb.box, 'stolen'))).toBe(false);
  });

  it('linkAt(): without follow links the escaping symlink itself, which stays confined', () => {
    link('outfile', '../outside/sentinel');
    expectErrno(nodeOs.linkAt(root, 'outfile', false, root, 'copy'), Errno.success);
    expect(fs.lstatSync(path.join(sb.box, 'copy')).isSymbolicLink()).toBe(true);
    expectErrno(tryOpen('copy'), Errno.notcapable);
  });

  it('utimesAt(): refuses to touch outside, follows nothing out', () => {
    link('outfile', '../outside/sentinel');
    expectErrno(nodeOs.utimesAt(root, '../secret', true, 1n, 1n, 5), Errno.notcapable);
    expectErrno(nodeOs.utimesAt(root, 'outfile', true, 1n, 1n, 5), Errno.notcapable);
    // Without follow it sets the link's own times: allowed, link is inside.
    expectErrno(nodeOs.utimesAt(root, 'outfile', false, 1_000_000_000n, 2_000_000_000n, 5), Errno.success);
    expect(fs.lstatSync(path.join(sb.box, 'outfile'), { bigint: true }).mtimeNs).toBe(2_000_000_000n);
  });

  it('readlinkAt(): reads an escaping link without following it, refuses paths out', () => {
    link('etc', '/etc');
    expect(nodeOs.readlinkAt(root, 'etc')).toBe('/etc');
    expectErrno(nodeOs.readlinkAt(root, '../outside'), Errno.notcapable);
    expectErrno(nodeOs.readlinkAt(root, 'etc/'), Errno.notcapable);
  });

  it('every path operation: refuses a NUL byte with inval', () => {
    expectErrno(nodeOs.statAt(root, 'file\0', true), Errno.inval);
    expectErrno(nodeOs.mkdirAt(root, 'd\0x'), Errno.inval);
    expectErrno(nodeOs.unlinkAt(root, 'file\0x'), Errno.inval);
    expectErrno(nodeOs.rmdirAt(root, 'a\0'), Errno.inval);
    expectErrno(nodeOs.renameAt(root, 'file\0', root, 'x'), Errno.inval);
    expectErrno(nodeOs.renameAt(root, 'file', root, 'x\0'), Errno.inval);
    expectErrno(nodeOs.linkAt(root, 'file', false, root, 'x\0'), Errno.inval);
    expectErrno(nodeOs.symlinkAt('file', root, 'x\0'), Errno.inval);
    expectErrno(nodeOs.readlinkAt(root, 'x\0'), Errno.inval);
    expectErrno(nodeOs.utimesAt(root, 'file\0', true, 0n, 0n, 5), Errno.inval);
    expect(fs.existsSync(path.join(sb.box, 'file'))).toBe(true);
    expect(fs.existsSync(path.join(sb.box, 'd'))).toBe(false);
  });
});
