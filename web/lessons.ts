// The lessons: small runnable scenarios about the places Go maps surprise people. Each is a
// list of playground statements with a note for each; loading one puts its statements in
// the history and the student steps through them, watching the real map. A step marked
// `fails` is one Go refuses (a compile error or a panic): the refusal is the lesson.

export interface Lesson {
  id: string;
  title: string;
  intro: string;
  steps: { src: string; note: string; fails?: boolean }[];
}

/** A map growing from B=0 to B=3, one insert a step. */
function growSteps(): Lesson["steps"] {
  const steps: Lesson["steps"] = [{ src: "m := make(map[int]int)", note: "A new map with no hint: B=0 and no bucket array yet; the first write allocates one bucket." }];
  const notes: Record<number, string> = {
    0: "The first write allocates the single bucket (B=0). Watch the tophash cell: the top byte of the key's hash, used to skip slots without comparing keys.",
    7: "The bucket is full: 8 slots.",
    8: "9 entries in 1 bucket is over the load factor (6.5 a bucket): the map doubles to B=1, and this write evacuates the old bucket into X (same index) and Y (index + 1).",
    13: "14 entries in 2 buckets: 7 a bucket > 6.5, so the map doubles to B=2. A write to a growing map evacuates the old bucket it needs and the oldest one left (growWork): with only 2 old buckets, this one write moves both, and the growth is over at once.",
    14: "No growth in progress, so this write only inserts. The next growth, from 4 old buckets, takes more than one write.",
    26: "27 entries in 4 buckets > 6.5 a bucket: doubling to B=3. This write evacuates two of the 4 old buckets; the old array stays beside the new one until all are evacuated. Evacuated old buckets keep only marks: X, Y (where each entry went) and E (empty).",
    27: "This write evacuates the last two old buckets: nevacuate reaches the old bucket count, the old array is freed and the growth is over.",
    29: "B=3: 8 buckets, 30 entries. The map grows again past 6.5 x 8 = 52 entries.",
  };
  for (let i = 0; i < 30; i++) steps.push({ src: `m[${i}] = ${i * i}`, note: notes[i] ?? "Insert one more key." });
  return steps;
}

export const LESSONS: Lesson[] = [
  {
    id: "grow",
    title: "Watch a map grow",
    intro: "Insert keys one at a time and watch buckets fill, the load factor pass 6.5, and the map double from B=0 to B=3 with its old buckets evacuated one by one.",
    steps: growSteps(),
  },
  {
    id: "structs",
    title: "Struct values are copies",
    intro: "A map hands out copies of its values. Go refuses m[k].f = v; you copy out, change and write back, or (in gomap) use update or ref.",
    steps: [
      { src: "type User struct { Age int; Score float64 }", note: "A struct type." },
      { src: "users := make(map[string]User)", note: "A map of struct values: each value's bytes live inside the bucket." },
      { src: 'users["alice"] = User{Age: 30, Score: 1.5}', note: "The struct is copied into the slot." },
      { src: 'users["alice"].Age = 35', note: "Go refuses this: a map element is not addressable (the map may move it while growing).", fails: true },
      { src: 'u := users["alice"]', note: "Reading gives a copy." },
      { src: "u.Age = 35", note: "Changing the copy..." },
      { src: 'users["alice"]', note: "...does not change the map: still Age 30." },
      { src: 'users["alice"] = u', note: "Writing the copy back is Go's way." },
      { src: 'users.update("alice", func(u *User) { u.Age++ })', note: "gomap's update: read, change and store in one call (the map counts as being written meanwhile)." },
      { src: 'users.ref("alice").Score = 9.5', note: "gomap's ref: a view of the value's bytes in the slot, written in place. It throws StaleRefError once the map moves the entry." },
      { src: 'users["alice"]', note: "Both changes are in the map." },
    ],
  },
  {
    id: "slices",
    title: "Appending to a slice in a map",
    intro: "A map holds a slice's header (pointer, len, cap), not its elements. append returns a new header: unless you store it back, the map still has the old one.",
    steps: [
      { src: "tags := make(map[string][]string)", note: "The values are slice headers: {array, len, cap}, 24 bytes." },
      { src: 'append(tags["go"], "maps")', note: "Go refuses an append whose result is dropped.", fails: true },
      { src: 'tags["go"] = append(tags["go"], "maps")', note: "Append to the nil slice and store the new header: len 1, cap 1." },
      { src: 's := tags["go"]', note: "s is a copy of the header." },
      { src: 's = append(s, "buckets")', note: "cap was 1, so append made a new backing array; s has len 2, the map's header still len 1." },
      { src: 'tags["go"]', note: "The map still says [maps]." },
      { src: 'tags["go"] = s', note: "Store the new header back (the value cell shows it)." },
      { src: 'tags["go"]', note: "Now [maps buckets]." },
    ],
  },
  {
    id: "nil",
    title: "Nil maps",
    intro: "A map declared with var and never made is nil: it reads as empty, but a write panics.",
    steps: [
      { src: "var m map[string]int", note: "m is nil: no hmap at all." },
      { src: "len(m)", note: "len of a nil map is 0." },
      { src: 'v, ok := m["a"]', note: "Reading is fine: the zero value and false." },
      { src: 'delete(m, "a")', note: "delete on a nil map does nothing." },
      { src: 'm["a"] = 1', note: "Writing panics: there is nowhere to put the entry.", fails: true },
      { src: "m = make(map[string]int)", note: "make allocates the hmap." },
      { src: 'm["a"] = 1', note: "Now writes work." },
    ],
  },
  {
    id: "order",
    title: "Random iteration order",
    intro: "Go starts every range at a random bucket and a random slot, so no program can depend on the order.",
    steps: [
      { src: "m := make(map[string]int)", note: "An empty map." },
      { src: 'm["a"] = 1', note: "Five keys..." },
      { src: 'm["b"] = 2', note: "..." },
      { src: 'm["c"] = 3', note: "..." },
      { src: 'm["d"] = 4', note: "..." },
      { src: 'm["e"] = 5', note: "...all in the one bucket of a B=0 map." },
      { src: "for k, v := range m", note: "One order: the loop starts at a random bucket (there is one) and a random slot, and wraps around the bucket." },
      { src: "for k, v := range m", note: "The same order again, by chance: the start slot was drawn again, but the keys fill slots 0 to 4, so a start at slot 0, 5, 6 or 7 reaches a first. Half the starts give this order." },
      { src: "for k, v := range m", note: "A start at slot 1: b comes first and a last. (Stepping back replays the same orders: the playground seeds the random source.)" },
    ],
  },
  {
    id: "modify",
    title: "Changing a map during range",
    intro: "Go allows writes inside a range over the same map: a deleted entry not yet reached is not seen; an added entry may or may not be.",
    steps: [
      { src: "m := make(map[int]int)", note: "A map..." },
      { src: "m[1] = 10", note: "..." },
      { src: "m[2] = 20", note: "..." },
      { src: "m[3] = 30", note: "..." },
      { src: "m[4] = 40", note: "...with four entries." },
      { src: "for k, v := range m { println(k, v); delete(m, k+1) }", note: "Each visited key deletes its successor; a deleted entry is never visited afterwards, so what prints depends on the random start." },
      { src: "len(m)", note: "What is left." },
      { src: "for k, v := range m { m[-k] = v }", note: "Adding during range: each new entry -k may or may not be visited by this loop (visiting it only rewrites k)." },
      { src: "for k, v := range m", note: "The result." },
    ],
  },
];
