// A small WIT parser + Canonical ABI layout calculator, enough to generate a
// fast JS binding (fast-binding.mjs). It is NOT a validator: run the WIT
// through componentize() (wasm-tools) first; this trusts its input.
//
// Supported: `package ns:name[@ver];` plus nested `package ns:name[@ver] { ... }`,
// interfaces with enum / record / flags / variant / `type a = b` / resource
// (constructor, methods, `static` funcs) / funcs / `use iface.{a, b as c};`,
// worlds with `import|export <iface-ref>;` and `export name: func(...)`.
// Types: bool s8..s64 u8..u64 f32 f64 char string list<T> option<T>
// result[<T[, E]>] (`_` for no ok type) tuple<...> own<R> borrow<R>, named types.
// Not supported: fixed-size lists, future/stream/error-context, async funcs,
// inline interfaces in worlds, `include`.

const KEYWORDS_SKIP = new Set(['since', 'unstable', 'deprecated']);

export function tokenize(src) {
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (src.startsWith('/*', i)) { i = src.indexOf('*/', i + 2) + 2; if (i < 2) break; continue; }
    if (src.startsWith('->', i)) { toks.push('->'); i += 2; continue; }
    if ('{}()<>,;:=./@*_'.includes(c) && !(c === '_' && /[A-Za-z0-9-]/.test(src[i + 1] ?? ''))) {
      toks.push(c); i++; continue;
    }
    const m = /^%?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[0-9][A-Za-z0-9.+-]*)?/.exec(src.slice(i));
    if (!m) throw new Error(`wit-lite: unexpected '${c}' at ${i}`);
    toks.push(m[0].replace(/^%/, '')); i += m[0].length;
  }
  return toks;
}

/**
 * Parse WIT text. Returns { packages: Map<'ns:name', {name, version, interfaces: Map, worlds: Map}>, root }.
 * Interface: { name, pkg, qname ('ns:pkg/iface[@ver]'), types: Map, funcs: [], resources: Map }.
 */
