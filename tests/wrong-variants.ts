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
}

const fails = (check: string, says: RegExp): Failure => ({ check, says });

export const WRONG_VARIANTS: Record<string, WrongVariant[]> = {
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
      name: 'deny-list-not-awaited',
      fails: [
        fails('accepts a genuine session', /got:\s+401 \{"ok":false,"reason":"revoked"\}/),
        fails('logged-out session', /200 \{"user":"bob"\}: a fresh, genuine session/),
      ],
    },
  ],
};
