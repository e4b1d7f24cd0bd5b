// Wrong-but-plausible answers to every exercise (tests/fixtures/exercises/NN-wrong/<name>/), the
// kind a hurried learner or a code assistant writes, and the checks each must fail. A check's
// title is the behaviour it verifies (the manifest lists them under `behaviours`); `says` is what
// its message must say about the fault. tests/exercise-NN-wrong.test.ts runs them;
// tests/exercise-behaviours.test.ts proves that every behaviour is failed by at least one.
// Not a test file itself.

/** A check the variant must fail, by words of its title, and what its message must say. */
export interface Failure {
  check: string;
  says: RegExp;
}

export interface WrongVariant {
  /** The fixture's folder under tests/fixtures/exercises/NN-wrong/. */
  name: string;
  fails: Failure[];
  /** Files outside the check's folders that the variant writes: removed after its run. */
  leaves?: string[];
  /** Every check not named in `fails` must pass: the variant has exactly one fault. */
  only?: true;
}

const fails = (check: string, says: RegExp): Failure => ({ check, says });

const NOT_IN_STORE = /the store holds undefined[\s\S]*kept somewhere else/;
const A_COPY = /answered from a copy it kept/;

const RETRY_409 = fails('the retry on app-1 gets that order, not 409', /got:\s+409/);
const RETRY_TWICE = fails('the retry on app-1 gets that order, not 409', /2 orders/);
const A_DAY_LATER = fails('a day later places no second order', /2 orders/);
const BLOCKED = fails('before its order is written', /got:\s+409/);
const TWO_COPIES = fails('two copies of one checkout', /both copies found the key free/);
const OTHER_SERVER = fails('to the other server', /whichever server gets it/);
const SECOND_COPY_500 = fails('two copies of one checkout', /500[\s\S]*look it up inside/);
const REUSED_KEY = fails('another body is refused with 422', /another fingerprint/);