export function parseWit(src) {
  const t = tokenize(src);
  let p = 0;
  const peek = (o = 0) => t[p + o];
  const next = () => t[p++];
  const expect = (s) => { const v = next(); if (v !== s) throw new Error(`wit-lite: expected '${s}', got '${v}' near token ${p}: ${t.slice(p - 5, p + 5).join(' ')}`); return v; };
  const eat = (s) => (peek() === s ? (p++, true) : false);
  const packages = new Map();
  let root = null;

  const skipAttrs = () => {
    while (peek() === '@' && KEYWORDS_SKIP.has(peek(1))) {
      p += 2;
      if (eat('(')) { let d = 1; while (d) { const v = next(); if (v === '(') d++; else if (v === ')') d--; } }
    }
  };
  const pkgName = () => {
    const ns = next(); expect(':'); const name = next();
    let version = null;
    if (eat('@')) version = next();
    return { ns, name, id: `${ns}:${name}`, version };
  };
  const getPkg = (n) => {
    if (!packages.has(n.id)) packages.set(n.id, { ...n, interfaces: new Map(), worlds: new Map() });
    return packages.get(n.id);
  };

  function parseType() {
    const w = next();
    switch (w) {
      case 'list': { expect('<'); const elem = parseType(); expect('>'); return { k: 'list', elem }; }
      case 'option': { expect('<'); const some = parseType(); expect('>'); return { k: 'option', some }; }
      case 'tuple': {
        expect('<'); const elems = [];
        while (!eat('>')) { elems.push(parseType()); eat(','); }
        return { k: 'tuple', elems };
      }
      case 'result': {
        if (!eat('<')) return { k: 'result', ok: null, err: null };
        const ok = eat('_') ? null : parseType();
        let err = null;
        if (eat(',')) err = parseType();
        expect('>');
        return { k: 'result', ok, err };
      }
      case 'own': case 'borrow': { expect('<'); const r = next(); expect('>'); return { k: w, ref: r }; }
      case 'string': return { k: 'string' };
      default:
        if (/^(bool|[su](8|16|32|64)|f32|f64|char)$/.test(w)) return { k: 'prim', name: w };
        return { k: 'ref', name: w };
    }
  }
  function parseParams() {
    expect('(');
    const params = [];
    while (!eat(')')) { const n = next(); expect(':'); params.push({ name: n, type: parseType() }); eat(','); }
    return params;
  }
  function parseFuncSig() {
    // after 'func'
    const params = parseParams();
    let result = null;
    if (eat('->')) result = parseType();
    return { params, result };
  }

  function parseInterface(pkg, name) {
    const iface = {
      name, pkg, qname: `${pkg.id}/${name}${pkg.version ? '@' + pkg.version : ''}`,
      types: new Map(), funcs: [], uses: [],
    };
    expect('{');
    while (!eat('}')) {
      skipAttrs();
      const w = next();
      if (w === 'use') {
        // use path.{a, b as c};
        let path = next();
        if (peek() === ':') { p++; path += ':' + next(); expect('/'); path += '/' + next(); if (eat('@')) path += '@' + next(); }
        expect('.'); expect('{');
        while (!eat('}')) { const a = next(); let as = a; if (eat('as')) as = next(); iface.uses.push({ path, name: a, as }); eat(','); }
        expect(';');
      } else if (w === 'type') {
        const n = next(); expect('='); iface.types.set(n, { k: 'alias', name: n, target: parseType() }); expect(';');
      } else if (w === 'enum' || w === 'flags') {
        const n = next(); expect('{'); const cases = [];
        while (!eat('}')) { skipAttrs(); cases.push(next()); eat(','); }
        iface.types.set(n, w === 'enum' ? { k: 'enum', name: n, cases } : { k: 'flags', name: n, flags: cases });
      } else if (w === 'record') {
        const n = next(); expect('{'); const fields = [];
        while (!eat('}')) { skipAttrs(); const f = next(); expect(':'); fields.push({ name: f, type: parseType() }); eat(','); }
        iface.types.set(n, { k: 'record', name: n, fields });
      } else if (w === 'variant') {
        const n = next(); expect('{'); const cases = [];
        while (!eat('}')) {
          skipAttrs(); const c = next(); let ty = null;
          if (eat('(')) { ty = parseType(); expect(')'); }
          cases.push({ name: c, type: ty }); eat(',');
        }
        iface.types.set(n, { k: 'variant', name: n, cases });
      } else if (w === 'resource') {
        const n = next();
        const r = { k: 'resource', name: n, iface, ctor: null, methods: [], statics: [] };
        iface.types.set(n, r);
        if (!eat(';')) {
          expect('{');
          while (!eat('}')) {
            skipAttrs();
            const m = next();
            if (m === 'constructor') { r.ctor = { name: `[constructor]${n}`, ...parseFuncSig(), kind: 'ctor', resource: r }; expect(';'); continue; }
            expect(':');
            let isStatic = eat('static');
            if (peek() === 'async') throw new Error('wit-lite: async funcs are not supported');
            expect('func');
            const sig = parseFuncSig(); expect(';');
            if (isStatic) r.statics.push({ name: `[static]${n}.${m}`, short: m, ...sig, kind: 'static', resource: r });
            else r.methods.push({ name: `[method]${n}.${m}`, short: m, ...sig, kind: 'method', resource: r,
              params: [{ name: 'self', type: { k: 'borrow', ref: n } }, ...sig.params] });
          }
        }
      } else {
        // func
        expect(':');
        if (peek() === 'async') throw new Error('wit-lite: async funcs are not supported');
        expect('func');
        const sig = parseFuncSig(); expect(';');
        iface.funcs.push({ name: w, short: w, ...sig, kind: 'func' });
      }
    }
    return iface;
  }

  function parseWorld(pkg, name) {
    const world = { name, pkg, imports: [], exports: [] };
    expect('{');
    while (!eat('}')) {
      skipAttrs();
      const dir = next();
      if (dir === 'use' || dir === 'include') throw new Error(`wit-lite: '${dir}' in worlds is not supported`);
      if (dir !== 'import' && dir !== 'export') throw new Error(`wit-lite: unexpected '${dir}' in world`);
      const a = next();
      const list = dir === 'import' ? world.imports : world.exports;
      if (peek() === ':' && peek(1) === 'func') {
        p += 2;
        const sig = parseFuncSig(); expect(';');
        list.push({ kind: 'func', func: { name: a, short: a, ...sig, kind: 'func' } });
      } else if (peek() === ':' && peek(1) !== 'func' && /^[a-z]/.test(peek(1) ?? '') && peek(2) === '/') {
        p++; let ref = `${a}:${next()}`; expect('/'); ref += '/' + next();
        if (eat('@')) ref += '@' + next();
        expect(';');
        list.push({ kind: 'iface', ref });
      } else if (peek() === ':' && peek(1) === 'interface') {
        throw new Error('wit-lite: inline interfaces in worlds are not supported');
      } else {
        expect(';');
        list.push({ kind: 'iface', ref: a });
      }
    }
    return world;
  }

  function parseBody(pkg, closing) {
    while (p < t.length && !(closing && peek() === '}')) {
      skipAttrs();
      const w = next();
      if (w === 'interface') { const n = next(); pkg.interfaces.set(n, parseInterface(pkg, n)); }
      else if (w === 'world') { const n = next(); pkg.worlds.set(n, parseWorld(pkg, n)); }
      else if (w === 'package') {
        const n = pkgName(); const sub = getPkg(n); expect('{'); parseBody(sub, true); expect('}');
      } else throw new Error(`wit-lite: unexpected '${w}'`);
    }
  }

  skipAttrs();
  if (peek() === 'package') {
    p++;
    const n = pkgName();
    if (peek() === '{') { const pk = getPkg(n); p++; parseBody(pk, true); expect('}'); root = pk; }
    else { expect(';'); root = getPkg(n); }
  }
  parseBody(root ?? getPkg({ ns: 'root', name: 'root', id: 'root:root', version: null }), false);
  return { packages, root: root ?? packages.get('root:root') };
}

