// Word counts, map[string]uint32: each word of a text is counted with update(w, c => c + 1),
// one hash per word, and the top words are printed at the end. A Go map's iteration order is
// random, so the entries are sorted (count down, then word) before printing, as a Go program
// would sort them.
//
//   node build/examples/word-count.js [words] [top]     (default: 100000 words, top 10)
import { GoMap, types as t } from "gomap";

const n = Number(process.argv[2] ?? 100_000);
const top = Number(process.argv[3] ?? 10);

// The Gettysburg Address (public domain), read over and over until n words have been counted.
const text = `Four score and seven years ago our fathers brought forth on this continent, a new
nation, conceived in Liberty, and dedicated to the proposition that all men are created equal.
Now we are engaged in a great civil war, testing whether that nation, or any nation so
conceived and so dedicated, can long endure. We are met on a great battle-field of that war.
We have come to dedicate a portion of that field, as a final resting place for those who here
gave their lives that that nation might live. It is altogether fitting and proper that we
should do this. But, in a larger sense, we can not dedicate -- we can not consecrate -- we can
not hallow -- this ground. The brave men, living and dead, who struggled here, have consecrated
it, far above our poor power to add or detract. The world will little note, nor long remember
what we say here, but it can never forget what they did here. It is for us the living, rather,
to be dedicated here to the unfinished work which they who fought here have thus far so nobly
advanced. It is rather for us to be here dedicated to the great task remaining before us --
that from these honored dead we take increased devotion to that cause for which they gave the
last full measure of devotion -- that we here highly resolve that these dead shall not have
died in vain -- that this nation, under God, shall have a new birth of freedom -- and that
government of the people, by the people, for the people, shall not perish from the earth.`;
const words = text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];

const counts = GoMap.make(t.string, t.u32); // map[string]uint32
for (let i = 0; i < n; i++) counts.update(words[i % words.length], (c) => c + 1);

// Go's range order is random: take the entries out and sort them.
const sorted = [...counts].sort(([wa, ca], [wb, cb]) => cb - ca || (wa < wb ? -1 : wa > wb ? 1 : 0));
console.log(`${n} words, ${counts.size} distinct; top ${top}:`);
for (const [word, count] of sorted.slice(0, top)) console.log(`${String(count).padStart(8)}  ${word}`);
const stats = counts.inspect();
console.log(`map: B=${stats.B}, ${stats.bytes.total} bytes (strings over 12 bytes: ${stats.bytes.strings})`);
