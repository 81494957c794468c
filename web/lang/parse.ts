// The playground's parser: the statements a student types, as a syntax tree.
//
// The language is a small, strict subset of Go, enough for maps and the lessons:
//
//   type User struct { Age int; Score float64 }
//   m := make(map[string]int, 10)        var n map[string]int (a nil map)
//   m["a"] = 1   m["a"] += 2 (also -= *= /= %=)   m["a"]++   delete(m, "a")   clear(m)
//   v := m["a"]   v, ok := m["b"]   len(m)   m["a"] (a bare expression prints its value)
//   for k, v := range m                  (prints every entry)
//   for k, v := range m { m[k+"!"] = v; delete(m, k) }
//   u := m["a"]; u.Age = 35; m["a"] = u   s := append(m["a"], 1)   User{Age: 30}   User{30, 1.5}
//   m := map[string]int{"a": 1, "b": 2}   var m = map[string]User{"a": {Age: 30}}   []int{1, 2}
//   m.update("a", func(u) { u.Age++ })   m.ref("a").Age = 37   (gomap's in-place writes)
//
// Anything else is a PlaygroundSyntaxError that says what was expected and where. Every node
// keeps its source span, so later errors can quote the student's own text. Expressions, types
// and blocks nest at most MAX_NESTING deep, so that the parser's recursion (and the
// interpreter's over the tree) never overflows the stack.
import { PlaygroundSyntaxError } from "./errors.js";
import { lex, numberValue } from "./lex.js";
import type { Tok } from "./lex.js";

export interface Span {
  /** Offsets of the node's text in the source. */
  off: number;
  end: number;
  line: number;
  col: number;
}

export type TypeExpr =
  | { k: "name"; name: string; at: Span }
  | { k: "map"; key: TypeExpr; value: TypeExpr; at: Span }
  | { k: "slice"; elem: TypeExpr; at: Span }
  | { k: "struct"; fields: { name: string; type: TypeExpr }[]; at: Span };

export type Expr =
  | { k: "lit"; value: string | number | boolean; kind: "int" | "float" | "string" | "bool"; at: Span }
  | { k: "ident"; name: string; at: Span }
  | { k: "index"; x: Expr; index: Expr; at: Span }
  | { k: "field"; x: Expr; name: string; at: Span }
  | { k: "call"; fn: string; args: Expr[]; type: TypeExpr | null; at: Span }
  | { k: "method"; x: Expr; name: string; args: Expr[]; at: Span }
  | { k: "composite"; type: TypeExpr | null; elems: Element[]; at: Span }
  | { k: "func"; params: string[]; body: Stmt[]; at: Span }
  | { k: "unary"; op: string; x: Expr; at: Span }
  | { k: "binary"; op: string; x: Expr; y: Expr; at: Span };

/**
 * An element of a composite literal: `key: value` or a bare value. A key is a field name (an
 * ident) in a struct literal, an index in a slice literal, a key in a map literal. A value, or a
 * key, written `{...}` without a type is a composite with type null: Go's elided element type.
 */
export interface Element {
  key: Expr | null;
  value: Expr;
}

export type Stmt =
  | { k: "type"; name: string; type: TypeExpr; at: Span }
  | { k: "var"; name: string; type: TypeExpr | null; value: Expr | null; at: Span }
  | { k: "define"; names: string[]; values: Expr[]; at: Span }
  | { k: "assign"; targets: Expr[]; op: string; values: Expr[]; at: Span }
  | { k: "incdec"; target: Expr; op: "++" | "--"; at: Span }
  | { k: "expr"; x: Expr; at: Span }
  | { k: "range"; key: string | null; value: string | null; blank: boolean; x: Expr; body: Stmt[] | null; at: Span };

/** What the box accepts, for error messages. */
export const EXAMPLES = 'm := make(map[string]int), m["a"] = 1, delete(m, "a"), v, ok := m["b"], for k, v := range m, clear(m)';

/** Parses the statements of src, one per line or separated by ";". */
export function parse(src: string): Stmt[] {
  return new Parser(src).program();
}

/** How deep expressions, types and blocks may nest; deeper is a syntax error. */
export const MAX_NESTING = 200;

