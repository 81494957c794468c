// Graph adjacency over sparse u32 node ids, then a breadth-first search.
// - nodes: map[uint32]struct{ head, degree uint32 }, where head is 1 + the index of the node's
//   last edge in the typed arrays below (0, the zero value, is "no edge yet"), so a node
//   first seen by update starts as Go's zero value and needs no special case;
// - edges: singly linked lists in two Uint32Arrays (to[e], next[e]), as a Go program would
//   keep them in slices;
// - seen: map[struct{ from, to uint32 }]struct{}, a set with a struct key, that drops an edge
//   added twice.
// The graph is a w x w grid (the size argument is the node count), each cell's id a
// scrambled number, so BFS distances are known: cell (r, c) is r + c steps from (0, 0).
//
//   node build/examples/graph.js [nodes]     (default 250000)
import { GoMap, types as t } from "gomap";

const n = Number(process.argv[2] ?? 250_000);
const w = Math.max(1, Math.floor(Math.sqrt(n)));
const id = (r: number, c: number): number => Math.imul(r * w + c, 0x9e3779b1) >>> 0; // a bijection

const Node = t.struct({ head: t.u32, degree: t.u32 });
const nodes = GoMap.make(t.u32, Node, { hint: w * w });
const Edge = t.struct({ from: t.u32, to: t.u32 });
const seen = GoMap.make(Edge, t.struct({}), { hint: 4 * w * w });

let to = new Uint32Array(1024);
let next = new Uint32Array(1024);
let edgeCount = 0;

function addArc(from: number, dest: number): void {
  const before = seen.size;
  seen.set({ from, to: dest }, {});
  if (seen.size === before) return; // already there
  if (edgeCount === to.length) {
    const grow = (a: Uint32Array) => { const b = new Uint32Array(a.length * 2); b.set(a); return b; };
    to = grow(to);
    next = grow(next);
  }
  const e = edgeCount++;
  to[e] = dest;
  nodes.update(from, (node) => {
    next[e] = node.head; // 0 ends the list
    node.head = e + 1;
    node.degree++;
  });
}

// Each cell links to its four neighbours; every edge is so offered twice (once from each
// end, as an undirected edge), and the set keeps one arc each way.
for (let r = 0; r < w; r++) {
  for (let c = 0; c < w; c++) {
    nodes.update(id(r, c), () => {}); // a node with no edges still exists (w = 1)
    for (const [dr, dc] of [[0, 1], [1, 0], [0, -1], [-1, 0]]) {
      const r2 = r + dr, c2 = c + dc;
      if (r2 < 0 || c2 < 0 || r2 >= w || c2 >= w) continue;
      addArc(id(r, c), id(r2, c2));
      addArc(id(r2, c2), id(r, c));
    }
  }
}
console.log(`grid ${w}x${w}: ${nodes.size} nodes, ${edgeCount} arcs (${seen.size} in the edge set)`);

// BFS from (0, 0): dist is map[uint32]uint32, and doubles as the visited set.
const start = id(0, 0);
const dist = GoMap.make(t.u32, t.u32, { hint: nodes.size });
dist.set(start, 0);
let queue = [start];
let depth = 0;
const perDepth: number[] = [1];
while (queue.length > 0) {
  const following: number[] = [];
  for (const u of queue) {
    for (let e = nodes.get(u)!.head; e !== 0; e = next[e - 1]) {
      const v = to[e - 1];
      if (dist.has(v)) continue;
      dist.set(v, depth + 1);
      following.push(v);
    }
  }
  if (following.length > 0) perDepth.push(following.length);
  queue = following;
  depth++;
}

let right = 0;
for (let r = 0; r < w; r++) for (let c = 0; c < w; c++) if (dist.get(id(r, c)) === r + c) right++;
console.log(`BFS from (0,0): reached ${dist.size} nodes, farthest at distance ${perDepth.length - 1}`);
console.log(`nodes at each distance: ${perDepth.slice(0, 12).join(" ")}${perDepth.length > 12 ? " ..." : ""}`);
console.log(`distance of (r,c) is r+c for ${right} of ${w * w} nodes`);
