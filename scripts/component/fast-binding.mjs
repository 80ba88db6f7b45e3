// Generate a fast JS binding for a component's CORE module, from its WIT.
//
//   generateFastBinding({ witText, world, name? }) -> string (ES module source)
//
// The generated module exports
//   instantiate(moduleOrBytes, { imports = {}, finalize = true } = {})
//     -> { [iface qname]: api, [iface short name]: api, ...world-level funcs }
//   ComponentError   (thrown for a top-level `result` error; `.payload` = lifted error)
// and calls the Canonical-ABI core exports directly (legacy names, see NOTES.md),
// decoding results from linear memory. JS shapes follow jco's transpile output
// (camelCase funcs, PascalCase resource classes, enums as strings, records as
// objects, flags as objects of booleans (as parameters, a number with bit n =
// member n is also accepted), numeric lists as typed arrays, option as T|undefined, variants and
// nested results as {tag,val}, u64/s64 as BigInt) so the two can be
// differential-tested.
//
// Resources DEFINED (exported) by the component: handle == rep (the binding is
// the only other party), so `[resource-new]` / `[resource-rep]` are identities
// and `[resource-drop]` / JS `[Symbol.dispose]()` / GC finalisation call the
// `#[dtor]` export. Imported resources, async, futures/streams are unsupported
// (generation throws). A trap, or any exception that unwinds the core,
// poisons the instance as in jco: later calls throw a RuntimeError.
// Imports (host functions) are lowered from
// `imports[ifaceQname][camelName]` (world-level: `imports.$root[camelName]`).
import {
  parseWit, findInterface, resolveType, layout, variantCases, joinFlat,
  camel, pascal, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS,
} from './wit-lite.mjs';

const PRIM_GET = {
  bool: 'Uint8', u8: 'Uint8', s8: 'Int8', u16: 'Uint16', s16: 'Int16', u32: 'Uint32', s32: 'Int32',
  char: 'Uint32', u64: 'BigUint64', s64: 'BigInt64', f32: 'Float32', f64: 'Float64',
};
const TYPED = { u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array',
  s32: 'Int32Array', u64: 'BigUint64Array', s64: 'BigInt64Array', f32: 'Float32Array', f64: 'Float64Array' };
const ZERO = { i32: '0', f32: '0', f64: '0', i64: '0n' };