/** Find an interface by 'iface' (in `pkg`) or 'ns:pkg/iface[@ver]'. */
export function findInterface(wit, ref, pkg = wit.root) {
  const m = /^([^:/]+):([^/]+)\/([^@]+)(?:@(.+))?$/.exec(ref);
  if (!m) {
    const i = pkg.interfaces.get(ref);
    if (!i) throw new Error(`wit-lite: unknown interface '${ref}'`);
    return i;
  }
  const pk = wit.packages.get(`${m[1]}:${m[2]}`);
  const i = pk?.interfaces.get(m[3]);
  if (!i) throw new Error(`wit-lite: unknown interface '${ref}'`);
  return i;
}

/**
 * Resolve a type inside `iface`: follows aliases and `use`, turns a bare
 * resource name into own<R>, and gives own/borrow a `.resource` typedef.
 */
export function resolveType(wit, iface, ty) {
  for (;;) {
    if (ty?.k === 'alias') { ty = ty.target; continue; }
    if (ty?.k === 'ref') {
      const [def, where] = lookupNamed(wit, iface, ty.name);
      iface = where;
      if (def.k === 'resource') return { k: 'own', resource: def };
      ty = def;
      continue;
    }
    if (ty && (ty.k === 'own' || ty.k === 'borrow') && !ty.resource) {
      return { k: ty.k, resource: lookupNamed(wit, iface, ty.ref)[0] };
    }
    return ty;
  }
}