export const WRONG_VARIANTS: Record<string, WrongVariant[]> = {
  '01': [
    {
      name: 'number-parse',
      fails: [fails('not whole numbers', /for the id "1e3"[\s\S]*got:\s+404/)],
    },
    {
      name: 'parse-int',
      fails: [fails('not whole numbers', /for the id "1\.5"[\s\S]*got:\s+200/)],
    },
    { name: 'unanchored-regex', fails: [fails('not whole numbers', /for the id "1\.5"/)] },
    { name: 'trimmed-id', fails: [fails('not whole numbers', /for the id " 5"[\s\S]*got:\s+200/)] },
    {
      name: 'swapped-statuses',
      fails: [
        fails('404 for a well-formed id', /got:\s+400/),
        fails('not whole numbers', /for the id "abc"[\s\S]*got:\s+404/),
      ],
    },
    {
      name: 'text-errors',
      fails: [
        fails('404 for a well-formed id', /404 \{ error[\s\S]*got:\s+404 "not found"/),
        fails('not whole numbers', /got:\s+400 "not an id"/),
      ],
    },
    {
      name: 'remembers-products',
      fails: [
        fails('reads the database on every request', /as the database has it now[\s\S]*remembered/),
      ],
    },
    {
      name: 'remembers-misses',
      fails: [
        fails('reads the database on every request', /added after the first 404[\s\S]*remembered/),
      ],
    },
    {
      name: 'wrapped-product',
      fails: [fails('200 with the product row', /got:\s+200 \{"product":/)],
    },
    {
      name: 'loaded-at-start',
      fails: [
        fails(
          'reads the database on every request',
          /written after the server started[\s\S]*remembered/,
        ),
      ],
    },
    {
      name: 'warm-snapshot',
      fails: [
        fails(
          'reads the database on every request',
          /price changed after the server had served it[\s\S]*remembered/,
        ),
        fails('answers 200', /read every row of the products table/),
      ],
      only: true,
    },
    {
      name: 'double-decode',
      fails: [fails('not whole numbers', /for the id "%"[\s\S]*got:\s+500[\s\S]*URIError/)],
      only: true,
    },
    {
      name: 'bigint-no-cap',
      fails: [
        fails(
          '404 for a well-formed id',
          /for the id "9223372036854775808"[\s\S]*got:\s+500[\s\S]*RangeError[\s\S]*cannot name a row/,
        ),
      ],
      only: true,
    },
    {
      name: 'bigint-wraps',
      fails: [
        fails(
          '404 for a well-formed id',
          /for the id "18446744073709551617"[\s\S]*got:\s+200 [\s\S]*wraps onto another id/,
        ),
      ],
      only: true,
    },
    {
      name: 'global-flag',
      fails: [
        fails(
          '404 for a well-formed id',
          /got:\s+400 [\s\S]*then 404 [\s\S]*asked again at once[\s\S]*g \(or y\) flag/,
        ),
      ],
    },
    {
      name: 'no-digit-limit',
      fails: [
        fails(
          '404 for a well-formed id',
          /for the id "9007199254740993"[\s\S]*got:\s+200 \{"id":9007199254740992/,
        ),
      ],
      only: true,
    },
    {
      name: 'nfkc',
      fails: [fails('not whole numbers', /for the id "５"[\s\S]*got:\s+200 \{"id":5,/)],
      only: true,
    },
    // Found by a review; these passed every check when they were added.
    {
      name: 'unicode-digits',
      fails: [fails('not whole numbers', /for the id "1５"[\s\S]*got:\s+404/)],
      only: true,
    },
    {
      name: 'scans-the-table',
      fails: [
        fails(
          'answers 200',
          /catalog\.get\(Number\(id\)\)[\s\S]*read every row of the products table to give it \(once\)[\s\S]*look at:\s+\S*01-request-path\.ts:10\b/,
        ),
        fails('answers 404', /for the id "\d+", from asking the database[\s\S]*read every row/),
      ],
      only: true,
    },
    {
      name: 'empty-id',
      fails: [fails('not whole numbers', /for the id ""[\s\S]*got:\s+404/)],
      only: true,
    },
    {
      name: 'multiline-flag',
      fails: [fails('not whole numbers', /for the id "5\\n"[\s\S]*got:\s+200 \{"id":5,/)],
      only: true,
    },
    {
      name: 'isinteger-noleadingzero',
      fails: [fails('not whole numbers', /for the id "5\\t"[\s\S]*got:\s+200 \{"id":5,/)],
      only: true,
    },
    {
      name: 'int32-cap',
      fails: [
        fails('404 for a well-formed id', /for the id "3000000000"[\s\S]*got:\s+400[\s\S]*2\^31/),
      ],
      only: true,
    },
    {
      name: 'index-lookup',
      fails: [
        fails(
          '404 for a well-formed id',
          /200 \{"id":2147483648,[\s\S]*got:\s+404[\s\S]*not row number 2147483648/,
        ),
        fails(
          'reads the database on every request',
          /added after the first 404[\s\S]*by its position, not by its id/,
        ),
        fails('answers 200', /read every row of the products table/),
      ],
      only: true,
    },
    {
      name: 'int32-404-no-lookup',
      fails: [
        fails(
          '404 for a well-formed id',
          /200 \{"id":2147483648,[\s\S]*got:\s+404[\s\S]*must be looked up in the database[\s\S]*any id SQLite can store/,
        ),
      ],
      only: true,
    },
    {
      name: 'long-is-404',
      fails: [
        fails(
          'not whole numbers',
          /for the id "abcdefghijklmnopq", 17 characters[\s\S]*got:\s+404 [\s\S]*its length was judged before its form/,
        ),
      ],
      only: true,
    },
  ],
  '02': [
    {
      name: 'last-healthy',
      fails: [
        fails('in whatever order', /a healthy backend with 0 in flight[\s\S]*got:\s+c \(up, 5/),
        fails(
          'whichever comes first',
          /app-1 \(down\), app-3 \(fast\), app-2 \(slow\)[\s\S]*app-2 got 40/,
        ),
      ],
    },
    {
      name: 'first-healthy',
      fails: [
        fails('in whatever order', /a healthy backend with 0 in flight/),
        fails('whichever comes first', /app-2 \(slow\), app-3 \(fast\)[\s\S]*app-2 got 40/),
      ],
    },
    {
      name: 'round-robin',
      fails: [
        fails('in whatever order', /fewest in flight|with 0 in flight/),
        // In turn, app-2 gets about half of the 40: the posts that say a client is done take
        // turns too, so the count moves with how they interleave (18 in one CI run, 20 in most).
        // The check allows at most 15.
        fails('whichever comes first', /app-2 got (1[6-9]|2\d|3\d|40), app-3 got/),
      ],
    },
    {
      name: 'ignores-health',
      fails: [
        fails('never routes a request to app-1', /app-1 is down/),
        fails('in whatever order', /got:\s+a \(down, 0 in flight\)[\s\S]*however idle it looks/),
      ],
    },
    { name: 'most-in-flight', fails: [fails('in whatever order', /got:\s+c \(up, 5 in flight\)/)] },
    {
      name: 'sorts-the-pool',
      fails: [
        fails(
          'in whatever order',
          /pick\(\) reordered the pool, from [\s\S]*sort\(\) and reverse\(\)/,
        ),
      ],
    },
    {
      name: 'lone-backend',
      fails: [
        fails(
          'in whatever order',
          /no backend is healthy in the pool a \(down, 0 in flight\)\s+got:\s+200 \{"name":"a"\}/,
        ),
      ],
      only: true,
    },
    {
      name: 'any-when-none-healthy',
      fails: [
        fails('in whatever order', /to return undefined: no backend is healthy[\s\S]*"name":"a"/),
        fails('503 when no backend is healthy', /got:\s+503 \{"error":"backend app-1 failed/),
      ],
    },
    {
      name: 'throws-when-none-healthy',
      fails: [fails('503 when no backend is healthy', /got:\s+500/)],
    },
    {
      name: 'string-sort',
      fails: [fails('in whatever order', /with 9 in flight[\s\S]*got:\s+a \(up, 10 in flight\)/)],
    },
    {
      name: 'no-guard-nan',
      fails: [fails('in whatever order', /got:\s+null[\s\S]*pool with no healthy backend/)],
      only: true,
    },
    {
      name: 'remembers-dead',
      fails: [
        fails(
          'in whatever order',
          /got:\s+d \(up, 1 in flight\)[\s\S]*a was down in an earlier call/,
        ),
      ],
      only: true,
    },
    {
      name: 'shed',
      fails: [
        fails(
          'in whatever order',
          /b \(up, 100 in flight\), d \(up, 250 in flight\)[\s\S]*got:\s+null[\s\S]*however busy/,
        ),
      ],
      only: true,
    },
    {
      name: 'returns-copy',
      fails: [
        fails('never routes a request to app-1', /got:\s+503[\s\S]*a copy, not one of the backend/),
        fails('in whatever order', /got:\s+a copy of b[\s\S]*the object itself, not its name/),
        fails('whichever comes first', /got:\s+503[\s\S]*a copy, not one of the backend/),
      ],
      only: true,
    },
    {
      name: 'counts-in-flight',
      fails: [fails('in whatever order', /changed inFlight of b \(from 0 to 1\)[\s\S]*only read/)],
    },
    {
      name: 'min-of-array',
      fails: [
        fails(
          'never routes a request to app-1',
          /both are healthy[\s\S]*got:\s+503 \{"error":"no healthy backend"\}[\s\S]*Math\.min of an array is NaN/,
        ),
        fails('in whatever order', /got:\s+null[\s\S]*Math\.min of an array is NaN/),
      ],
    },
    {
      name: 'ejects-busy',
      fails: [
        fails(
          'in whatever order',
          /got:\s+pick\(\) changed healthy of d \(from up to down\)[\s\S]*must only read healthy/,
        ),
      ],
      only: true,
    },
    {
      name: 'async-pick',
      fails: [
        fails('never routes a request to app-1', /got:\s+503[\s\S]*pick\(\) must be synchronous/),
        fails('in whatever order', /got:\s+a Promise[\s\S]*pick\(\) must be synchronous/),
        fails('whichever comes first', /got:\s+503[\s\S]*pick\(\) must be synchronous/),
      ],
      only: true,
    },
    {
      name: 'healthy-cached',
      fails: [
        fails(
          'in whatever order',
          /got:\s+b from the pool pick\(\) was given in an earlier call[\s\S]*kept from an earlier call/,
        ),
      ],
      only: true,
    },
    {
      name: 'down-with-inflight',
      fails: [
        fails(
          'in whatever order',
          /got:\s+e \(down, 1 in flight\)[\s\S]*Requests in flight do not make a backend alive/,
        ),
      ],
      only: true,
    },
  ],
  '03': [
    {
      name: 'address-before-cookie',
      fails: [
        fails(
          'nobody is logged out',
          /behind the same address \(client key\) as a new user just given app-\d[\s\S]*whatever pick\(\) gave another user from the same address/,
        ),
      ],
    },
    {
      name: 'pins-in-memory',
      fails: [
        fails('when the lb restarts', /were moved to another backend[\s\S]*read request\.affinity/),
      ],
    },
    {
      name: 'hash-of-client',
      fails: [fails('exactly its users', /users of the live backends were logged out/)],
    },
    {
      name: 'pinned-even-if-dead',
      fails: [
        fails(
          'moves the dead backend',
          /requests failed \(503[\s\S]*needs another, healthy backend/,
        ),
      ],
    },
    {
      name: 'all-to-first',
      fails: [fails('spreads new users', /users pinned: \{"app-1":90,"app-2":0,"app-3":0\}/)],
    },
    {
      name: 'least-inflight-tied-turns',
      only: true,
      fails: [
        fails(
          'spreads new users',
          // The lb's own run may catch it first, if the machine's timing starves a backend there;
          // if not, the arrivals with an answer in flight always do.
          /users pinned: \{[^}]*\}[\s\S]*got too few/,
        ),
      ],
    },
    {
      name: 'pins-off',
      fails: [fails('spreads new users', /nobody is pinned[\s\S]*pins: true/)],
    },
    {
      name: 'ignores-affinity',
      fails: [
        fails(
          'while nothing is broken',
          /logged out while nothing was broken[\s\S]*request\.affinity/,
        ),
      ],
    },
    {
      name: 'reshuffle-on-failure',
      fails: [fails('exactly its users', /users of the live backends were logged out/)],
    },
    {
      name: 'none-for-orphans',
      fails: [
        fails('moves the dead backend', /requests failed \(503/),
        fails('exactly its users', /did not log in again exactly once/),
      ],
    },
    {
      name: 'no-guard-nan',
      only: true,
      fails: [
        fails(
          'spreads new users',
          /all down and then all back up[\s\S]*got 503 \{"error":"no healthy backend"\}[\s\S]*was spoiled/,
        ),
      ],
    },
    {
      name: 'dead-rather-than-503',
      only: true,
      fails: [
        fails(
          'moves the dead backend',
          /are all down[\s\S]*got 503 \{"error":"backend app-\d failed[\s\S]*a backend that is down/,
        ),
      ],
    },
    {
      name: 'unknown-pin-refused',
      only: true,
      fails: [
        fails(
          'moves the dead backend',
          /names app-4, a backend no longer in the pool[\s\S]*got 503[\s\S]*not among the backends/,
        ),
      ],
    },
    {
      name: 'successor-only',
      only: true,
      fails: [
        fails(
          'moves the dead backend',
          /down and (app-\d) up[\s\S]*got 503 \{"error":"no healthy backend"\}[\s\S]*although \1 is healthy/,
        ),
      ],
    },
    {
      name: 'spill',
      only: true,
      fails: [
        fails(
          'while nothing is broken',
          /names app-1, with the pool app-1 \(up, 1000000 in flight\)[\s\S]*however busy it is/,
        ),
      ],
    },
    {
      name: 'failback',
      only: true,
      fails: [
        // Its memory is by client key, which users behind one address share.
        fails('nobody is logged out', /behind the same address \(client key\) as a new user/),
        fails(
          'exactly its users',
          /once (app-\d) was up again[\s\S]*when they were sent back to \1[\s\S]*not on one remembered/,
        ),
      ],
    },
    {
      name: 'pin-by-position',
      only: true,
      fails: [
        fails(
          'while nothing is broken',
          /names app-1, with the pool app-3[\s\S]*got:\s+app-3[\s\S]*look it up by name/,
        ),
      ],
    },
    {
      name: 'first-two',
      only: true,
      fails: [
        fails('spreads new users', /"app-3":0\}[\s\S]*so each gets its share: app-3 got too few/),
      ],
    },
    {
      name: 'spill-1024',
      only: true,
      fails: [
        fails(
          'while nothing is broken',
          /names app-1, with the pool app-1 \(up, 1000000 in flight\)[\s\S]*however busy it is/,
        ),
      ],
    },
    {
      name: 'inflight-alive',
      fails: [
        fails(
          'moves the dead backend',
          /names app-1, with the pool app-1 \(down, 5 in flight\)[\s\S]*got:\s+app-1 \(down[\s\S]*not healthy goes to a healthy one/,
        ),
      ],
    },
    {
      name: 'case-insensitive-prefix',
      only: true,
      fails: [
        fails(
          'while nothing is broken',
          /names app-10, with the pool[\s\S]*got:\s+app-1 \(up[\s\S]*not its beginning \(startsWith\)/,
        ),
      ],
    },
    {
      name: 'mod-all',
      only: true,
      fails: [
        fails(
          'moves the dead backend',
          /requests failed \(503[\s\S]*pick\(\) returned none although app-\d and app-\d were healthy/,
        ),
      ],
    },
    {
      name: 'shuns-revived',
      only: true,
      fails: [
        fails(
          'spreads new users',
          /app-2 is back up[\s\S]*"app-2":0[\s\S]*app-2 got too few: it was down[\s\S]*not from what a backend was before/,
        ),
      ],
    },
  ],
  '04': [
    {
      only: true,
      name: 'get-then-set',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /the line added on app-[12] is gone[\s\S]*store\.update/,
        ),
      ],
    },
    {
      only: true,
      name: 'update-then-set',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /the line added on app-[12] is gone[\s\S]*store\.update/,
        ),
      ],
    },
    {
      only: true,
      name: 'update-as-read',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /the line added on app-[12] is gone[\s\S]*store\.update/,
        ),
      ],
    },
    {
      only: true,
      name: 'if-present-retry',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /to a cart holding[\s\S]*the line added on app-[12] is gone/,
        ),
      ],
    },
    {
      only: true,
      name: 'cas-same-line',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /\{"productId":1,"qty":4\} on app-2[\s\S]*the line added on app-[12] is gone/,
        ),
      ],
    },
    {
      only: true,
      name: 'update-from-a-read',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /the line added on app-[12] is gone[\s\S]*store\.update/,
        ),
      ],
    },
    {
      only: true,
      name: 'namespaced-key',
      fails: [
        fails('written to the shared store', /under "cart:user-[0-9a-f]+"[\s\S]*a key of your own/),
        fails(
          'every read comes from the store',
          /under "cart:user-[0-9a-f]+"[\s\S]*a key of your own/,
        ),
        fails(
          'two tabs adding to one cart at once',
          /under "cart:user-[0-9a-f]+"[\s\S]*a key of your own/,
        ),
        fails(
          'crash in the middle of an add',
          /under "cart:user-[0-9a-f]+"[\s\S]*a key of your own/,
        ),
      ],
    },
    {
      // docs/04-stateless-servers.mdx's worked answer says these two checks, and only these, fail.
      only: true,
      name: 'module-variable',
      fails: [
        fails('every read comes from the store', A_COPY),
        fails('adds on three servers', /missing lines that other servers added/),
      ],
    },
    {
      name: 'closure',
      fails: [
        fails('written to the shared store', NOT_IN_STORE),
        fails('visible on app-2', /not visible on another server/),
        fails('survives a crash of the server', /did not survive the crash/),
        fails('crash of every server at once', /did not survive the crash/),
      ],
    },
    {
      // The only check it fails: the crash comes in the middle of an add, with the lock taken.
      only: true,
      name: 'lock-no-expiry',
      fails: [
        fails(
          'crash in the middle of an add',
          /none went through[\s\S]*"lock-user-[0-9a-f]{8}" \(with no expiry\)[\s\S]*for ever, with no expiry[\s\S]*store\.update/,
        ),
      ],
    },
    {
      // The same lock after a first write to the cart (an empty cart created): the crash comes at
      // the write of the line, with the lock taken, not at the first write to the cart.
      only: true,
      name: 'lock-after-create',
      fails: [
        fails(
          'crash in the middle of an add',
          /none went through[\s\S]*"lock-user-[0-9a-f]{8}" \(with no expiry\)[\s\S]*stayed locked/,
        ),
      ],
    },
    {
      // The same lock after a setIfAbsent of a new cart that writes nothing (the cart exists): the
      // crash comes at the write that puts the line in, not at that attempt.
      only: true,
      name: 'lock-fast-path',
      fails: [
        fails(
          'crash in the middle of an add',
          /none went through[\s\S]*"lock-user-[0-9a-f]{8}" \(with no expiry\)[\s\S]*stayed locked/,
        ),
      ],
    },
    {
      name: 'global-this',
      fails: [
        fails('written to the shared store', NOT_IN_STORE),
        fails('survives a crash of the server', /did not survive the crash/),
      ],
    },
    {
      name: 'temp-file',
      fails: [
        fails('written to the shared store', NOT_IN_STORE),
        fails('visible on app-2', /not visible on another server[\s\S]*its own disk/),
      ],
    },
    {
      name: 'fixed-path-file',
      leaves: ['/tmp/statelab-exercise-04-carts.json'],
      fails: [fails('written to the shared store', NOT_IN_STORE), fails('every read', A_COPY)],
    },
    {
      name: 'set-not-awaited',
      fails: [
        fails('written to the shared store', /write\(s\) to the store not yet done[\s\S]*Await/),
      ],
    },
    {
      name: 'get-not-awaited',
      fails: [fails('written to the shared store', /500[\s\S]*threw/)],
    },
    {
      name: 'add-returns-line',
      fails: [
        fails('answers the whole cart', /to answer the whole cart[\s\S]*got:\s+\[\{"productId":4/),
      ],
    },
    {
      name: 'overwrites-cart',
      fails: [
        fails('answers the whole cart', /to answer the whole cart/),
        fails('adds on three servers', /missing lines/),
      ],
    },
    {
      name: 'no-empty-cart',
      fails: [fails('every read comes from the store', /got:\s+undefined[\s\S]*\?\? \[\]/)],
    },
    {
      name: 'add-cache',
      only: true,
      fails: [
        fails('every read comes from the store', A_COPY),
        fails('adds on three servers', /missing lines that other servers added/),
      ],
    },
    {
      name: 'memory-fallback',
      only: true,
      fails: [
        fails(
          'every read comes from the store',
          /deleted from the store[\s\S]*answered from a copy it kept/,
        ),
      ],
    },
    {
      name: 'fire-and-forget-catch',
      fails: [
        fails('written to the shared store', /write\(s\) to the store not yet done[\s\S]*Await/),
      ],
    },
    {
      name: 'impure-change',
      fails: [
        fails(
          'written to the shared store',
          /the store ran it twice[\s\S]*gave \[\{"productId":2,"qty":1\}\] the first time, and \[\] the second[\s\S]*side effect/,
        ),
      ],
    },
    {
      only: true,
      name: 'swallows-store-error',
      fails: [
        fails(
          'written to the shared store',
          /whose writes to the store failed[\s\S]*got:\s+it answered 200[\s\S]*never answer an add that is not in the store/,
        ),
      ],
    },
    {
      only: true,
      name: 'ttl-in-seconds',
      fails: [fails('written to the shared store', /forget it in 8\d s[\s\S]*in milliseconds/)],
    },
    {
      only: true,
      name: 'touch-on-read',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /while app-1 read the store[\s\S]*the line added on app-2 is gone[\s\S]*list wrote the cart back/,
        ),
      ],
    },
    {
      only: true,
      name: 'empty-cart-on-first-visit',
      fails: [
        fails(
          'two tabs adding to one cart at once',
          /a tab showing an empty cart: the user has none yet[\s\S]*the line added on app-2 is gone[\s\S]*an empty cart for a first visit/,
        ),
      ],
    },
    {
      only: true,
      name: 'hashed-key',
      fails: [
        fails(
          'written to the shared store',
          /holds that very cart[\s\S]*under the key "[0-9a-f]{64}"[\s\S]*must be the user's name/,
        ),
        fails(
          'every read comes from the store',
          /holds that very cart[\s\S]*under the key "[0-9a-f]{64}"[\s\S]*must be the user's name/,
        ),
        fails(
          'two tabs adding to one cart at once',
          /holds that very cart[\s\S]*under the key "[0-9a-f]{64}"[\s\S]*must be the user's name/,
        ),
        fails(
          'crash in the middle of an add',
          /holds that very cart[\s\S]*under the key "[0-9a-f]{64}"[\s\S]*must be the user's name/,
        ),
      ],
    },
    {
      only: true,
      name: 'list-swallows-store-error',
      fails: [
        fails(
          'every read comes from the store',
          /whose reads from the store failed[\s\S]*got:\s+it answered 200 \{"items":\[\]\}[\s\S]*not an empty one/,
        ),
      ],
    },
    {
      only: true,
      name: 'lowercase-key',
      fails: [
        fails(
          'written to the shared store',
          /under the key "Ada-[0-9a-f]{8}", the user's name exactly as given[\s\S]*under "ada-[0-9a-f]{8}"[\s\S]*must be the user's name as it is given/,
        ),
      ],
    },
  ],
  '05': [
    {
      name: 'unsigned-accepted',
      fails: [
        fails('empty, cut short', /admin payload with an empty signature[\s\S]*got:\s+200/),
        fails('not two parts', /no "\." and no signature[\s\S]*got:\s+200/),
      ],
    },
    {
      name: 'prefix-compare',
      fails: [fails('empty, cut short', /empty signature[\s\S]*got:\s+200/)],
    },
    {
      name: 'claims-first',
      fails: [
        fails(
          'before it believes any claim',
          /expired a minute ago[\s\S]*"reason":"expired"[\s\S]*before the signature checks out/,
        ),
      ],
    },
    {
      name: 'string-compare',
      fails: [
        fails('constant time', /without calling timingSafeEqual[\s\S]*watches which function/),
      ],
    },
    {
      name: 'buffer-equals',
      fails: [fails('constant time', /without calling timingSafeEqual/)],
    },
    {
      name: 'lengths-unchecked',
      fails: [
        fails('empty, cut short', /500: verifySession threw[\s\S]*Compare the lengths first/),
      ],
    },
    {
      name: 'expires-after-exp',
      fails: [fails('judges expiry', /now = exp: the session ends at exp[\s\S]*got:\s+200/)],
    },
    {
      name: 'wall-clock-expiry',
      fails: [fails('judges expiry', /got:\s+200[\s\S]*not with Date\.now\(\)/)],
    },
    {
      name: 'third-part-ignored',
      fails: [fails('not two parts', /a third part[\s\S]*got:\s+200/)],
    },
    {
      name: 'no-deny-list',
      fails: [fails('logged-out session', /401 \("revoked"\)[\s\S]*got:\s+200/)],
    },
    {
      name: 'unverified',
      fails: [
        fails('payload changed after signing', /user "admin"[\s\S]*got:\s+200 \{"user":"admin"\}/),
        fails('another key', /got:\s+200 \{"user":"ada"\}[\s\S]*exactly the HMAC/),
      ],
    },
    {
      name: 'length-only',
      fails: [
        fails('payload changed after signing', /got:\s+200 \{"user":"admin"\}/),
        fails('another key', /got:\s+200/),
        fails('one byte off', /last byte changed[\s\S]*got:\s+200/),
      ],
    },
    {
      name: 'deny-list-not-awaited',
      fails: [
        fails('accepts a genuine session', /got:\s+401 \{"ok":false,"reason":"revoked"\}/),
        fails('logged-out session', /200 \{"user":"bob"\}: a fresh, genuine session/),
      ],
    },
    {
      name: 'body-memo',
      fails: [
        fails(
          'empty, cut short',
          /just accepted with its genuine signature[\s\S]*got:\s+200[\s\S]*not checked again/,
        ),
      ],
      only: true,
    },
    {
      name: 'signature-memo',
      fails: [
        fails(
          'payload changed after signing',
          /signature of a token every server has just accepted[\s\S]*got:\s+200[\s\S]*taken as checked because it had been seen/,
        ),
      ],
      only: true,
    },
    {
      name: 'tse-for-show',
      fails: [
        fails('constant time', /timingSafeEqual answered false[\s\S]*did not decide the verdict/),
      ],
      only: true,
    },
    {
      name: 'deny-fail-open',
      fails: [fails('logged-out session', /cannot be reached[\s\S]*got:\s+200 \{"user":"bob"\}/)],
      only: true,
    },
    // Found by a review; these passed every check when they were added.
    {
      name: 'sig-text-length',
      fails: [
        fails(
          'empty, cut short',
          /"\*", is not base64url[\s\S]*500: verifySession threw[\s\S]*decoded signature's, in bytes, not its text's/,
        ),
      ],
      only: true,
    },
    {
      name: 'resign',
      fails: [
        fails(
          'payload changed after signing',
          /unchanged but written again[\s\S]*got:\s+200 \{"user":"ada"\}[\s\S]*never parse first and sign the parsed session again/,
        ),
      ],
      only: true,
    },
    {
      name: 'filter-empty',
      fails: [
        fails(
          'not two parts',
          /"\." doubled[\s\S]*got:\s+200 \{"user":"ada"\}[\s\S]*an empty part is a broken shape[\s\S]*filter\(Boolean\)/,
        ),
      ],
      only: true,
    },
    {
      name: 'leeway',
      fails: [
        fails(
          'judges expiry',
          /now = exp: the session ends at exp[\s\S]*got:\s+200[\s\S]*exp \+ 10000 ms[\s\S]*grace period/,
        ),
      ],
      only: true,
    },
    {
      name: 'deny-timeout-fail-open',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      name: 'deny-timeout-5s',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      // A 3 s limit polled every 100 ms: the clock's jump ends it while the slow store waits, and
      // a store that never answers would show it too.
      name: 'deny-poll-interval-100ms',
      fails: [
        fails(
          'logged-out session',
          /(store is slow|store does not answer)[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*(did not wait for|gave up waiting for) the deny-list/,
        ),
      ],
      only: true,
    },
    {
      // A 10 s limit by the clock: a second into the lookup, the clock has jumped past it.
      name: 'deny-sleep-loop-10s',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      // A slow answer thrown away: by the clock, the lookup took minutes.
      name: 'deny-slow-answer-ignored',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      // A time limit longer than the check's patience: for the limit, that long has passed.
      name: 'deny-timeout-30s',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      // No timer at all: a loop that polls the clock between immediates.
      name: 'deny-poll-immediate',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      // An interval that polls the clock: not a one-shot limit, yet a limit.
      name: 'deny-poll-interval',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      name: 'deny-timeout-unref',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      name: 'deny-abort-timeout',
      fails: [
        fails(
          'logged-out session',
          /store is slow[\s\S]*got:\s+200 \{"user":"bob"\}[\s\S]*did not wait for the deny-list's answer/,
        ),
      ],
      only: true,
    },
    {
      name: 'legacy-hex-fallback',
      fails: [fails('constant time', /written in hex[\s\S]*got:\s+200[\s\S]*a second way in/i)],
      only: true,
    },
    {
      name: 'first-byte-early-out',
      fails: [fails('constant time', /refused the guess without calling timingSafeEqual/)],
      only: true,
    },
    {
      name: 'truncated-mac',
      fails: [
        fails('empty, cut short', /cut short by 6 characters[\s\S]*got:\s+200/),
        fails('constant time', /wrong only in its last byte[\s\S]*not given the whole signature/),
      ],
      only: true,
    },
    {
      name: 'exp-unchecked',
      fails: [
        fails(
          'judges expiry',
          /correctly signed token with no exp at all[\s\S]*got:\s+200[\s\S]*a token without a numeric exp must not be accepted/,
        ),
      ],
      only: true,
    },
    {
      // Checks the type, but throws: nobody gets in, and the message says so (not "accepted").
      name: 'throws-on-exp',
      fails: [
        fails(
          'judges expiry',
          /correctly signed token with no exp at all[\s\S]*got:\s+500[\s\S]*with a verdict: \{ ok: false, reason \}/,
        ),
      ],
      only: true,
    },
    {
      name: 'deny-cache',
      fails: [
        fails(
          'logged-out session',
          /401 \("revoked"\)[\s\S]*got:\s+200[\s\S]*an answer kept in this process[\s\S]*is out of date/,
        ),
      ],
      only: true,
    },
  ],
  '06': [
    {
      name: 'sql-text',
      fails: [
        fails(
          'answers 201 { order }',
          /got:\s+500[\s\S]*SqliteError[\s\S]*a value written into its text\?[\s\S]*Pass values as parameters/,
        ),
      ],
    },
    {
      name: 'sql-escape-first-quote',
      fails: [
        fails(
          'answers 201 { order }',
          /got:\s+500[\s\S]*SqliteError[\s\S]*a value written into its text\?[\s\S]*Pass values as parameters/,
        ),
      ],
    },
    // Each keeps its keys somewhere a crash or a second server can separate from the order.
    { name: 'done-after-commit', fails: [RETRY_409, A_DAY_LATER, BLOCKED, TWO_COPIES] },
    {
      name: 'memory-map',
      fails: [
        OTHER_SERVER,
        fails('before its answer leaves', /whichever server gets it/),
        A_DAY_LATER,
        TWO_COPIES,
      ],
    },
    { name: 'check-then-set', fails: [TWO_COPIES] },
    { name: 'look-up-outside', fails: [SECOND_COPY_500] },
    { name: 'set-if-absent-store', fails: [RETRY_409, BLOCKED] },
    { name: 'no-fingerprint', fails: [REUSED_KEY] },
    { name: 'key-own-transaction', fails: [RETRY_TWICE, A_DAY_LATER] },
    { name: 'claim-inside-order-outside', fails: [RETRY_409, BLOCKED] },
    {
      name: 'store-made-up-order',
      fails: [fails('the retry on app-1 gets that order', /order id 0/)],
    },
    { name: 'key-with-fingerprint', fails: [REUSED_KEY] },
    // Found by a review; these passed every check when they were added.
    { name: 'new-date-expiry', fails: [A_DAY_LATER] },
    { name: 'sql-clock-expiry', fails: [A_DAY_LATER] },
    { name: 'claim-takeover', fails: [TWO_COPIES] },
    { name: 'lookup-own-transaction', fails: [TWO_COPIES] },
    {
      name: 'bare-order',
      fails: [fails('answers 201 { order }', /201 \{ order \}[\s\S]*got:\s+201 \{"id":/)],
    },
    {
      name: 'delete-on-replay',
      fails: [fails('sent again, to the other server', /to app-1 again: the third placed another/)],
      only: true,
    },
    {
      name: 'replay-from-orders-row',
      fails: [
        fails(
          'sent again, to the other server',
          /the very order the first answer had[\s\S]*"lines":"\[/,
        ),
      ],
      only: true,
    },
    { name: 'current-timestamp-expiry', fails: [A_DAY_LATER], only: true },
    {
      name: 'memo-replies',
      fails: [fails('another body is refused with 422', /422 from app-1 too[\s\S]*got:\s+201/)],
      only: true,
    },
    {
      name: 'dedupe-body',
      fails: [fails('answers 201 { order }', /2 orders for user-[\s\S]*got:\s+1 order in/)],
      only: true,
    },
    {
      name: 'deferred-begin',
      fails: [
        fails('two copies of one checkout', /500[\s\S]*database is locked[\s\S]*BEGIN IMMEDIATE/),
      ],
      only: true,
    },
    {
      name: 'fingerprint-lines-only',
      fails: [
        fails(
          'another body is refused with 422',
          /same lines for another user[\s\S]*got:\s+201[\s\S]*answered to user-[\s\S]*the user included/,
        ),
      ],
      only: true,
    },
    { name: 'perf-clock-expiry', fails: [A_DAY_LATER], only: true },
    {
      name: 'replay-200',
      fails: [
        fails(
          'sent again, to the other server',
          /got:\s+200 \{"order"[\s\S]*201 \{ order \}, the first time and on every retry/,
        ),
      ],
    },
    {
      name: 'salted-fingerprint',
      fails: [
        fails(
          'sent again, to the other server',
          /got:\s+422[\s\S]*fingerprint came out different[\s\S]*no random salt/,
        ),
      ],
    },
    // Found by a review; these passed every check when they were added.
    {
      name: 'key-like',
      fails: [
        fails(
          'answers 201 { order }',
          /the key "order-\w+-ABC" was never sent before[\s\S]*got:\s+201 [\s\S]*the order placed for the key "order-\w+-abc" \(id \d+\), answered as a replay[\s\S]*a key is its exact string/,
        ),
      ],
      only: true,
    },
    {
      name: 'key-lowercased',
      fails: [
        fails(
          'answers 201 { order }',
          /the key "order-\w+-ABC" was never sent before[\s\S]*got:\s+201 [\s\S]*the order placed for the key "order-\w+-abc" \(id \d+\), answered as a replay[\s\S]*a key is its exact string/,
        ),
      ],
      only: true,
    },
  ],
  '07': [
    {
      name: 'returns-entry',
      fails: [
        fails(
          'serves a product read through the cache',
          /from the cache the second time[\s\S]*"expires"/,
        ),
      ],
    },
    {
      name: 'ttl-in-seconds',
      fails: [
        fails('stale data for at most the TTL', /still 1002: the cached copy outlived its TTL/),
      ],
    },
    {
      name: 'ttl-divided',
      fails: [
        fails('once per product within the TTL', /got:\s+30 database reads[\s\S]*milliseconds/),
      ],
    },
    {
      name: 'wall-clock',
      fails: [
        fails('stale data for at most the TTL', /outlived its TTL[\s\S]*If you used Date\.now\(\)/),
        fails('once the TTL has passed', /got:\s+0 database reads[\s\S]*moves that clock/),
      ],
    },
    {
      name: 'misses-forever',
      fails: [fails('missing product', /got:\s+404[\s\S]*a remembered miss expires/)],
    },
    {
      name: 'misses-not-cached',
      fails: [fails('missing product', /got:\s+3 database reads[\s\S]*remember it/)],
    },
    {
      name: 'update-cache-only',
      fails: [fails('update() writes the database', /database still says[\s\S]*db\.update/)],
    },
    {
      name: 'update-keeps-copy',
      fails: [
        fails(
          'drops the cached copy when the shop updates',
          /old copy was served after this server itself/,
        ),
      ],
    },
    {
      name: 'update-clears-all',
      fails: [
        fails(
          'drops the cached copy when the shop updates',
          /got:\s+2 database reads[\s\S]*not the whole cache/,
        ),
      ],
    },
    {
      name: 'one-entry',
      fails: [
        fails(
          'once per product within the TTL',
          /got:\s+30 database reads[\s\S]*one entry per product/,
        ),
      ],
    },
    {
      name: 'expiry-not-renewed',
      fails: [
        fails(
          'once the TTL has passed',
          /1 ms before the TTL of that copy ends[\s\S]*got:\s+1 database read/,
        ),
      ],
    },
    {
      name: 'fresh-at-expiry',
      fails: [
        fails('once the TTL has passed', /very end of its TTL[\s\S]*got:\s+0 database reads/),
      ],
    },
    {
      only: true,
      name: 'ttl-hard-coded',
      fails: [
        fails(
          'whatever that TTL is',
          /with ttlMs = 90500: 0 database reads[\s\S]*got:\s+1 database read[\s\S]*the TTL cachedProducts is given/,
        ),
      ],
    },
    {
      only: true,
      name: 'invalidate-on-price-only',
      fails: [
        fails(
          'a new name as much as a new price',
          /got:\s+"Hand grinder": the old copy was served after this server itself renamed/,
        ),
      ],
    },
    {
      only: true,
      name: 'patch-cached-copy',
      fails: [
        fails(
          'never a product it does not hold',
          /got:\s+\{"id":3,"name":"Milk jug","priceCents":1600\}: a product the database never held/,
        ),
      ],
    },
    {
      only: true,
      name: 'two-copies',
      fails: [
        fails(
          'however many products are read',
          /products 1 to 10[\s\S]*got:\s+30 database reads[\s\S]*not only the last few/,
        ),
      ],
    },
    {
      name: 'one-expiry-for-all',
      fails: [
        fails(
          'once the TTL has passed',
          /1 ms before its own copy's TTL ends[\s\S]*got:\s+1 database read[\s\S]*keep an expiry per entry/,
        ),
      ],
    },
    {
      name: 'flush-on-expiry',
      fails: [
        fails(
          'once the TTL has passed',
          /got:\s+1 database read[\s\S]*leave every other entry as it is/,
        ),
      ],
    },
    {
      only: true,
      name: 'update-answers-merged',
      fails: [
        fails(
          'never a product it does not hold',
          /update\(\) to answer product 3[\s\S]*got:\s+\{"id":3,"name":"Milk jug","priceCents":1600\}: a product the database never held/,
        ),
        // It answers from its copy, so a miss it remembers stops the write: found with
        // misses-kept-apart's check.
        fails(
          'drops the cached copy when the shop updates',
          /200 and product 1003 at its new price, 4200[\s\S]*got:\s+404 [\s\S]*answers what db\.update answered/,
        ),
      ],
    },
    {
      only: true,
      name: 'module-level-map',
      fails: [
        fails(
          'another cache, over the same database or another, shares none',
          /"Second shop item 6"[\s\S]*got:\s+200 \{"id":6,"name":"Check item 0"[\s\S]*not in a variable of the module/,
        ),
      ],
    },
    {
      only: true,
      name: 'short-miss-ttl',
      fails: [
        fails(
          'missing product',
          /30000 ms later[\s\S]*got:\s+3 database reads[\s\S]*the same TTL as a product/,
        ),
      ],
    },
    // Found by a review; these passed every check, or failed it saying another fault, when they
    // were added.
    {
      only: true,
      name: 'ttl-whole-seconds',
      fails: [
        fails(
          'whatever that TTL is',
          /90499 ms later, with ttlMs = 90500: 0 database reads[\s\S]*got:\s+1 database read[\s\S]*the TTL cachedProducts is given/,
        ),
      ],
    },
    {
      only: true,
      name: 'ttl-capped',
      fails: [
        fails(
          'whatever that TTL is',
          /90499 ms later, with ttlMs = 90500: 0 database reads[\s\S]*got:\s+1 database read[\s\S]*the TTL cachedProducts is given/,
        ),
      ],
    },
    {
      name: 'module-level-db',
      fails: [
        fails(
          'another cache, over the same database or another, shares none',
          /got:\s+\{"id":6,"name":"Second shop item 6"[\s\S]*the caches share copies, or the database they read/,
        ),
        fails(
          'serves a product read through the cache',
          /"Second shop item 6"[\s\S]*the caches share copies, or the database they read/,
        ),
      ],
    },
    {
      name: 'stale-while-revalidate',
      fails: [
        fails(
          'stale data for at most the TTL',
          /still 1002[\s\S]*the read after it had 5555[\s\S]*an expired copy must not be served, not even once/,
        ),
        fails(
          'missing product',
          /the read after it found product 1000[\s\S]*an expired entry must not be served, not even once/,
        ),
      ],
    },
    {
      only: true,
      name: 'cache-per-db',
      fails: [
        fails(
          'keeps the copies of each cache it makes to itself',
          /at 4322 cents[\s\S]*got:\s+\{"id":1002,[^}]*"priceCents":4321\}[\s\S]*over the same database[\s\S]*share copies through something kept outside the function/,
        ),
      ],
    },
    {
      only: true,
      name: 'expiry-renewed-on-hit',
      fails: [
        fails(
          'once the TTL has passed',
          /very end of its TTL[\s\S]*got:\s+0 database reads[\s\S]*a hit must not renew the expiry/,
        ),
        fails(
          'whatever that TTL is',
          /90500 ms after that copy was read[\s\S]*got:\s+0 database reads[\s\S]*a hit must not renew the expiry/,
        ),
        fails('stale data for at most the TTL', /still 1002[\s\S]*a hit must not renew the expiry/),
        fails('missing product', /got:\s+404[\s\S]*a hit must not renew the expiry/),
      ],
    },
    {
      name: 'expiry-by-timer',
      fails: [
        fails(
          'once per product within the TTL',
          /got:\s+9 database reads[\s\S]*a copy was served after its TTL had ended[\s\S]*a timer \(setTimeout\)/,
        ),
        fails('once the TTL has passed', /got:\s+0 database reads[\s\S]*a timer \(setTimeout\)/),
      ],
    },
    {
      only: true,
      name: 'misses-kept-apart',
      fails: [
        fails(
          'drops the cached copy when the shop updates',
          /product 1003 at 4200 cents on the very next read[\s\S]*got:\s+404 [\s\S]*the miss this server remembered[\s\S]*a remembered miss as much as a copy/,
        ),
      ],
    },
  ],
  // Each is the reference solution with one piece of state left where it hides: the check must
  // find that one, by its symptom in the nemesis's history.
  '08': [
    {
      name: 'mail-list-deleted',
      fails: [
        fails(
          'confirmation mail is sent exactly once',
          /got no confirmation mail[\s\S]*the job itself wrote the list back, or cleared it/,
        ),
      ],
      only: true,
    },
    {
      // A counter written first: the hold is in the list of orders, where the race is.
      name: 'job-count-then-list-deleted',
      fails: [
        fails(
          'confirmation mail is sent exactly once',
          /got no confirmation mail[\s\S]*the job itself wrote the list back, or cleared it/,
        ),
      ],
      only: true,
    },
    {
      only: true,
      name: 'sessions-in-memory',
      fails: [
        fails(
          'nobody is logged out',
          /logged in on app-\d at round \d+; at round \d+ \(\d+ s later by the shop's clock\), app-\d answered 401/,
        ),
      ],
    },
    {
      only: true,
      name: 'session-id-guessable',
      fails: [
        fails(
          'nobody is logged out',
          /user-\d was handed session id "sid-user-\d"; after the last round, a stranger sent "sid-user-\d" to app-\d, with user-\d's name in place of user-\d's, and was let in/,
        ),
      ],
    },
    {
      only: true,
      name: 'login-before-session-written',
      fails: [
        fails(
          'nobody is logged out',
          /customer-\d logged in on app-\d at round \d; at round \d, app-\d answered 401 "not logged in" to their very next click/,
        ),
      ],
    },
    {
      only: true,
      name: 'login-write-behind',
      fails: [
        fails(
          'nobody is logged out',
          /customer-\d logged in on app-\d at round \d; at round \d, app-\d answered 401 "not logged in" to their very next click/,
        ),
      ],
    },
    {
      only: true,
      name: 'cart-get-then-set',
      fails: [
        fails(
          'no acknowledged cart item is lost',
          /added \d+ items \(acknowledged by app-\d at round \d+[\s\S]*showed their cart with \d+ item/,
        ),
      ],
    },
    {
      only: true,
      name: 'checkout-get-then-delete',
      fails: [
        fails(
          'no acknowledged cart item is lost',
          // The other tab's add during a checkout: the checkout is held between its read of the
          // cart and its empty (x-test-hold), so the add lands there on every run.
          /had \d+ adds acknowledged, one of them on app-\d at round \d+ at the same moment as their checkout on app-\d/,
        ),
      ],
    },
    {
      only: true,
      // A session renewed and a lock taken first: the hold is in the carts, where the race is.
      name: 'checkout-lock-get-then-delete',
      fails: [
        fails(
          'no acknowledged cart item is lost',
          /had \d+ adds acknowledged, one of them on app-\d at round \d+ at the same moment as their checkout on app-\d/,
        ),
      ],
    },
    {
      only: true,
      name: 'limiter-in-memory',
      fails: [
        fails('the rate limit', /had \d+ adds accepted in minute \d[\s\S]*one server accepts 3/),
      ],
    },
    {
      only: true,
      name: 'limiter-get-then-set',
      fails: [fails('the rate limit', /had \d+ adds accepted in minute \d/)],
    },
    {
      only: true,
      name: 'limiter-ttl-in-seconds',
      fails: [
        fails(
          'the rate limit',
          /had [4-9] adds accepted in minute \d \(app-\d at round \d[^)]*\); one server accepts 3/,
        ),
      ],
    },
    {
      only: true,
      name: 'catalogue-cache',
      fails: [
        fails(
          'a price changed through one server',
          /set product \d to \d+ cents on app-\d[\s\S]*still showed \d+ cents/,
        ),
      ],
    },
    {
      only: true,
      name: 'catalogue-cache-ttl',
      fails: [fails('a price changed through one server', /still showed \d+ cents/)],
    },
    {
      only: true,
      name: 'catalogue-cache-10ms',
      fails: [
        fails(
          'a price changed through one server',
          /set product \d to \d+ cents on app-\d[\s\S]*still showed \d+ cents/,
        ),
      ],
    },
    {
      only: true,
      name: 'receipt-on-disk',
      fails: [
        fails(
          'a receipt can be fetched from any server',
          /order \d+ was placed on app-\d[\s\S]*answered 404 for its receipt/,
        ),
      ],
    },
    {
      only: true,
      name: 'receipt-after-answer',
      fails: [
        fails(
          'a receipt can be fetched from any server',
          /order \d+ was placed on app-\d[\s\S]*killed the moment it answered[\s\S]*answered 404 for its receipt/,
        ),
      ],
    },
    {
      only: true,
      name: 'add-answer-local-copy',
      fails: [
        fails('no acknowledged cart item is lost', /answered their add with a cart of \d+ items?/),
      ],
    },
    {
      only: true,
      name: 'mailed-in-memory',
      fails: [fails('confirmation mail is sent exactly once', /got \d+ confirmation mails/)],
    },
    {
      only: true,
      name: 'mailed-flag-expires',
      fails: [
        fails(
          'confirmation mail is sent exactly once',
          /order \d+ \(placed on app-\d at round \d+\) got [2-9] confirmation mails/,
        ),
      ],
    },
    {
      only: true,
      name: 'mailed-get-then-set',
      fails: [fails('confirmation mail is sent exactly once', /got \d+ confirmation mails/)],
    },
    // Found by a review; these passed every check when they were added: "a day" written in
    // seconds where the store takes milliseconds, seen at the last look, twelve minutes later.
    {
      only: true,
      name: 'session-ttl-in-seconds',
      fails: [
        fails(
          'nobody is logged out',
          /at the last look, 12 minutes after the last round \(\d+ minutes later by the shop's clock\), app-\d answered 401 "not logged in"; the session had last been accepted at round \d: did it expire/,
        ),
      ],
    },
    {
      only: true,
      name: 'cart-ttl-in-seconds',
      fails: [
        fails(
          'no acknowledged cart item is lost',
          /at the last look, 12 minutes after the last round, their orders held \d+ items? and their cart 0 items/,
        ),
      ],
    },
    {
      only: true,
      name: 'receipt-ttl-in-seconds',
      fails: [
        fails(
          'a receipt can be fetched from any server',
          /at the last look, 12 minutes after the last round, app-\d answered 404 for its receipt/,
        ),
      ],
    },
    {
      only: true,
      name: 'mail-mark-expires',
      fails: [
        fails(
          'confirmation mail is sent exactly once',
          /got [2-9] confirmation mails; the job runs on every server, once a round, and once more 12 minutes after the last round/,
        ),
      ],
    },
    {
      only: true,
      name: 'limit-after-cart',
      fails: [
        fails(
          'the rate limit',
          /add of product \d was refused \(429\) on app-\d at round \d+; yet after the last round their orders held \d+ items? of it[\s\S]*a refused add was put in the cart/,
        ),
      ],
    },
    {
      only: true,
      name: 'sequential-sids',
      fails: [
        fails(
          'nobody is logged out',
          /handed session id "session-0+\d+", 1 character away from "session-0+\d+", handed to [\s\S]*trying its neighbours/,
        ),
      ],
    },
    {
      only: true,
      name: 'checkout-slice',
      fails: [
        fails(
          'no acknowledged cart item is lost',
          /two-tabs-\d had 2 adds acknowledged[\s\S]*clicked "checkout" in two tabs at the same moment[\s\S]*4 items for 2 adds, items ordered more often than they were added/,
        ),
      ],
    },
    {
      only: true,
      name: 'shared-cache-aside',
      fails: [
        fails(
          'a price changed through one server',
          /the admin set product \d to \d+ cents on app-1, then to (\d+) cents, while app-2 was reading it over a slow network[\s\S]*once both had answered, app-\d[^(]* still showed (?!\1 )\d+ cents/,
        ),
      ],
    },
    {
      only: true,
      name: 'login-keeps-sid',
      fails: [
        fails(
          'nobody is logged out',
          /fixated-\d-1 logged in on app-2 while their browser carried the session id "[^"]+" that planter-\d was handed on app-1: the shop handed that same id back[\s\S]*session fixation[\s\S]*rotation on login/,
        ),
      ],
    },
    {
      only: true,
      name: 'orders-get-then-set',
      fails: [
        fails(
          'confirmation mail is sent exactly once',
          /order \d+ \(placed on app-\d at round \d+\) got no confirmation mail[\s\S]*two checkouts at once[\s\S]*a lost update/,
        ),
      ],
    },
    // Found by a review; these passed every check when they were added.
    {
      only: true,
      name: 'math-random-sid',
      fails: [
        fails(
          'nobody is logged out',
          /the same session id from both, "[^"]+", with Math\.random\(\) returning 0\.5[\s\S]*derived from things an attacker can know: the user, the time, Math\.random or a counter[\s\S]*use crypto\.randomBytes/i,
        ),
      ],
    },
    {
      only: true,
      name: 'hashed-pid-time-counter',
      fails: [
        fails(
          'nobody is logged out',
          /the same session id from both, "[0-9a-f]{64}"[\s\S]*derived from things an attacker can know: the user, the time, Math\.random or a counter[\s\S]*use crypto\.randomBytes/i,
        ),
      ],
    },
  ],
};