export function generateFastBinding({ witText, world: worldName, name = worldName, coreWasm = null }) {
  const wit = parseWit(witText);
  // With the core module at hand: fail on missing exports, omit absent post-returns.
  const have = coreWasm
    ? new Set(WebAssembly.Module.exports(coreWasm instanceof WebAssembly.Module ? coreWasm : new WebAssembly.Module(coreWasm)).map((e) => e.name))
    : null;
  let world = null;
  for (const pk of wit.packages.values()) if (pk.worlds.has(worldName)) world = pk.worlds.get(worldName);
  if (!world) throw new Error(`fast-binding: world '${worldName}' not found`);

  let n = 0;
  const tmp = (p = 't') => `${p}${n++}`;
  const consts = []; // module-level constant tables (enum names etc.)
  const constCache = new Map();
  const constant = (key, src) => {
    if (!constCache.has(key)) { const id = `K${constCache.size}`; constCache.set(key, id); consts.push(`const ${id} = ${src};`); }
    return constCache.get(key);
  };

  // ---- per-interface type resolution --------------------------------------
  let curIface = null; // interface whose scope refs are resolved in
  const R = (ty) => (curIface ? resolveType(wit, curIface, ty) : ty);
  const L = (ty) => layout(ty, R);
  const rscClass = (r) => {
    if (!exportedResources.has(r)) throw new Error(`fast-binding: resource '${r.name}' is not defined by an exported interface (imported resources unsupported)`);
    return exportedResources.get(r).cls;
  };
  const exportedResources = new Map(); // resource typedef -> { cls, iface }

  // ---- lift from memory ------------------------------------------------------
  function load(ty, ptr, out) {
    ty = R(ty);
    switch (ty.k) {
      case 'prim': {
        const g = `dv.get${PRIM_GET[ty.name]}(${ptr}, true)`;
        if (ty.name === 'bool') return `(${g} !== 0)`;
        if (ty.name === 'char') return `String.fromCodePoint(${g})`;
        return g;
      }
      case 'string': return `utf8Decode(dv.getUint32(${ptr}, true), dv.getUint32(${ptr} + 4, true))`;
      case 'list': {
        const p = tmp('p'), len = tmp('n');
        out.push(`const ${p} = dv.getUint32(${ptr}, true), ${len} = dv.getUint32(${ptr} + 4, true);`);
        return liftList(ty, p, len, out);
      }
      case 'own': return `${rscClass(R(ty).resource)}._lift(dv.getInt32(${ptr}, true))`;
      case 'borrow': throw new Error('fast-binding: borrow<> cannot be returned');
      case 'flags': {
        const l = L(ty); const v = tmp('f');
        out.push(`const ${v} = dv.getUint${l.size * 8}(${ptr}, true);`);
        return `{ ${ty.flags.map((f, i) => `${camel(f)}: (${v} & ${2 ** i >>> 0}) !== 0`).join(', ')} }`;
      }
      case 'record': case 'tuple': {
        const l = L(ty); const base = tmp('b');
        out.push(`const ${base} = ${ptr};`);
        const vals = (ty.k === 'record' ? ty.fields.map((f) => f.type) : ty.elems)
          .map((ft, i) => { const v = tmp('v'); out.push(`const ${v} = ${load(ft, `${base} + ${l.offsets[i]}`, out)};`); return v; });
        return ty.k === 'record' ? `{ ${ty.fields.map((f, i) => `${camel(f.name)}: ${vals[i]}`).join(', ')} }` : `[${vals.join(', ')}]`;
      }
      default: {
        const l = L(ty); const base = tmp('b'); const d = tmp('d');
        out.push(`const ${base} = ${ptr}, ${d} = dv.getUint${l.discSize * 8}(${base}, true);`);
        return liftVariant(ty, d, (c, o) => (c.type ? load(c.type, `${base} + ${l.payload}`, o) : null), out);
      }
    }
  }

  function liftList(ty, p, len, out) {
    const el = R(ty.elem);
    if (el.k === 'prim' && TYPED[el.name]) {
      return `new ${TYPED[el.name]}(memory.buffer.slice(${p}, ${p} + ${len} * ${L(el).size}))`;
    }
    const arr = tmp('a'), i = tmp('i');
    const body = [];
    const v = load(el, `${p} + ${i} * ${L(el).size}`, body);
    out.push('if (u8.length === 0) fresh();', `const ${arr} = new Array(${len});`, `for (let ${i} = 0; ${i} < ${len}; ${i}++) {`, ...body.map((s) => '  ' + s), `  ${arr}[${i}] = ${v};`, '}');
    return arr;
  }

  // Generic variant lift: `payload(case, out)` emits code and returns the
  // payload expression. Returns an expression holding the lifted value.
  function liftVariant(ty, d, payload, out, onCase = null) {
    const cases = variantCases(ty);
    if (ty.k === 'enum') {
      const names = constant(`enum:${ty.cases}`, JSON.stringify(ty.cases));
      const r = tmp('e');
      out.push(`const ${r} = ${names}[${d}];`, `if (${r} === undefined) throw new TypeError('invalid enum discriminant');`);
      return r;
    }
    const r = tmp('r');
    out.push(...(onCase ? [] : [`let ${r};`]), `switch (${d}) {`);
    cases.forEach((c, ci) => {
      const body = [];
      const pv = payload(c, body);
      out.push(`  case ${ci}: {`, ...body.map((s) => '    ' + s));
      if (onCase) out.push(...onCase(ci, c, pv).map((s) => '    ' + s));
      else if (ty.k === 'option') out.push(`    ${r} = ${ci === 0 ? 'undefined' : pv};`);
      else out.push(`    ${r} = { tag: ${JSON.stringify(c.name)}${pv ? `, val: ${pv}` : ''} };`);
      out.push('    break;', '  }');
    });
    out.push(`  default: throw new TypeError('invalid variant discriminant');`, '}');
    return r;
  }

  // ---- lift from flat core values (vals: {list, i}) ---------------------------
  function liftFlat(ty, vals, out) {
    ty = R(ty);
    const take = () => vals.list[vals.i++];
    switch (ty.k) {
      case 'prim': {
        const v = take();
        switch (ty.name) {
          case 'bool': return `(${v} !== 0)`;
          case 'u8': return `(${v} & 0xff)`;
          case 's8': return `((${v} << 24) >> 24)`;
          case 'u16': return `(${v} & 0xffff)`;
          case 's16': return `((${v} << 16) >> 16)`;
          case 'u32': return `(${v} >>> 0)`;
          case 'char': return `String.fromCodePoint(${v} >>> 0)`;
          case 'u64': return `BigInt.asUintN(64, ${v})`;
          default: return v;
        }
      }
      case 'string': { const p = take(), l = take(); return `utf8Decode(${p} >>> 0, ${l} >>> 0)`; }
      case 'list': {
        const p = tmp('p'), len = tmp('n');
        out.push(`const ${p} = ${take()} >>> 0, ${len} = ${take()} >>> 0;`);
        return liftList(ty, p, len, out);
      }
      case 'own': return `${rscClass(ty.resource)}._lift(${take()})`;
      case 'borrow': throw new Error('fast-binding: borrow<> params of imports are unsupported');
      case 'flags': {
        const v = take();
        return `{ ${ty.flags.map((f, i) => `${camel(f)}: (${v} & ${2 ** i >>> 0}) !== 0`).join(', ')} }`;
      }
      case 'record': return `{ ${ty.fields.map((f) => `${camel(f.name)}: ${liftFlat(f.type, vals, out)}`).join(', ')} }`;
      case 'tuple': return `[${ty.elems.map((e) => liftFlat(e, vals, out)).join(', ')}]`;
      default: {
        const l = L(ty);
        const d = take();
        const joined = l.flat.slice(1);
        const jv = vals.list.slice(vals.i, vals.i + joined.length);
        vals.i += joined.length;
        return liftVariant(ty, d, (c, o) => {
          if (!c.type) return null;
          const cf = L(c.type).flat;
          return liftFlat(c.type, { list: cf.map((want, k) => coerceFromJoined(jv[k], joined[k], want)), i: 0 }, o);
        }, out);
      }
    }
  }
  function coerceFromJoined(v, have, want) {
    if (have === want) return v;
    if (have === 'i32' && want === 'f32') return `i32ToF32(${v})`;
    if (have === 'i64' && want === 'i32') return `Number(BigInt.asIntN(32, ${v}))`;
    if (have === 'i64' && want === 'f32') return `i32ToF32(Number(BigInt.asIntN(32, ${v})))`;
    if (have === 'i64' && want === 'f64') return `i64ToF64(${v})`;
    throw new Error(`fast-binding: bad flat coercion ${have}->${want}`);
  }
  function coerceToJoined(v, have, want) {
    if (have === want) return v;
    if (have === 'f32' && want === 'i32') return `f32ToI32(${v})`;
    if (have === 'i32' && want === 'i64') return `BigInt(${v} >>> 0)`;
    if (have === 'f32' && want === 'i64') return `BigInt(f32ToI32(${v}) >>> 0)`;
    if (have === 'f64' && want === 'i64') return `f64ToI64(${v})`;
    throw new Error(`fast-binding: bad flat coercion ${have}->${want}`);
  }

  // ---- lower to flat core values -> array of expressions ------------------
  function lowerFlat(ty, v, out) {
    ty = R(ty);
    switch (ty.k) {
      case 'prim':
        switch (ty.name) {
          case 'bool': return [`(${v} ? 1 : 0)`];
          case 'u8': case 's8': case 'u16': case 's16': case 's32': return [`(${v} | 0)`];
          case 'u32': return [`(${v} >>> 0)`];
          case 'char': return [`${v}.codePointAt(0)`];
          case 'u64': return [`BigInt.asUintN(64, BigInt(${v}))`];
          case 's64': return [`BigInt.asIntN(64, BigInt(${v}))`];
          default: return [`(+${v})`];
        }
      case 'string': {
        const p = tmp('p');
        out.push(`const ${p} = utf8Lower(${v}), ${p}_len = LOWER_LEN;`);
        return [p, `${p}_len`];
      }
      case 'list': return lowerList(ty, v, out);
      case 'own': return [`${rscClass(ty.resource)}._take(${v})`];
      case 'borrow': return [`${rscClass(ty.resource)}._rep(${v})`];
      case 'flags': {
        // jco's form is an object of booleans; a number (bit n = member n)
        // is also accepted, masked to the members, and skips ~1 property
        // load per member (10-20 ns for 30 members).
        const o = tmp('g'); out.push(`const ${o} = ${v};`);
        const mask = ty.flags.length === 32 ? 0xffffffff : 2 ** ty.flags.length - 1;
        const obj = ty.flags.map((f, i) => `(${o}.${camel(f)} ? ${2 ** i >>> 0} : 0)`).join(' | ') || '0';
        return [`(typeof ${o} === 'number' ? (${o} & ${mask}) >>> 0 : (${obj}))`];
      }
      case 'record': {
        const o = tmp('o'); out.push(`const ${o} = ${v};`);
        return ty.fields.flatMap((f) => lowerFlat(f.type, `${o}.${camel(f.name)}`, out));
      }
      case 'tuple': {
        const o = tmp('o'); out.push(`const ${o} = ${v};`);
        return ty.elems.flatMap((e, i) => lowerFlat(e, `${o}[${i}]`, out));
      }
      default: {
        const l = L(ty);
        const joined = l.flat.slice(1);
        const d = tmp('d'); const fs = joined.map(() => tmp('j'));
        const val = tmp('x');
        out.push(`let ${[`${d} = 0`, ...fs.map((f, k) => `${f} = ${ZERO[joined[k]]}`)].join(', ')};`);
        out.push(`const ${val} = ${v};`);
        lowerVariantCases(ty, val, out, (ci, c, pv, o) => {
          o.push(`${d} = ${ci};`);
          if (c.type) {
            const cf = L(c.type).flat;
            lowerFlat(c.type, pv, o).forEach((e, k) => o.push(`${fs[k]} = ${coerceToJoined(e, cf[k], joined[k])};`));
          }
        });
        return [d, ...fs];
      }
    }
  }

  // Dispatch on a JS value of variant-like type; emit(ci, case, payloadExpr, out)
  function lowerVariantCases(ty, val, out, emit) {
    const cases = variantCases(ty);
    if (ty.k === 'enum') {
      // A switch on the case names: V8 compares them as internalized
      // strings, ~2-4 ns faster per value than a lookup in a dictionary.
      const ci = tmp('c');
      out.push(`let ${ci};`, `switch (${val}) {`,
        ...ty.cases.map((c, i) => `  case ${JSON.stringify(c)}: ${ci} = ${i}; break;`),
        `  default: throw new TypeError('invalid enum value ' + ${val});`, '}');
      // enums have no payload: emit a generic body using the runtime index
      const body = [];
      emit('__IDX__', { name: null, type: null }, null, body);
      out.push(...body.map((s) => s.replaceAll('__IDX__', ci)));
      return;
    }
    if (ty.k === 'option') {
      const a = []; const b = [];
      emit(0, cases[0], null, a); emit(1, cases[1], val, b);
      out.push(`if (${val} === undefined || ${val} === null) {`, ...a.map((s) => '  ' + s), '} else {', ...b.map((s) => '  ' + s), '}');
      return;
    }
    out.push(`switch (${val}.tag) {`);
    cases.forEach((c, ci) => {
      const body = [];
      emit(ci, c, c.type ? `${val}.val` : null, body);
      out.push(`  case ${JSON.stringify(c.name)}: {`, ...body.map((s) => '    ' + s), '    break;', '  }');
    });
    out.push(`  default: throw new TypeError('invalid variant tag ' + ${val}.tag);`, '}');
  }

  function lowerList(ty, v, out) {
    const el = R(ty.elem); const l = L(el);
    const arr = tmp('a'), p = tmp('p'), i = tmp('i');
    out.push(`const ${arr} = ${v};`);
    out.push(`const ${p} = cabiRealloc(0, 0, ${l.align}, ${arr}.length * ${l.size});`, 'if (u8.length === 0) fresh();');
    if (el.k === 'prim' && TYPED[el.name]) {
      out.push(`new Uint8Array(memory.buffer, ${p}, ${arr}.length * ${l.size}).set(new Uint8Array(${TYPED[el.name]}.from(${arr}).buffer));`);
    } else {
      const body = [];
      store(el, `${arr}[${i}]`, `${p} + ${i} * ${l.size}`, body);
      out.push(`for (let ${i} = 0; ${i} < ${arr}.length; ${i}++) {`, ...body.map((s) => '  ' + s), '}');
    }
    return [p, `${arr}.length`];
  }

  // ---- store into memory -------------------------------------------------------
  function store(ty, v, ptr, out) {
    ty = R(ty);
    switch (ty.k) {
      case 'prim': {
        const [x] = lowerFlat(ty, v, out);
        out.push(`dv.set${PRIM_GET[ty.name]}(${ptr}, ${x}, true);`);
        return;
      }
      case 'string': case 'list': {
        const [a, b] = lowerFlat(ty, v, out);
        out.push(`dv.setUint32(${ptr}, ${a}, true);`, `dv.setUint32(${ptr} + 4, ${b}, true);`);
        return;
      }
      case 'own': case 'borrow': case 'flags': {
        const [x] = lowerFlat(ty, v, out);
        const sz = ty.k === 'flags' ? L(ty).size * 8 : 32;
        out.push(`dv.setUint${sz}(${ptr}, ${x}, true);`);
        return;
      }
      case 'record': case 'tuple': {
        const l = L(ty); const o = tmp('o'); const base = tmp('b');
        out.push(`const ${o} = ${v}, ${base} = ${ptr};`);
        (ty.k === 'record' ? ty.fields.map((f) => [f.type, `${o}.${camel(f.name)}`]) : ty.elems.map((e, i) => [e, `${o}[${i}]`]))
          .forEach(([ft, fv], i) => store(ft, fv, `${base} + ${l.offsets[i]}`, out));
        return;
      }
      default: {
        const l = L(ty); const base = tmp('b'); const val = tmp('x');
        out.push(`const ${base} = ${ptr}, ${val} = ${v};`);
        lowerVariantCases(ty, val, out, (ci, c, pv, o) => {
          o.push(`dv.setUint${l.discSize * 8}(${base}, ${ci}, true);`);
          if (c.type) store(c.type, pv, `${base} + ${l.payload}`, o);
        });
      }
    }
  }

  // ---- exported functions ------------------------------------------------------
  // Emits the body of a JS function calling core export `coreVar`.
  function exportBody(fn, coreName, jsArgs, { isCtor = false } = {}) {
    const out = ['if (poisoned) trapped();'];
    const paramFlat = fn.params.flatMap((p) => L(p.type).flat);
    let coreArgs;
    if (paramFlat.length > MAX_FLAT_PARAMS) {
      const tuple = { k: 'tuple', elems: fn.params.map((p) => p.type) };
      const l = L(tuple); const p = tmp('p');
      out.push(`const ${p} = cabiRealloc(0, 0, ${l.align}, ${l.size});`, 'if (u8.length === 0) fresh();');
      store(tuple, `[${jsArgs.join(', ')}]`, p, out);
      coreArgs = [p];
    } else {
      coreArgs = fn.params.flatMap((p, i) => lowerFlat(p.type, jsArgs[i], out));
    }
    const [coreVar, post] = coreFn(coreName);
    // Arguments are lowered before the call, so a bad argument (a TypeError
    // in JS) is not mistaken for a trap below.
    const argVars = coreArgs.map(() => tmp('k'));
    if (argVars.length) out.push(`const ${coreArgs.map((a, i) => `${argVars[i]} = ${a}`).join(', ')};`);
    const call = `${coreVar}(${argVars.join(', ')})`;
    // A trap (or any exception unwinding the core) poisons the instance, as
    // the Component Model requires and jco does: later calls are refused.
    const guarded = (target) => `try { ${target}${call}; } catch (e) { poisoned = true; throw e; }`;
    if (isCtor) { out.push(guarded('this.#rep = ')); return out; }
    if (!fn.result) { out.push(guarded('')); return out; }
    const rl = L(fn.result);
    const ret = tmp('ret');
    out.push(`let ${ret};`, guarded(`${ret} = `));
    const rt = R(fn.result);
    // The post-return, if the core has one (a missing one is left out).
    const postCall = post ? [`if (${post} !== undefined) ${post}(${ret});`] : [];
    const finish = (valueExpr) => [`const out = ${valueExpr};`, ...postCall, 'return out;'];
    if (rl.flat.length > MAX_FLAT_RESULTS) {
      out.push('if (u8.length === 0) fresh();');
      if (rt.k === 'result') {
        const d = tmp('d'); const base = ret;
        out.push(`const ${d} = dv.getUint8(${base});`);
        liftVariant(rt, d, (c, o) => (c.type ? load(c.type, `${base} + ${rl.payload}`, o) : null), out,
          (ci, c, pv) => (ci === 0
            ? [`const ok = ${pv ?? 'undefined'};`, ...postCall, 'return ok;']
            : [`const e = ${pv ?? 'undefined'};`, ...postCall, 'throw err(e);']));
        return out;
      }
      const v = load(rt, ret, out);
      out.push(...finish(v));
      return out;
    }
    // single flat result
    if (rt.k === 'result') {
      liftVariant(rt, ret, () => null, out, (ci) => (ci === 0
        ? [...postCall, 'return;']
        : [...postCall, 'throw err(undefined);']));
      return out;
    }
    const v = liftFlat(rt, { list: [ret], i: 0 }, out);
    out.push(...finish(v));
    return out;
  }

  const coreFns = [];
  function coreFn(coreName) {
    const i = coreFns.length;
    if (have && !have.has(coreName)) throw new Error(`fast-binding: core module lacks export '${coreName}'`);
    const postName = 'cabi_post_' + coreName;
    const post = !have || have.has(postName);
    coreFns.push(`  const C${i} = x[${JSON.stringify(coreName)}]${post ? `, P${i} = x[${JSON.stringify(postName)}]` : ''};`);
    return [`C${i}`, post ? `P${i}` : null];
  }
  const argNames = (fn) => fn.params.map((p) => `a_${camel(p.name)}`);
  const indent = (lines, s = '  ') => lines.map((l) => s + l);

  const body = [];
  const apis = []; // [key, expr]

  function genInterfaceExport(iface, keyNames) {
    curIface = iface;
    const members = [];
    const rscs = [...iface.types.values()].filter((t) => t.k === 'resource');
    for (const r of rscs) exportedResources.set(r, { cls: pascal(r.name), iface });
    for (const r of rscs) {
      const cls = pascal(r.name);
      body.push(
        `  const ${cls}_dtor = x[${JSON.stringify(`${iface.qname}#[dtor]${r.name}`)}];`,
        `  const ${cls}_reg = finalize && ${cls}_dtor ? new FinalizationRegistry((rep) => { if (!poisoned) ${cls}_dtor(rep); }) : null;`,
        `  class ${cls} {`,
        '    #rep;',
      );
      // new Cls(LIFT, rep) wraps an existing rep (own<> results); otherwise
      // the WIT constructor runs. Two params minimum so LIFT/rep fit.
      const ctorArgs = r.ctor ? argNames(r.ctor) : [];
      const params = [...ctorArgs, '_r0', '_r1'].slice(0, Math.max(2, ctorArgs.length));
      body.push(`    constructor(${params.join(', ')}) {`);
      body.push(`      if (${params[0]} === LIFT) this.#rep = ${params[1]};`);
      if (r.ctor) {
        const b = exportBody(r.ctor, `${iface.qname}#${r.ctor.name}`, ctorArgs, { isCtor: true });
        body.push('      else {', ...indent(b, '        '), '      }');
      } else {
        body.push(`      else throw new TypeError('${cls} has no constructor');`);
      }
      body.push(`      ${cls}_reg?.register(this, this.#rep, this);`, '    }');
      body.push(
        `    static _lift(rep) { return new ${cls}(LIFT, rep); }`,
        `    static _rep(o) { const r = o.#rep; if (r === undefined) throw new TypeError('${cls} was disposed'); return r; }`,
        `    static _take(o) { const r = ${cls}._rep(o); o.#rep = undefined; ${cls}_reg?.unregister(o); return r; }`,
        `    [SYMBOL_DISPOSE]() {`,
        `      const r = this.#rep; if (r === undefined) return;`,
        `      if (poisoned) trapped();`,
        `      this.#rep = undefined; ${cls}_reg?.unregister(this);`,
        `      try { ${cls}_dtor?.(r); } catch (e) { poisoned = true; throw e; }`,
        `    }`,
      );
      for (const m of r.methods) {
        const args = argNames(m).slice(1);
        const b = exportBody(m, `${iface.qname}#${m.name}`, ['this', ...args]);
        body.push(`    ${camel(m.short)}(${args.join(', ')}) {`, ...indent(b, '      '), '    }');
      }
      for (const s of r.statics) {
        const args = argNames(s);
        const b = exportBody(s, `${iface.qname}#${s.name}`, args);
        body.push(`    static ${camel(s.short)}(${args.join(', ')}) {`, ...indent(b, '      '), '    }');
      }
      body.push('  }');
      // The exported resource's intrinsics, imported by the core module.
      const mod = `[export]${iface.qname}`;
      intrinsicImports.push([mod, `[resource-new]${r.name}`, '(rep) => rep'],
        [mod, `[resource-rep]${r.name}`, '(h) => h'],
        [mod, `[resource-drop]${r.name}`, `(h) => { ${cls}_dtor?.(h); }`]);
      members.push([cls, cls]);
    }
    for (const f of iface.funcs) {
      const fname = `${tmp('f')}_${camel(f.name)}`;
      const args = argNames(f);
      const b = exportBody(f, `${iface.qname}#${f.name}`, args);
      body.push(`  function ${fname}(${args.join(', ')}) {`, ...indent(b, '    '), '  }');
      members.push([camel(f.name), fname]);
    }
    const api = tmp('api');
    body.push(`  const ${api} = { ${members.map(([k, v]) => `${k}: ${v}`).join(', ')} };`);
    for (const k of keyNames) apis.push([k, api]);
    curIface = null;
  }

  const intrinsicImports = [];
  const hostImports = []; // [module, name, jsExpr]

  function genImportFunc(fn, module, userRef) {
    const flatP = fn.params.flatMap((p) => L(p.type).flat);
    if (flatP.length > MAX_FLAT_PARAMS) throw new Error(`fast-binding: import ${fn.name} has >16 flat params (unsupported)`);
    if (fn.kind !== 'func') throw new Error('fast-binding: imported resources are unsupported');
    const ps = flatP.map(() => tmp('q'));
    const out = [];
    const vals = { list: ps, i: 0 };
    const jsArgs = fn.params.map((p) => liftFlat(p.type, vals, out));
    const rl = fn.result ? L(fn.result) : null;
    const rt = fn.result ? R(fn.result) : null;
    const retptr = rl && rl.flat.length > MAX_FLAT_RESULTS ? tmp('rp') : null;
    const call = `${userRef}(${jsArgs.join(', ')})`;
    if (!rt) out.push(`${call};`);
    else {
      const r = tmp('res');
      if (rt.k === 'result') {
        out.push(`let ${r};`, `try { ${r} = { tag: 'ok', val: ${call} }; }`,
          `catch (e) { if (e && typeof e === 'object' && 'payload' in e) ${r} = { tag: 'err', val: e.payload }; else throw e; }`);
      } else out.push(`const ${r} = ${call};`);
      if (retptr) { out.push('if (u8.length === 0) fresh();'); store(rt, r, retptr, out); }
      else { const [e] = lowerFlat(rt, r, out); out.push(`return ${e};`); }
    }
    const params = retptr ? [...ps, retptr] : ps;
    hostImports.push([module, fn.name, `(${params.join(', ')}) => {\n${indent(out, '      ').join('\n')}\n    }`]);
  }

  for (const e of world.exports) {
    if (e.kind === 'iface') {
      const iface = findInterface(wit, e.ref, world.pkg);
      genInterfaceExport(iface, [iface.qname, iface.name]);
    } else {
      curIface = { qname: '', types: new Map(), uses: [], pkg: world.pkg };
      const f = e.func; const fname = `${tmp('f')}_${camel(f.name)}`; const args = argNames(f);
      const b = exportBody(f, f.name, args);
      body.push(`  function ${fname}(${args.join(', ')}) {`, ...indent(b, '    '), '  }');
      apis.push([camel(f.name), fname]);
      curIface = null;
    }
  }
  for (const i of world.imports) {
    if (i.kind === 'iface') {
      const iface = findInterface(wit, i.ref, world.pkg);
      curIface = iface;
      if ([...iface.types.values()].some((t) => t.k === 'resource')) throw new Error(`fast-binding: imported interface ${iface.qname} has resources (unsupported)`);
      // jco keys import objects by the UNversioned name; accept both.
      const key = constant(`imp:${iface.qname}`, `${JSON.stringify(iface.qname)}`);
      const keyNoVer = JSON.stringify(iface.qname.replace(/@.*$/, ''));
      for (const f of iface.funcs) genImportFunc(f, iface.qname, `(imports[${key}] ?? imports[${keyNoVer}]).${camel(f.name)}`);
      curIface = null;
    } else {
      curIface = { qname: '', types: new Map(), uses: [], pkg: world.pkg };
      genImportFunc(i.func, '$root', `imports.$root.${camel(i.func.name)}`);
      curIface = null;
    }
  }

  const importObj = new Map();
  for (const [m, k, v] of [...intrinsicImports, ...hostImports]) {
    if (!importObj.has(m)) importObj.set(m, []);
    importObj.get(m).push(`    ${JSON.stringify(k)}: ${v},`);
  }

  return `// Generated by scripts/component/fast-binding.mjs from WIT world '${worldName}' (${name}). Do not edit.
${PRELUDE}
${consts.join('\n')}

export function instantiate(moduleOrBytes, { imports = {}, finalize = true, errorStacks = true } = {}) {
  const module = moduleOrBytes instanceof WebAssembly.Module ? moduleOrBytes : new WebAssembly.Module(moduleOrBytes);
  let memory, dv, u8, x, LOWER_LEN = 0, poisoned = false;
  const trapped = () => { throw new WebAssembly.RuntimeError('wasm trap: cannot enter component instance'); };
  // Memory growth detaches the old ArrayBuffer: views then have length 0.
  // (Check \`u8.length\`, not \`byteLength\`: the latter is not inlined on Node 20.)
  const fresh = () => { u8 = new Uint8Array(memory.buffer); dv = new DataView(memory.buffer); };
  const cabiRealloc = (a, b, c, d) => x.cabi_realloc(a, b, c, d);
  const utf8Decode = (p, l) => {
    if (u8.length === 0) fresh();
    if (l > 32) return TD.decode(u8.subarray(p, p + l));
    let s = '';
    for (let i = p, e = p + l; i < e; i++) {
      const c = u8[i];
      if (c > 127) return TD.decode(u8.subarray(p, p + l));
      s += String.fromCharCode(c);
    }
    return s;
  };
  const utf8Lower = (s) => {
    const n = s.length;
    let p = cabiRealloc(0, 0, 1, n);
    if (u8.length === 0) fresh();
    let i = 0;
    for (; i < n; i++) { const c = s.charCodeAt(i); if (c > 127) break; u8[p + i] = c; }
    if (i < n) { // non-ASCII: grow to the worst case, encode the rest, shrink
      p = cabiRealloc(p, n, 1, i + (n - i) * 3);
      if (u8.length === 0) fresh();
      const { written } = TE.encodeInto(s.slice(i), u8.subarray(p + i, p + i + (n - i) * 3));
      p = cabiRealloc(p, i + (n - i) * 3, 1, i + written);
      if (u8.length === 0) fresh();
      i += written;
    }
    LOWER_LEN = i; return p;
  };
  const err = errorStacks ? (e) => new ComponentError(e) : (e) => new StacklessComponentError(e);
  const importObject = {
${[...importObj].map(([m, lines]) => `  ${JSON.stringify(m)}: {\n${lines.join('\n')}\n  },`).join('\n')}
  };
  const instance = new WebAssembly.Instance(module, importObject);
  x = instance.exports;
  memory = x.memory;
  u8 = new Uint8Array(memory ? memory.buffer : new ArrayBuffer(0)); dv = new DataView(u8.buffer);
${coreFns.join('\n')}
${body.join('\n')}
  if (x._initialize) x._initialize();
  return { ${apis.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}, $exports: x };
}
`;
}