const BINARY_PRECEDENCE: Record<string, number> = { "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5 };
const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%="]);

class Parser {
  private readonly toks: Tok[];
  private p: number;
  /** Expressions, types and blocks open around the token being read. */
  private depth = 0;
  /**
   * Go's exprLev: -1 in a for statement's header, where `name {` opens the loop's body rather
   * than a literal of type name; 0 or more elsewhere and inside (), [] and {} in the header.
   */
  private exprLev = 0;

  constructor(private readonly src: string) {
    this.toks = lex(src);
    this.p = 0;
  }

  program(): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.skipEnds();
      if (this.peek().kind === "eof") return out;
      out.push(this.statement());
      const t = this.peek();
      if (t.kind !== "end" && t.kind !== "eof") this.fail(t, `unexpected ${describe(t)} after the statement`);
    }
  }

  // --- statements ---------------------------------------------------------------------------

  private statement(): Stmt {
    const t = this.peek();
    if (t.kind === "ident" && t.text === "type") return this.typeDecl();
    if (t.kind === "ident" && t.text === "var") return this.varDecl();
    if (t.kind === "ident" && t.text === "for") return this.rangeStmt();
    if (t.kind === "ident" && (t.text === "func" || t.text === "if" || t.text === "go" || t.text === "return")) {
      this.fail(t, `the playground does not run "${t.text}" statements; try ${EXAMPLES}`);
    }
    return this.simpleStatement();
  }

  private typeDecl(): Stmt {
    const start = this.next();
    const name = this.ident("a type name after \"type\"");
    const type = this.typeExpr();
    return { k: "type", name: name.text, type, at: this.span(start) };
  }

  private varDecl(): Stmt {
    const start = this.next();
    const name = this.ident("a variable name after \"var\"");
    // var m map[string]int, var m = map[string]int{}, var m map[string]int = ...
    const type = this.isOp("=") ? null : this.typeExpr();
    const value = this.eatOp("=") ? this.expr() : null;
    return { k: "var", name: name.text, type, value, at: this.span(start) };
  }

  private rangeStmt(): Stmt {
    const start = this.next();
    let key: string | null = null;
    let value: string | null = null;
    if (!this.isIdent("range")) {
      key = this.ident("a variable name or \"range\" after \"for\"").text;
      if (this.eatOp(",")) value = this.ident("a second variable name after \",\"").text;
      if (!this.eatOp(":=")) this.fail(this.peek(), "expected := before range (the playground runs only for ... := range m loops)");
      if (!this.isIdent("range")) this.fail(this.peek(), "expected \"range\": the playground runs only for ... := range m loops");
    }
    this.next();
    const lev = this.exprLev;
    this.exprLev = -1;
    const x = this.expr();
    this.exprLev = lev;
    const body = this.isOp("{") ? this.block() : null;
    // `for _ := range m`, `for _, _ := range m`: names written, none of them new (blank).
    const blank = key === "_" && (value === null || value === "_");
    return { k: "range", key: key === "_" ? null : key, value: value === "_" ? null : value, blank, x, body, at: this.span(start) };
  }

  private block(): Stmt[] {
    return this.nested(() => this.blockBody());
  }

  private blockBody(): Stmt[] {
    this.expectOp("{");
    const out: Stmt[] = [];
    for (;;) {
      this.skipEnds();
      if (this.eatOp("}")) return out;
      if (this.peek().kind === "eof") this.fail(this.peek(), "expected } to close the block");
      out.push(this.statement());
      const t = this.peek();
      if (t.kind === "eof") this.fail(t, "expected } to close the block");
      if (!(t.kind === "end" || (t.kind === "op" && t.text === "}"))) this.fail(t, `unexpected ${describe(t)} in the block`);
    }
  }

  private simpleStatement(): Stmt {
    const start = this.peek();
    const lhs = [this.expr()];
    while (this.eatOp(",")) lhs.push(this.expr());
    const t = this.peek();
    if (t.kind === "op" && t.text === ":=") {
      this.next();
      const names = lhs.map((e) => {
        if (e.k !== "ident") this.failAt(e.at, `non-name ${this.text(e.at)} on left side of :=`);
        return e.name;
      });
      return { k: "define", names, values: this.exprList(), at: this.span(start) };
    }
    if (t.kind === "op" && ASSIGN_OPS.has(t.text)) {
      this.next();
      return { k: "assign", targets: lhs, op: t.text, values: this.exprList(), at: this.span(start) };
    }
    if (t.kind === "op" && (t.text === "++" || t.text === "--")) {
      this.next();
      if (lhs.length !== 1) this.fail(t, `unexpected ${t.text}`);
      return { k: "incdec", target: lhs[0], op: t.text, at: this.span(start) };
    }
    if (lhs.length !== 1) this.fail(t, "expected := or = after the list of names");
    if (t.kind !== "end" && t.kind !== "eof" && !(t.kind === "op" && t.text === "}")) {
      this.fail(t, `unexpected ${describe(t)}; the playground understands ${EXAMPLES}`);
    }
    return { k: "expr", x: lhs[0], at: this.span(start) };
  }

  private exprList(): Expr[] {
    const out = [this.expr()];
    while (this.eatOp(",")) out.push(this.expr());
    return out;
  }

  // --- expressions ------------------------------------------------------------------------

  private expr(min = 1): Expr {
    return this.nested(() => this.binaryExpr(min));
  }

  private binaryExpr(min: number): Expr {
    const depth = this.depth;
    let x = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === "op" ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < min) {
        this.depth = depth;
        return x;
      }
      this.next();
      // a + b + c is (a + b) + c: each operator of a chain nests what came before it.
      this.deeper();
      const y = this.expr(prec + 1);
      x = { k: "binary", op: t.text, x, y, at: this.spanFrom(x.at) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "!" || t.text === "+")) {
      this.next();
      const x = this.nested(() => this.unary());
      return { k: "unary", op: t.text, x, at: this.span(t) };
    }
    return this.postfix(this.operand());
  }

  private postfix(x: Expr): Expr {
    for (;;) {
      if (this.eatOp("[")) {
        const index = this.bracketed(() => this.expr());
        this.expectOp("]");
        x = { k: "index", x, index, at: this.spanFrom(x.at) };
      } else if (this.eatOp(".")) {
        const name = this.ident("a field or method name after \".\"").text;
        if (this.isOp("(")) {
          x = { k: "method", x, name, args: this.args(), at: this.spanFrom(x.at) };
        } else {
          x = { k: "field", x, name, at: this.spanFrom(x.at) };
        }
      } else {
        return x;
      }
    }
  }

  private operand(): Expr {
    const t = this.peek();
    if (t.kind === "int" || t.kind === "float") {
      this.next();
      return { k: "lit", kind: t.kind, value: numberValue(t), at: this.span(t) };
    }
    if (t.kind === "string") {
      this.next();
      return { k: "lit", kind: "string", value: t.text, at: this.span(t) };
    }
    if (t.kind === "op" && t.text === "(") {
      this.next();
      const x = this.bracketed(() => this.expr());
      this.expectOp(")");
      return x;
    }
    if (t.kind === "ident") {
      if (t.text === "true" || t.text === "false") {
        this.next();
        return { k: "lit", kind: "bool", value: t.text === "true", at: this.span(t) };
      }
      if (t.text === "func") return this.funcLit();
      if (t.text === "map" || t.text === "struct") return this.composite(this.typeExpr(), t);
      this.next();
      if (this.isOp("(")) return this.call(t);
      // A composite literal of a named type: User{Age: 30}; but `range m {` opens the loop's body.
      if (this.isOp("{") && this.exprLev >= 0) return this.composite({ k: "name", name: t.text, at: this.span(t) }, t);
      return { k: "ident", name: t.text, at: this.span(t) };
    }
    if (t.kind === "op" && t.text === "[") return this.composite(this.typeExpr(), t);
    return this.fail(t, `expected a value, found ${describe(t)}`);
  }

  private call(name: Tok): Expr {
    if (name.text === "make") {
      this.expectOp("(");
      const type = this.typeExpr();
      const args: Expr[] = [];
      while (this.eatOp(",")) args.push(this.bracketed(() => this.expr()));
      this.expectOp(")");
      return { k: "call", fn: "make", args, type, at: this.span(name) };
    }
    return { k: "call", fn: name.text, args: this.args(), type: null, at: this.span(name) };
  }

  private args(): Expr[] {
    this.expectOp("(");
    const out: Expr[] = [];
    this.skipEnds();
    while (!this.eatOp(")")) {
      out.push(this.bracketed(() => this.expr()));
      this.skipEnds();
      if (!this.eatOp(",") && !this.isOp(")")) this.fail(this.peek(), "expected , or ) in the argument list");
      this.skipEnds();
    }
    return out;
  }

  /**
   * A literal's braces and elements, after its type (null for an elided one). Go's rules for
   * lines: a newline may follow {, a comma or a colon; after an element, where Go's automatic
   * semicolon would go, only a comma or } may come, so a literal over several lines ends its
   * last element with a comma.
   */
  private composite(type: TypeExpr | null, start: Tok): Expr {
    this.expectOp("{");
    const elems: Element[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.eatOp("}")) break;
      const first = this.bracketed(() => this.element());
      let elem: Element = { key: null, value: first };
      if (this.eatOp(":")) {
        this.skipNewlines();
        elem = { key: first, value: this.bracketed(() => this.element()) };
      }
      elems.push(elem);
      if (this.eatOp(",")) continue;
      if (this.eatOp("}")) break;
      const t = this.peek();
      this.fail(t, `unexpected ${t.kind === "end" && t.text === "\n" ? "newline" : describe(t)} in composite literal; possibly missing comma or }`);
    }
    return { k: "composite", type, elems, at: this.span(start) };
  }

  /** An element's key or value: an expression, or {...} with the type elided. */
  private element(): Expr {
    const t = this.peek();
    if (t.kind === "op" && t.text === "{") return this.nested(() => this.composite(null, t));
    return this.expr();
  }

  private funcLit(): Expr {
    const start = this.next();
    this.expectOp("(");
    const params: string[] = [];
    while (!this.eatOp(")")) {
      params.push(this.ident("a parameter name").text);
      // A parameter's type is allowed and ignored: the map decides it.
      if (!this.isOp(",") && !this.isOp(")")) this.typeExpr();
      this.eatOp(",");
    }
    return { k: "func", params, body: this.block(), at: this.span(start) };
  }

  // --- types ---------------------------------------------------------------------------------

  private typeExpr(): TypeExpr {
    return this.nested(() => this.identOrType());
  }

  private identOrType(): TypeExpr {
    const t = this.peek();
    if (t.kind === "op" && t.text === "*") {
      this.next();
      return this.typeExpr();
    }
    if (t.kind === "ident" && t.text === "map") {
      this.next();
      this.expectOp("[", "expected [ after map");
      const key = this.typeExpr();
      this.expectOp("]", "expected ] after the map's key type");
      const value = this.typeExpr();
      return { k: "map", key, value, at: this.span(t) };
    }
    if (t.kind === "ident" && t.text === "struct") {
      this.next();
      this.expectOp("{", "expected { after struct");
      const fields: { name: string; type: TypeExpr }[] = [];
      this.skipEnds();
      while (!this.eatOp("}")) {
        const names = [this.ident("a field name").text];
        while (this.eatOp(",")) names.push(this.ident("a field name").text);
        const type = this.typeExpr();
        for (const name of names) fields.push({ name, type });
        this.skipEnds();
      }
      return { k: "struct", fields, at: this.span(t) };
    }
    if (t.kind === "op" && t.text === "[") {
      this.next();
      this.expectOp("]", "expected ] (the playground has slices, []T, but no arrays)");
      return { k: "slice", elem: this.typeExpr(), at: this.span(t) };
    }
    const name = this.ident("a type");
    return { k: "name", name: name.text, at: this.span(name) };
  }

  /** Runs read inside brackets: (), [] or a literal's {}, where a literal is never a loop's body. */
  private bracketed<T>(read: () => T): T {
    const lev = this.exprLev;
    this.exprLev = Math.max(lev, 0) + 1;
    const x = read();
    this.exprLev = lev;
    return x;
  }

  /** Runs read one nesting level deeper. */
  private nested<T>(read: () => T): T {
    this.deeper();
    const x = read();
    this.depth--;
    return x;
  }

  /** One nesting level deeper; past MAX_NESTING it is a syntax error. */
  private deeper(): void {
    if (++this.depth > MAX_NESTING) this.fail(this.peek(), `exceeded max nesting depth (${MAX_NESTING})`);
  }

  // --- tokens ---------------------------------------------------------------------------------

  private peek(): Tok {
    return this.toks[this.p];
  }

  private next(): Tok {
    const t = this.toks[this.p];
    if (t.kind !== "eof") this.p++;
    return t;
  }

  private skipEnds(): void {
    while (this.peek().kind === "end") this.p++;
  }

  /** Skips line ends, not semicolons. */
  private skipNewlines(): void {
    while (this.peek().kind === "end" && this.peek().text === "\n") this.p++;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === op;
  }

  private isIdent(name: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text === name;
  }

  private eatOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.p++;
    return true;
  }

  private expectOp(op: string, message = `expected ${op}`): void {
    if (!this.eatOp(op)) this.fail(this.peek(), `${message}, found ${describe(this.peek())}`);
  }

  private ident(what: string): Tok {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(t, `expected ${what}, found ${describe(t)}`);
    return this.next();
  }

  /** The span from token `start` to the last token consumed. */
  private span(start: Tok): Span {
    const last = this.toks[Math.max(this.p - 1, 0)];
    return { off: start.off, end: Math.max(last.end, start.end), line: start.line, col: start.col };
  }

  private spanFrom(at: Span): Span {
    const last = this.toks[Math.max(this.p - 1, 0)];
    return { ...at, end: last.end };
  }

  private text(at: Span): string {
    return this.src.slice(at.off, at.end);
  }

  private fail(t: Tok, message: string): never {
    throw new PlaygroundSyntaxError(message, t.line, t.col);
  }

  private failAt(at: Span, message: string): never {
    throw new PlaygroundSyntaxError(message, at.line, at.col);
  }
}

function describe(t: Tok): string {
  if (t.kind === "eof") return "the end of the statement";
  if (t.kind === "end") return t.text === ";" ? '";"' : "the end of the line";
  if (t.kind === "string") return `the string ${JSON.stringify(t.text)}`;
  return `"${t.text}"`;
}
