/**
 * The Node backend's single error mapping: OS error codes → WASI errno.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errnoFromCode, errnoFromError } from '../../host/os/node/index.js';
import { Errno, errnoName } from '../../host/os/types.js';

describe('errnoFromCode()', () => {
  it('errnoFromCode(): maps the usual file-system codes to their WASI names', () => {
    const cases: Array<[string, string]> = [
      ['ENOENT', 'noent'], ['EEXIST', 'exist'], ['ENOTDIR', 'notdir'], ['EISDIR', 'isdir'],
      ['ELOOP', 'loop'], ['EACCES', 'acces'], ['EPERM', 'perm'], ['ENOTEMPTY', 'notempty'],
      ['EXDEV', 'xdev'], ['ENAMETOOLONG', 'nametoolong'], ['EIO', 'io'], ['EBADF', 'badf'],
      ['EINVAL', 'inval'], ['EILSEQ', 'ilseq'], ['ESPIPE', 'spipe'], ['EAGAIN', 'again'],
      ['EWOULDBLOCK', 'again'], ['EOPNOTSUPP', 'notsup'], ['ENOTSUP', 'notsup'], ['EDQUOT', 'dquot'],
      ['EMLINK', 'mlink'], ['ENOSPC', 'nospc'], ['EROFS', 'rofs'], ['ETXTBSY', 'txtbsy'], ['E2BIG', '2big'],
    ];
    for (const [code, name] of cases) expect(errnoName(errnoFromCode(code))).toBe(name);
  });

  it('errnoFromCode(): throws on a code it does not know (a host bug, not a guest errno)', () => {
    expect(() => errnoFromCode('EWHATEVER')).toThrow(/host bug/);
    expect(() => errnoFromCode('ERR_INVALID_ARG_TYPE')).toThrow(/host bug/);
  });
});

describe('errnoFromError()', () => {
  it('errnoFromError(): maps a real ENOENT thrown by node:fs', () => {
    let err: unknown;
    try {
      fs.openSync('/nonexistent/iolife/x', 'r');
    } catch (e) {
      err = e;
    }
    expect(errnoFromError(err)).toBe(Errno.noent);
  });

  it('errnoFromError(): names an error libuv does not name from its number', () => {
    const e = Object.assign(new Error('quota'), { code: 'Unknown system error -122', errno: -122 });
    expect(errnoFromError(e)).toBe(Errno.dquot);
  });

  it('errnoFromError(): re-throws Node argument errors and non-errors instead of disguising them', () => {
    let err: unknown;
    try {
      fs.openSync('a\0b', 'r');
    } catch (e) {
      err = e;
    }
    expect(() => errnoFromError(err)).toThrow(err as Error);
    const typeError = new TypeError('bad');
    expect(() => errnoFromError(typeError)).toThrow(typeError);
    expect(() => errnoFromError('string')).toThrow();
    expect(() => errnoFromError(Object.assign(new Error('x'), { code: 'EFOO', errno: -9999 }))).toThrow(/host bug/);
  });
});