const PRELUDE = `const TD = new TextDecoder();
const TE = new TextEncoder();
const LIFT = Symbol('lift');
const SYMBOL_DISPOSE = Symbol.dispose || Symbol.for('dispose'); // as jco does
const F32 = new Float32Array(1), I32 = new Int32Array(F32.buffer), F64 = new Float64Array(1), I64 = new BigInt64Array(F64.buffer);
const f32ToI32 = (v) => ((F32[0] = v), I32[0]);
const i32ToF32 = (v) => ((I32[0] = v), F32[0]);
const f64ToI64 = (v) => ((F64[0] = v), I64[0]);
const i64ToF64 = (v) => ((I64[0] = v), F64[0]);
export class ComponentError extends Error {
  constructor(payload) {
    super(typeof payload === 'string' ? payload : 'component error');
    this.payload = payload;
  }
}
ComponentError.prototype.name = 'ComponentError';
// errorStacks: false. A ComponentError (same prototype, own payload and
// message) made without Error's constructor, so no stack is captured: a
// refused call costs ~0.1-0.3 µs instead of ~3 µs (Node 20).
function StacklessComponentError(payload) {
  this.payload = payload;
  this.message = typeof payload === 'string' ? payload : 'component error';
}
StacklessComponentError.prototype = ComponentError.prototype;`;