function lookupNamed(wit, iface, name) {
  for (;;) {
    const local = iface.types.get(name);
    if (local) {
      if (local.k === 'alias' && local.target.k === 'ref') { name = local.target.name; continue; }
      return [local, iface];
    }
    const u = iface.uses.find((x) => x.as === name);
    if (!u) throw new Error(`wit-lite: unknown type '${name}' in ${iface.qname}`);
    iface = findInterface(wit, u.path, iface.pkg);
    name = u.name;
  }
}

// ---------------------------------------------------------------------------
// Canonical ABI layout (component-model CanonicalABI.md: alignment, elem_size,
// flatten_type, discriminant_type). `R` resolves refs.

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

const PRIM = {
  bool: [1, 1, 'i32'], s8: [1, 1, 'i32'], u8: [1, 1, 'i32'], s16: [2, 2, 'i32'], u16: [2, 2, 'i32'],
  s32: [4, 4, 'i32'], u32: [4, 4, 'i32'], char: [4, 4, 'i32'], f32: [4, 4, 'f32'],
  s64: [8, 8, 'i64'], u64: [8, 8, 'i64'], f64: [8, 8, 'f64'],
};

export const alignTo = (n, a) => Math.ceil(n / a) * a;

/** Unify enum/option/result/variant into a list of cases { name, type|null }. */
export function variantCases(ty) {
  switch (ty.k) {
    case 'enum': return ty.cases.map((name) => ({ name, type: null }));
    case 'option': return [{ name: 'none', type: null }, { name: 'some', type: ty.some }];
    case 'result': return [{ name: 'ok', type: ty.ok }, { name: 'err', type: ty.err }];
    case 'variant': return ty.cases;
    default: return null;
  }
}
export function discSize(n) { return n <= 256 ? 1 : n <= 65536 ? 2 : 4; }

export function layout(ty, R) {
  ty = R(ty);
  switch (ty.k) {
    case 'prim': { const [s, a, f] = PRIM[ty.name]; return { size: s, align: a, flat: [f] }; }
    case 'string': case 'list': return { size: 8, align: 4, flat: ['i32', 'i32'] };
    case 'own': case 'borrow': return { size: 4, align: 4, flat: ['i32'] };
    case 'flags': {
      const n = ty.flags.length;
      if (n > 32) throw new Error('wit-lite: flags with more than 32 members are not supported');
      const s = n <= 8 ? 1 : n <= 16 ? 2 : 4;
      return { size: s, align: s, flat: ['i32'] };
    }
    case 'record': case 'tuple': {
      const fields = ty.k === 'record' ? ty.fields.map((f) => f.type) : ty.elems;
      let size = 0, align = 1; const flat = []; const offsets = [];
      for (const f of fields) {
        const l = layout(f, R);
        size = alignTo(size, l.align); offsets.push(size); size += l.size;
        align = Math.max(align, l.align); flat.push(...l.flat);
      }
      return { size: alignTo(size, align), align, flat, offsets };
    }
    default: {
      const cases = variantCases(ty);
      if (!cases) throw new Error(`wit-lite: no layout for ${ty.k}`);
      const ds = discSize(cases.length);
      let maxSize = 0, maxAlign = 1; const flat = [];
      for (const c of cases) {
        if (!c.type) continue;
        const l = layout(c.type, R);
        maxSize = Math.max(maxSize, l.size); maxAlign = Math.max(maxAlign, l.align);
        l.flat.forEach((f, i) => { flat[i] = flat[i] === undefined ? f : joinFlat(flat[i], f); });
      }
      const align = Math.max(ds, maxAlign);
      const payload = alignTo(ds, maxAlign);
      return { size: alignTo(payload + maxSize, align), align, flat: ['i32', ...flat], payload, discSize: ds };
    }
  }
}

export function joinFlat(a, b) {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/** kebab-case -> lowerCamelCase / UpperCamelCase (jco's naming). */
export const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
export const pascal = (s) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());
